package org.rollupnode.execution.crypto;

import java.util.Objects;
import org.bouncycastle.crypto.digests.KeccakDigest;
import org.rollupnode.execution.types.Hash32;

/** Keccak-256 (the pre-standard SHA-3 padding Ethereum uses). */
public final class Keccak {
    /**
     * One digest per thread: a new {@link KeccakDigest} allocates its state and runs BouncyCastle's
     * crypto-constraint check, a measurable share of a block's cost at thousands of hashes per
     * block. {@code doFinal} resets the digest, and nothing between {@code update} and
     * {@code doFinal} can call back into this class, so a thread never sees a half-used digest.
     */
    private static final ThreadLocal<KeccakDigest> DIGEST = ThreadLocal.withInitial(() -> new KeccakDigest(256));

    private Keccak() {}

    public static byte[] hash256(byte[] input) {
        return hash256(input, 0, input.length);
    }

    public static byte[] hash256(byte[] input, int offset, int length) {
        // Checked before the digest is touched, so a bad range cannot leave absorbed bytes behind.
        Objects.checkFromIndexSize(offset, length, input.length);
        KeccakDigest d = DIGEST.get();
        d.update(input, offset, length);
        byte[] out = new byte[32];
        d.doFinal(out, 0);
        return out;
    }

    public static Hash32 hash(byte[] input) {
        return Hash32.wrap(hash256(input));
    }
}
