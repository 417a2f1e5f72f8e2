package org.rollupnode.execution.tx;

/**
 * A transaction that cannot be decoded or fails a stateless validity rule. {@link #reason()} is
 * stable and meant for code (metrics, tests, RPC error mapping); {@link #getMessage()} is a human
 * sentence suitable for a JSON-RPC error message.
 */
public class InvalidTransactionException extends RuntimeException {

    /** Stable classification of what was wrong. */
    public enum Reason {
        /** No bytes at all. */
        EMPTY_INPUT,
        /** Not canonical RLP, truncated, a list where a string belongs (or the reverse). */
        MALFORMED_RLP,
        /** Bytes left over after the transaction. */
        TRAILING_BYTES,
        /** The transaction's RLP list has too few or too many elements for its type. */
        WRONG_FIELD_COUNT,
        /** An EIP-2718 type byte this node does not know. */
        UNSUPPORTED_TYPE,
        /** Type 3: Scroll has no blobs. */
        BLOB_TX_NOT_SUPPORTED,
        /** An L1 message (0x7E) submitted where only user transactions are allowed. */
        L1_MESSAGE_NOT_ALLOWED,
        /** An address that is not 20 bytes (or empty where a creation is not allowed). */
        INVALID_ADDRESS,
        /** An access-list storage key that is not 32 bytes. */
        INVALID_STORAGE_KEY,
        /** Contract creation in a transaction type that does not allow it (0x04, 0x7E). */
        CREATE_NOT_ALLOWED,
        /** Type 4 with an empty authorization list. */
        EMPTY_AUTHORIZATION_LIST,
        /** A malformed entry of the authorization list (yParity above 255, nonce above 64 bits). */
        INVALID_AUTHORIZATION,
        /** Nonce does not fit (EIP-2681 and this node's 63-bit nonce). */
        NONCE_OVERFLOW,
        /** Gas limit does not fit in a signed 64-bit integer. */
        GAS_LIMIT_OVERFLOW,
        /** A fee field above 256 bits. */
        FEE_OVERFLOW,
        /** Value above 256 bits. */
        VALUE_OVERFLOW,
        /** maxPriorityFeePerGas greater than maxFeePerGas. */
        TIP_ABOVE_FEE_CAP,
        /** gasLimit * feeCap does not fit in 256 bits. */
        GAS_PRICE_PRODUCT_OVERFLOW,
        /** r, s or v/yParity out of range, or high s (EIP-2). */
        INVALID_SIGNATURE,
        /** A legacy v that encodes no usable chain id, or a chain id that does not fit. */
        INVALID_CHAIN_ID,
        /** A chain id different from the node's. */
        WRONG_CHAIN_ID,
        /** The signature does not recover to a public key. */
        INVALID_SENDER,
        /** Gas limit below the intrinsic gas (or the EIP-7623 floor). */
        INTRINSIC_GAS_TOO_LOW,
        /** Initcode above 49152 bytes (EIP-3860). */
        INITCODE_TOO_LARGE,
        /** Fee cap below the block base fee (a pool/block rule, not a decoding error). */
        FEE_CAP_TOO_LOW
    }

    private final Reason reason;

    public InvalidTransactionException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
