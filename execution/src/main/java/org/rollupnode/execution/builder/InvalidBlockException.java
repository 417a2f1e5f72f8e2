package org.rollupnode.execution.builder;

/** A block whose contents do not execute, or whose header does not match its execution. */
public class InvalidBlockException extends Exception {
    public InvalidBlockException(String message) {
        super(message);
    }
}
