package org.rollupnode.execution.evm.precompile;

/** 0x04 IDENTITY: 15 + 3 per word; returns a copy of its input. */
final class Identity implements Precompile {
    @Override
    public long gasCost(byte[] input) {
        return Results.wordGas(15, 3, input.length);
    }

    @Override
    public PrecompileResult run(byte[] input) {
        return Results.ok(input.clone());
    }
}
