package org.rollupnode.schemas;

/**
 * An admin command, written by the gateway's {@code rollupNodeAdmin} namespace. Going through a
 * topic puts every admin action into the audit trail.
 *
 * <p>{@code ENABLE/DISABLE_AUTOMATIC_SEQUENCING} are read by the sequencer (the last one wins, also
 * after a restart). {@code REVERT_TO_L1_BLOCK} ({@code rollupNodeAdmin_revertToL1Block}) is read by
 * two services, each keeping its own exactly-once progress: the l1-watcher unwinds {@code l1-events}
 * to {@code l1BlockNumber} (an {@link L1Unwind} naming this record's offset) and re-reads L1 from
 * there; the sequencer reverts the L2 blocks that included L1 messages from L1 blocks above it with a
 * {@link SequencerRevert}, committing this topic's offset in the same Kafka transaction.
 *
 * @param l1BlockNumber the L1 block to unwind to for {@code REVERT_TO_L1_BLOCK}, null for the others
 */
public record SequencerControl(Action action, long requestedAtMillis, String requestedBy, Long l1BlockNumber) {
    public enum Action {
        ENABLE_AUTOMATIC_SEQUENCING,
        DISABLE_AUTOMATIC_SEQUENCING,
        REVERT_TO_L1_BLOCK
    }

    public SequencerControl {
        if (action == null) {
            throw new IllegalArgumentException("a control record needs an action");
        }
        if ((action == Action.REVERT_TO_L1_BLOCK) != (l1BlockNumber != null)) {
            throw new IllegalArgumentException("l1BlockNumber is required for REVERT_TO_L1_BLOCK and only there");
        }
        if (l1BlockNumber != null && l1BlockNumber < 0) {
            throw new IllegalArgumentException("l1BlockNumber must be >= 0, got " + l1BlockNumber);
        }
    }

    public SequencerControl(Action action, long requestedAtMillis, String requestedBy) {
        this(action, requestedAtMillis, requestedBy, null);
    }

    public static SequencerControl revertToL1Block(long l1BlockNumber, long requestedAtMillis, String requestedBy) {
        return new SequencerControl(Action.REVERT_TO_L1_BLOCK, requestedAtMillis, requestedBy, l1BlockNumber);
    }
}
