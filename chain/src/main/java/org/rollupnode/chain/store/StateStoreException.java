package org.rollupnode.chain.store;

/** The state store cannot be used; {@link #reason()} says whether rebuilding it can help. */
public final class StateStoreException extends Exception {
    public enum Reason {
        /** The directory cannot be created or written: an operator problem, not fixed by a rebuild. */
        UNWRITABLE,
        /** RocksDB refused to open it, or its records do not decode. */
        CORRUPT,
        /** It was built for another chain (different genesis hash). */
        OTHER_CHAIN
    }

    private final Reason reason;

    public StateStoreException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
