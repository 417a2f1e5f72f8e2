package org.rollupnode.execution.evm.precompile;

/**
 * A precompile address that exists (so it is warm under EIP-2929) but whose every call fails and
 * burns all gas given to it: Scroll's RIPEMD-160 (0x03) and BLAKE2F (0x09), which its zkEVM
 * circuits do not support (scroll-rules.md §3).
 */
final class AlwaysFails implements Precompile {
    private final String name;

    AlwaysFails(String name) {
        this.name = name;
    }

    @Override
    public long gasCost(byte[] input) {
        // Gas is irrelevant: a failing call consumes all it was given either way.
        return 0;
    }

    @Override
    public PrecompileResult run(byte[] input) {
        return Results.FAILURE;
    }

    @Override
    public String toString() {
        return name + " (disabled)";
    }
}
