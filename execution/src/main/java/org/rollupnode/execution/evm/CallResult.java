package org.rollupnode.execution.evm;

import org.rollupnode.execution.types.Address;

/**
 * The outcome of a message call or creation.
 *
 * @param halt    why the frame halted exceptionally (all gas consumed), null on success or REVERT
 * @param created the new contract's address on a successful creation, else null
 */
public record CallResult(boolean success, long gasLeft, byte[] output, boolean reverted, ExceptionalHalt halt,
                         Address created) {
    static final byte[] EMPTY = new byte[0];

    static CallResult ok(long gasLeft, byte[] output) {
        return new CallResult(true, gasLeft, output, false, null, null);
    }

    /** Failed before running (depth, balance): the gas goes back to the caller. */
    static CallResult rejected(long gasLeft) {
        return new CallResult(false, gasLeft, EMPTY, false, null, null);
    }

    static CallResult halted(ExceptionalHalt why) {
        return new CallResult(false, 0, EMPTY, false, why, null);
    }

    static CallResult reverted(long gasLeft, byte[] output) {
        return new CallResult(false, gasLeft, output, true, null, null);
    }
}
