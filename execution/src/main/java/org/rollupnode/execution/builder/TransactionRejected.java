package org.rollupnode.execution.builder;

/**
 * Why a transaction cannot go into the block being built. {@code permanent} rejections (nonce
 * too low, bad chain id) will never succeed and the transaction should be dropped; others
 * (nonce gap, block full, fee cap below the current base fee) may succeed later.
 */
public final class TransactionRejected extends Exception {
    public enum Reason {
        WRONG_CHAIN_ID(true), NO_REPLAY_PROTECTION(true), NONCE_TOO_LOW(true), NONCE_TOO_HIGH(false),
        INTRINSIC_GAS_TOO_LOW(true), GAS_LIMIT_EXCEEDS_BLOCK(true), BLOCK_FULL(false), FEE_CAP_BELOW_BASE_FEE(false),
        INSUFFICIENT_FUNDS(false), UNSUPPORTED(true), SENDER_HAS_CODE(true), INVALID(true);

        public final boolean permanent;

        Reason(boolean permanent) {
            this.permanent = permanent;
        }
    }

    private final Reason reason;

    public TransactionRejected(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    public boolean permanent() {
        return reason.permanent;
    }
}
