package org.rollupnode.schemas;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * A record of the single-partition {@code signed-blocks} topic: a signed block, or the signer's copy
 * of a {@link SequencerRevert} it applied, so gateways that read only this topic unwind in the same
 * order, or an {@link AuthorizedSignerChange} naming the signer every later block must have. Records written before reverts existed carry no {@code kind} and read as {@link SignedBlock}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind", defaultImpl = SignedBlock.class)
@JsonSubTypes({
    @JsonSubTypes.Type(value = SignedBlock.class, name = "block"),
    @JsonSubTypes.Type(value = SignedRevert.class, name = "revert"),
    @JsonSubTypes.Type(value = AuthorizedSignerChange.class, name = "authorized_signer")
})
public sealed interface SignedBlocksEvent permits SignedBlock, SignedRevert, AuthorizedSignerChange {}
