package org.rollupnode.execution.tx;

import java.math.BigInteger;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECPoint;
import org.rollupnode.execution.crypto.Keccak;
import org.rollupnode.execution.types.Address;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Sign;

/**
 * secp256k1 public-key recovery and signing.
 *
 * <p>Recovery is done here on BouncyCastle directly rather than through web3j's
 * {@code Sign.recoverFromSignature}, because that method turns a recovered point at infinity
 * into the public key 0 (and so into an address) instead of failing.
 */
final class Secp256k1 {
    private static final X9ECParameters PARAMS = CustomNamedCurves.getByName("secp256k1");
    private static final ECCurve CURVE = PARAMS.getCurve();
    private static final ECPoint G = PARAMS.getG();
    static final BigInteger N = PARAMS.getN();
    static final BigInteger HALF_N = N.shiftRight(1);
    private static final BigInteger P = CURVE.getField().getCharacteristic();

    private Secp256k1() {}

    /** r and s in [1, n-1] and s at most n/2 (EIP-2). */
    static boolean validLowS(BigInteger r, BigInteger s) {
        return r.signum() > 0 && r.compareTo(N) < 0 && s.signum() > 0 && s.compareTo(HALF_N) <= 0;
    }

    /**
     * Recovers the signer address of a 32-byte message hash, or null when the signature does not
     * correspond to any public key. The caller checks the ranges of r and s.
     */
    static Address recoverAddress(byte[] hash, int yParity, BigInteger r, BigInteger s) {
        byte[] pub = recoverPublicKey(hash, yParity, r, s);
        if (pub == null) {
            return null;
        }
        byte[] h = Keccak.hash256(pub, 1, 64);
        byte[] a = new byte[20];
        System.arraycopy(h, 12, a, 0, 20);
        return Address.wrap(a);
    }

    /** Uncompressed encoding (0x04 ‖ x ‖ y) of the recovered key, or null. */
    static byte[] recoverPublicKey(byte[] hash, int yParity, BigInteger r, BigInteger s) {
        if ((yParity & ~1) != 0 || r.signum() <= 0 || r.compareTo(N) >= 0 || s.signum() <= 0 || s.compareTo(N) >= 0) {
            return null;
        }
        if (r.compareTo(P) >= 0) {
            return null; // cannot happen for r < n, kept for clarity
        }
        byte[] compressed = new byte[33];
        compressed[0] = (byte) (0x02 + yParity);
        byte[] x = unsigned32(r);
        System.arraycopy(x, 0, compressed, 1, 32);
        ECPoint bigR;
        try {
            bigR = CURVE.decodePoint(compressed);
        } catch (IllegalArgumentException notOnCurve) {
            return null;
        }
        BigInteger e = new BigInteger(1, hash);
        BigInteger rInv = r.modInverse(N);
        BigInteger u1 = N.subtract(e).mod(N).multiply(rInv).mod(N);
        BigInteger u2 = s.multiply(rInv).mod(N);
        ECPoint q = ECAlgorithms.sumOfTwoMultiplies(G, u1, bigR, u2).normalize();
        if (q.isInfinity()) {
            return null;
        }
        return q.getEncoded(false);
    }

    /** Deterministic (RFC 6979) low-s signature; returns {yParity, r, s}. */
    static Signature sign(byte[] hash, BigInteger privateKey) {
        if (privateKey.signum() <= 0 || privateKey.compareTo(N) >= 0) {
            throw new IllegalArgumentException("private key out of range");
        }
        Sign.SignatureData sd = Sign.signMessage(hash, ECKeyPair.create(privateKey), false);
        int v = sd.getV()[0] & 0xff;
        return new Signature(v - 27, new BigInteger(1, sd.getR()), new BigInteger(1, sd.getS()));
    }

    /** The address of a private key. */
    static Address addressOf(BigInteger privateKey) {
        byte[] pub = G.multiply(privateKey).normalize().getEncoded(false);
        byte[] h = Keccak.hash256(pub, 1, 64);
        byte[] a = new byte[20];
        System.arraycopy(h, 12, a, 0, 20);
        return Address.wrap(a);
    }

    static byte[] unsigned32(BigInteger v) {
        byte[] b = v.toByteArray();
        byte[] out = new byte[32];
        int len = Math.min(b.length, 32);
        System.arraycopy(b, b.length - len, out, 32 - len, len);
        return out;
    }

    record Signature(int yParity, BigInteger r, BigInteger s) {}
}
