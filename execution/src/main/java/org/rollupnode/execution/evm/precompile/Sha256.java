package org.rollupnode.execution.evm.precompile;

import org.bouncycastle.crypto.digests.SHA256Digest;

/** 0x02 SHA256: 60 + 12 per 32-byte word. */
final class Sha256 implements Precompile {
    @Override
    public long gasCost(byte[] input) {
        return Results.wordGas(60, 12, input.length);
    }

    @Override
    public PrecompileResult run(byte[] input) {
        SHA256Digest d = new SHA256Digest();
        d.update(input, 0, input.length);
        byte[] out = new byte[32];
        d.doFinal(out, 0);
        return Results.ok(out);
    }
}
