package org.rollupnode.schemas;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * A record of the single-partition {@code l1-events} topic, written only by the l1-watcher.
 *
 * <p>Order is L1 order. For each processed range of L1 blocks the watcher appends, in one Kafka
 * transaction, the {@link L1MessageQueued} records of those blocks and then one {@link L1Head} for
 * the last block of the range: an {@code L1Head} at number n means "every queue event in blocks
 * up to n is above this record". {@link L1Safe} and {@link L1Finalized} report the L1 tags as the
 * watcher saw them. {@link L1Reorg} invalidates every earlier record above its common ancestor; the
 * new branch's records follow it. {@link L1Unwind} does the same on an operator's request
 * ({@code rollupNodeAdmin_revertToL1Block}). {@link L1WatcherHeartbeat} reports the watcher's
 * liveness and changes no L1 state. {@link L1AuthorizedSigner} reports the block signer the L1
 * SystemConfig contract authorizes, when first read and on every change.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
    @JsonSubTypes.Type(value = L1MessageQueued.class, name = "message_queued"),
    @JsonSubTypes.Type(value = L1Head.class, name = "head"),
    @JsonSubTypes.Type(value = L1Safe.class, name = "safe"),
    @JsonSubTypes.Type(value = L1Finalized.class, name = "finalized"),
    @JsonSubTypes.Type(value = L1Reorg.class, name = "reorg"),
    @JsonSubTypes.Type(value = L1Unwind.class, name = "unwind"),
    @JsonSubTypes.Type(value = L1WatcherHeartbeat.class, name = "heartbeat"),
    @JsonSubTypes.Type(value = L1AuthorizedSigner.class, name = "authorized_signer")
})
public sealed interface L1Event permits L1MessageQueued, L1Head, L1Safe, L1Finalized, L1Reorg, L1Unwind, L1WatcherHeartbeat,
        L1AuthorizedSigner {}
