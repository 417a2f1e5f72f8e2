package org.rollupnode.signer;

/** A KMS call failed; the message says what to fix and never carries credentials. */
public final class KmsSignerException extends RuntimeException {
    public KmsSignerException(String message, Throwable cause) {
        super(message, cause);
    }
}
