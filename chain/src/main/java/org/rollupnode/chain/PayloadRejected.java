package org.rollupnode.chain;

import org.rollupnode.execution.builder.InvalidBlockException;

/**
 * A payload that does not fold onto the chain, with what an auditor needs: the block, the field
 * that differs, the value the payload claims ({@code expected}) and the value re-execution or the
 * chain gives ({@code actual}).
 */
public final class PayloadRejected extends InvalidBlockException {
    private final long number;
    private final String field;
    private final String expected;
    private final String actual;

    public PayloadRejected(long number, String field, String expected, String actual, String message) {
        super(message);
        this.number = number;
        this.field = field;
        this.expected = expected;
        this.actual = actual;
    }

    public long number() {
        return number;
    }

    public String field() {
        return field;
    }

    public String expected() {
        return expected;
    }

    public String actual() {
        return actual;
    }
}
