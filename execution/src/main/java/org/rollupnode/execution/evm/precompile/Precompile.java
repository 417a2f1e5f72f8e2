package org.rollupnode.execution.evm.precompile;

/**
 * A precompiled contract. The interpreter charges {@link #gasCost} first and calls {@link #run}
 * only when the caller had that much gas.
 */
public interface Precompile {
    /** Gas required for this input; {@code Long.MAX_VALUE} means no amount of gas is enough. */
    long gasCost(byte[] input);

    /** Runs the contract. Never throws for bad input: that is a result with success=false. */
    PrecompileResult run(byte[] input);
}
