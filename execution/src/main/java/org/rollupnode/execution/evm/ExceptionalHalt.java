package org.rollupnode.execution.evm;

/**
 * Why a frame stopped abnormally. Every exceptional halt consumes all of the frame's gas and
 * reverts its state changes; REVERT is not one of these.
 */
public enum ExceptionalHalt {
    OUT_OF_GAS, STACK_UNDERFLOW, STACK_OVERFLOW, INVALID_OPCODE, INVALID_JUMP, WRITE_PROTECTION,
    RETURN_DATA_OUT_OF_BOUNDS, INVALID_CODE, CODE_SIZE_EXCEEDED, INITCODE_SIZE_EXCEEDED, CONTRACT_COLLISION,
    PRECOMPILE_FAILED, NOT_ACTIVATED;

    private final Halt error = new Halt(this);

    /** A shared, stackless throwable: halts are control flow, not bugs. */
    public Halt error() {
        return error;
    }

    public static final class Halt extends RuntimeException {
        private final ExceptionalHalt reason;

        Halt(ExceptionalHalt reason) {
            super(reason.name(), null, false, false);
            this.reason = reason;
        }

        public ExceptionalHalt reason() {
            return reason;
        }
    }
}
