package org.rollupnode.execution.evm.precompile;

import java.math.BigInteger;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECPoint;
import org.rollupnode.execution.crypto.Keccak;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * 0x01 ECRECOVER, 3000 gas. Input (right-padded to 128 bytes): hash, v, r, s. Output: the signer
 * address left-padded to 32 bytes, or empty output (still success) for any invalid signature.
 *
 * <p>Recovery runs on libsecp256k1 through ACINQ's JNI binding (about 3x BouncyCastle,
 * platform-notes §8). If the native library cannot be loaded the BouncyCastle path is used,
 * which gives the same answers, only slower.
 */
final class EcRecover implements Precompile {
    static final long GAS = 3000;
    private static final Logger LOG = LoggerFactory.getLogger("rollup_node::execution");

    private static final X9ECParameters PARAMS = CustomNamedCurves.getByName("secp256k1");
    private static final ECCurve CURVE = PARAMS.getCurve();
    private static final BigInteger N = PARAMS.getN();

    private static final boolean NATIVE = loadNative();

    private static boolean loadNative() {
        try {
            fr.acinq.secp256k1.Secp256k1.Companion.get();
            return true;
        } catch (Throwable e) { // UnsatisfiedLinkError and friends: fall back, never fail the node
            LOG.warn("libsecp256k1 JNI unavailable, ecrecover uses BouncyCastle: {}", e.toString());
            return false;
        }
    }

    static boolean usesNative() {
        return NATIVE;
    }

    @Override
    public long gasCost(byte[] input) {
        return GAS;
    }

    @Override
    public PrecompileResult run(byte[] input) {
        byte[] in = Results.slicePadded(input, 0, 128);
        // v is a 32-byte word that must be exactly 27 or 28.
        for (int i = 32; i < 63; i++) {
            if (in[i] != 0) {
                return Results.ok(Results.EMPTY);
            }
        }
        int v = in[63] & 0xFF;
        if (v != 27 && v != 28) {
            return Results.ok(Results.EMPTY);
        }
        byte[] hash = new byte[32];
        byte[] rs = new byte[64];
        System.arraycopy(in, 0, hash, 0, 32);
        System.arraycopy(in, 64, rs, 0, 64);
        BigInteger r = new BigInteger(1, java.util.Arrays.copyOfRange(rs, 0, 32));
        BigInteger s = new BigInteger(1, java.util.Arrays.copyOfRange(rs, 32, 64));
        // No low-s rule here (unlike transactions): only 1 <= r, s < n.
        if (r.signum() == 0 || s.signum() == 0 || r.compareTo(N) >= 0 || s.compareTo(N) >= 0) {
            return Results.ok(Results.EMPTY);
        }
        byte[] pub = NATIVE ? recoverNative(rs, hash, v - 27) : recoverBouncyCastle(hash, v - 27, r, s);
        if (pub == null || pub.length != 65) {
            return Results.ok(Results.EMPTY);
        }
        byte[] h = Keccak.hash256(pub, 1, 64);
        byte[] out = new byte[32];
        System.arraycopy(h, 12, out, 12, 20);
        return Results.ok(out);
    }

    private static byte[] recoverNative(byte[] rs, byte[] hash, int recId) {
        try {
            return fr.acinq.secp256k1.Secp256k1.Companion.ecdsaRecover(rs, hash, recId);
        } catch (RuntimeException invalid) { // Secp256k1Exception: no key for this signature
            return null;
        }
    }

    /** Uncompressed public key (0x04 ‖ x ‖ y) whose signature this is, or null. */
    static byte[] recoverBouncyCastle(byte[] hash, int recId, BigInteger r, BigInteger s) {
        byte[] compressed = new byte[33];
        compressed[0] = (byte) (0x02 + recId);
        byte[] rBytes = r.toByteArray();
        int len = Math.min(rBytes.length, 32);
        System.arraycopy(rBytes, rBytes.length - len, compressed, 33 - len, len);
        ECPoint bigR;
        try {
            bigR = CURVE.decodePoint(compressed);
        } catch (IllegalArgumentException notOnCurve) {
            return null;
        }
        BigInteger e = new BigInteger(1, hash);
        BigInteger rInv = r.modInverse(N);
        BigInteger u1 = N.subtract(e.mod(N)).mod(N).multiply(rInv).mod(N);
        BigInteger u2 = s.multiply(rInv).mod(N);
        ECPoint q = ECAlgorithms.sumOfTwoMultiplies(PARAMS.getG(), u1, bigR, u2).normalize();
        return q.isInfinity() ? null : q.getEncoded(false);
    }
}
