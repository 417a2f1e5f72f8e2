package org.rollupnode.schemas;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * An explicit, auditable unwind of the L2 chain (invariant 1's one exception): every block above
 * {@code revertToNumber} is void, and the next payload in the stream builds on
 * {@code revertToNumber}/{@code revertToHash}. Nothing is rewritten; readers apply it in stream order.
 *
 * <p>The sequencer writes one when an L1 reorg removed an L1 message that an L2 block already
 * included (possible with a shallow {@code depth:N} inclusion mode).
 *
 * @param revertToNumber        the height that becomes the head again
 * @param revertToHash          its block hash (readers check they hold the same block)
 * @param revertedFromNumber    the head before the revert (blocks revertToNumber+1..this are void)
 * @param reason                human-readable cause
 * @param l1ReorgCommonAncestor the L1 reorg's common ancestor block, -1 when no L1 reorg caused it
 * @param l1BlockNumber         the L1 block of the first included L1 message that is no longer on L1, -1 if none
 * @param firstRemovedQueueIndex the queue index of that message, -1 if none
 * @param nextL1QueueIndex      the queue index the next block must include first, after the revert
 * @param sequencerId           the instance that wrote it
 * @param revertedAtMillis      its wall clock
 */
public record SequencerRevert(
        long revertToNumber,
        String revertToHash,
        long revertedFromNumber,
        String reason,
        long l1ReorgCommonAncestor,
        long l1BlockNumber,
        long firstRemovedQueueIndex,
        long nextL1QueueIndex,
        String sequencerId,
        long revertedAtMillis) implements SequencerStreamEvent {

    public SequencerRevert {
        if (revertToNumber < 0 || revertedFromNumber <= revertToNumber) {
            throw new IllegalArgumentException("a revert must go from a head above revertToNumber (" + revertedFromNumber
                    + ") down to a height >= 0 (" + revertToNumber + ")");
        }
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("a revert needs a reason");
        }
    }

    /** The height the chain continues from. */
    @Override
    @JsonIgnore
    public long number() {
        return revertToNumber;
    }
}
