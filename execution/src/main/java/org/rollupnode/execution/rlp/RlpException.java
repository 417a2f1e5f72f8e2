package org.rollupnode.execution.rlp;

/** Input that is not canonical RLP. The message says what was wrong and where. */
public class RlpException extends RuntimeException {
    public RlpException(String message) {
        super(message);
    }
}
