package org.rollupnode.execution.evm;

/** The transaction cannot be executed on this state at all: no state change, no receipt. */
public final class TransactionInvalidException extends Exception {
    public enum Reason {
        NONCE_TOO_LOW, NONCE_TOO_HIGH, NONCE_MAX, SENDER_NOT_EOA, INSUFFICIENT_FUNDS, INTRINSIC_GAS_TOO_LOW,
        FEE_CAP_BELOW_BASE_FEE, GAS_LIMIT_EXCEEDS_BLOCK, INITCODE_SIZE_EXCEEDED, TYPE_NOT_SUPPORTED, WRONG_CHAIN_ID,
        INVALID_SENDER
    }

    private final Reason reason;

    public TransactionInvalidException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
