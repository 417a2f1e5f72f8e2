package org.rollupnode.watcher;

/** The l1-watcher's one exception type; the code is stable so callers and tests can branch on it. */
public final class L1WatcherException extends RuntimeException {
    public enum Code {
        /** L1 did not answer, or answered with a JSON-RPC error. Retried. */
        L1_UNAVAILABLE,
        /** A queue event that does not decode. The watcher stops advancing. */
        UNDECODABLE_LOG,
        /** Queue indexes are not consecutive. The watcher stops advancing. */
        QUEUE_GAP,
        /** l1-events holds records that contradict each other (order, parent links). */
        INCONSISTENT_TOPIC,
        /** A reorg reaches below every block the watcher still remembers. */
        REORG_TOO_DEEP
    }

    private final Code code;

    public L1WatcherException(Code code, String message) {
        super(message);
        this.code = code;
    }

    public L1WatcherException(Code code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public Code code() {
        return code;
    }
}
