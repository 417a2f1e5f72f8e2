package org.rollupnode.watcher;

/**
 * What {@code rollupNode_status} reports about L1. Numbers are null until first seen.
 *
 * @param l1Endpoint       scheme://host:port of {@code --l1.url} (never its path, which may hold a key)
 * @param connected        the last L1 request succeeded
 * @param latestBlock      L1's {@code latest} block as last seen
 * @param safeBlock        L1's {@code safe} block as last seen
 * @param finalizedBlock   L1's {@code finalized} block as last seen
 * @param processedBlock   last L1 block whose queue events are all in {@code l1-events}
 * @param processedHash    its hash
 * @param nextQueueIndex   queue index the next L1 message will carry (null before the first)
 * @param synced           processedBlock reached latestBlock at the last step
 * @param stalled          null, or why the watcher does not advance (bad log, queue gap, reorg too deep)
 * @param lastError        the last error, null if none since start
 * @param lastErrorAtMillis when it happened (0 if none)
 * @param consecutiveFailures failed L1 attempts since the last success
 */
public record L1WatcherStatus(
        String l1Endpoint,
        boolean connected,
        Long latestBlock,
        Long safeBlock,
        Long finalizedBlock,
        Long processedBlock,
        String processedHash,
        Long nextQueueIndex,
        boolean synced,
        String stalled,
        String lastError,
        long lastErrorAtMillis,
        int consecutiveFailures) {

    static L1WatcherStatus initial(String endpoint) {
        return new L1WatcherStatus(endpoint, false, null, null, null, null, null, null, false, null, null, 0, 0);
    }
}
