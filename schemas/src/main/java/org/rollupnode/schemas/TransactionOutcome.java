package org.rollupnode.schemas;

/**
 * Why an accepted transaction will not be included (or was superseded), so that a client who got
 * a hash back can always learn what became of it (invariant 4: included exactly once, or an outcome).
 *
 * @param replacedBy hash of the replacing transaction when {@code status} is REPLACED, else null
 */
public record TransactionOutcome(String hash, String sender, long nonce, Status status, String reason, String replacedBy,
                                 long headNumber, long atMillis, String sequencerId) {
    public enum Status {
        /** Can never be included (nonce already used, intrinsic gas too low, wrong chain...). */
        DROPPED,
        /** Another transaction with the same sender and nonce and higher fees took its place. */
        REPLACED,
        /** Removed to keep the pool within its bounds (cheapest first). */
        EVICTED,
        /** Refused on arrival at the sequencer (pool full, per-sender limit, underpriced replacement). */
        REJECTED
    }
}
