package org.rollupnode.schemas;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * A record of the single-partition sequencer stream: a block payload, or an explicit revert that
 * unwinds the chain to an earlier height. Both share the stream so every reader sees them in the
 * same total order.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
    @JsonSubTypes.Type(value = BlockPayload.class, name = "payload"),
    @JsonSubTypes.Type(value = SequencerRevert.class, name = "revert")
})
public sealed interface SequencerStreamEvent permits BlockPayload, SequencerRevert {
    /** The block height the record is about: the payload's number, or the height a revert returns to. */
    long number();
}
