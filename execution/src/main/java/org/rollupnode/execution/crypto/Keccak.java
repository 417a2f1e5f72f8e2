package org.rollupnode.execution.crypto;

import org.bouncycastle.crypto.digests.KeccakDigest;
import org.rollupnode.execution.types.Hash32;

/** Keccak-256 (the pre-standard SHA-3 padding Ethereum uses). */
public final class Keccak {
    private Keccak() {}

    public static byte[] hash256(byte[] input) {
        return hash256(input, 0, input.length);
    }

    public static byte[] hash256(byte[] input, int offset, int length) {
        KeccakDigest d = new KeccakDigest(256);
        d.update(input, offset, length);
        byte[] out = new byte[32];
        d.doFinal(out, 0);
        return out;
    }

    public static Hash32 hash(byte[] input) {
        return Hash32.wrap(hash256(input));
    }
}
