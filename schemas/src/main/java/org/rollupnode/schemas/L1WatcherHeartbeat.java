package org.rollupnode.schemas;

/**
 * The watcher's liveness and its view of L1, published to {@code l1-events} every
 * {@code intervalMillis} and whenever {@code connected} changes, so a gateway in another process can
 * report the L1 connection in {@code rollupNode_status}. A reader treats the watcher as
 * disconnected when the last heartbeat is older than {@link #STALE_AFTER_INTERVALS} intervals (clocks
 * of the processes are assumed to be NTP-synchronised; the bound is generous for that reason).
 * Folding ignores it otherwise: it changes no L1 state.
 *
 * @param watcherId      the watcher instance
 * @param atMillis       its wall clock when it wrote the record
 * @param intervalMillis how often it writes one
 * @param connected      its last L1 request succeeded
 * @param latest         L1's latest block as last seen, null before the first answer
 * @param safe           L1's safe block, null if unknown
 * @param finalized      L1's finalized block, null if unknown
 * @param processed      last L1 block whose queue events are in {@code l1-events}, null before the first
 * @param synced         processed reached latest at the last step
 * @param lastError      the last L1 error while not connected, else null
 * @param stalled        why the watcher does not advance, else null
 */
public record L1WatcherHeartbeat(
        String watcherId,
        long atMillis,
        long intervalMillis,
        boolean connected,
        Long latest,
        Long safe,
        Long finalized,
        Long processed,
        boolean synced,
        String lastError,
        String stalled) implements L1Event {

    public static final int STALE_AFTER_INTERVALS = 3;

    public L1WatcherHeartbeat {
        if (intervalMillis <= 0) {
            throw new IllegalArgumentException("heartbeat interval must be positive, got " + intervalMillis);
        }
    }

    /** True when no newer heartbeat can have been missed: at most {@link #STALE_AFTER_INTERVALS} intervals old at {@code nowMillis}. */
    public boolean freshAt(long nowMillis) {
        return nowMillis - atMillis <= STALE_AFTER_INTERVALS * intervalMillis;
    }
}
