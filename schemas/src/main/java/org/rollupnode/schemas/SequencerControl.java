package org.rollupnode.schemas;

/**
 * An admin command to the sequencer, written by the gateway's {@code rollupNodeAdmin} namespace.
 * Going through a topic puts every admin action into the audit trail.
 */
public record SequencerControl(Action action, long requestedAtMillis, String requestedBy) {
    public enum Action {
        ENABLE_AUTOMATIC_SEQUENCING,
        DISABLE_AUTOMATIC_SEQUENCING
    }
}
