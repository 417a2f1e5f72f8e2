package org.rollupnode.execution.evm.precompile;

/** Shared result values and input helpers of the precompiles. */
final class Results {
    static final byte[] EMPTY = new byte[0];
    static final PrecompileResult FAILURE = new PrecompileResult(false, EMPTY);

    private Results() {}

    static PrecompileResult ok(byte[] output) {
        return new PrecompileResult(true, output);
    }

    /** Bytes [offset, offset+length) of input, zero-padded on the right where input is shorter. */
    static byte[] slicePadded(byte[] input, int offset, int length) {
        byte[] out = new byte[length];
        if (offset < input.length) {
            System.arraycopy(input, offset, out, 0, Math.min(length, input.length - offset));
        }
        return out;
    }

    /** Gas of the word-priced precompiles: base + perWord * ceil(len / 32). */
    static long wordGas(long base, long perWord, int length) {
        return base + perWord * ((length + 31L) / 32);
    }
}
