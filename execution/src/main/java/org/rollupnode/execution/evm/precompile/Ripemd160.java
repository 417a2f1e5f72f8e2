package org.rollupnode.execution.evm.precompile;

import org.bouncycastle.crypto.digests.RIPEMD160Digest;

/** 0x03 RIPEMD160: 600 + 120 per word; the 20-byte digest left-padded to 32 bytes. */
final class Ripemd160 implements Precompile {
    @Override
    public long gasCost(byte[] input) {
        return Results.wordGas(600, 120, input.length);
    }

    @Override
    public PrecompileResult run(byte[] input) {
        RIPEMD160Digest d = new RIPEMD160Digest();
        d.update(input, 0, input.length);
        byte[] out = new byte[32];
        d.doFinal(out, 12);
        return Results.ok(out);
    }
}
