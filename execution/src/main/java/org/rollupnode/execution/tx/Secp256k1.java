package org.rollupnode.execution.tx;

import java.math.BigInteger;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECPoint;
import org.rollupnode.execution.crypto.Keccak;
import org.rollupnode.execution.types.Address;
import org.rollupnode.execution.types.Hash32;
import org.rollupnode.execution.util.GenerationalCache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Sign;

/**
 * secp256k1 public-key recovery and signing.
 *
 * <p>Recovery runs on libsecp256k1 through ACINQ's JNI binding when the native library loads
 * (several times faster than BouncyCastle; the JMH figures are in BENCHMARKS.md), and on
 * BouncyCastle otherwise. Both give the same answer for every input: the caller checks the ranges
 * of r and s, and a signature that recovers no key (x = r not on the curve, the point at infinity)
 * is null on both paths. BouncyCastle is used directly rather than through web3j's
 * {@code Sign.recoverFromSignature}, because that method turns a recovered point at infinity into
 * the public key 0 (and so into an address) instead of failing.
 *
 * <p>Recovered addresses are kept in a small process-wide cache: in the all-in-one node the same
 * transaction is decoded by the gateway's admission, the sequencer's intake and every gateway's
 * re-execution of the block, and recovery is by far the largest part of each decode. Recovery is
 * a pure function of (message hash, y-parity, r, s), so a hit is exactly the value a recovery
 * would give.
 */
final class Secp256k1 {
    private static final Logger LOG = LoggerFactory.getLogger("rollup_node::execution");
    private static final X9ECParameters PARAMS = CustomNamedCurves.getByName("secp256k1");
    private static final ECCurve CURVE = PARAMS.getCurve();
    private static final ECPoint G = PARAMS.getG();
    static final BigInteger N = PARAMS.getN();
    static final BigInteger HALF_N = N.shiftRight(1);
    private static final BigInteger P = CURVE.getField().getCharacteristic();

    private static final boolean NATIVE = loadNative();
    // Sized for the distance, in transactions, between the gateway's admission (first recovery)
    // and the sequencer's intake and build: at 3,000 tx/s a backlog of 40 s still hits (~30 MB at most).
    private static final GenerationalCache<RecoveryKey, Address> CACHE = new GenerationalCache<>(131_072);

    private Secp256k1() {}

    private static boolean loadNative() {
        if (Boolean.getBoolean("rollupnode.secp256k1.bouncycastle")) {
            return false;
        }
        try {
            fr.acinq.secp256k1.Secp256k1.Companion.get();
            return true;
        } catch (Throwable e) { // UnsatisfiedLinkError and friends: fall back, never fail the node
            LOG.warn("libsecp256k1 JNI unavailable, sender recovery uses BouncyCastle: {}", e.toString());
            return false;
        }
    }

    /** Whether recovery runs on libsecp256k1 (false: BouncyCastle). */
    static boolean usesNative() {
        return NATIVE;
    }

    /** r and s in [1, n-1] and s at most n/2 (EIP-2). */
    static boolean validLowS(BigInteger r, BigInteger s) {
        return r.signum() > 0 && r.compareTo(N) < 0 && s.signum() > 0 && s.compareTo(HALF_N) <= 0;
    }

    /**
     * Recovers the signer address of a 32-byte message hash, or null when the signature does not
     * correspond to any public key. The caller checks the ranges of r and s.
     */
    static Address recoverAddress(byte[] hash, int yParity, BigInteger r, BigInteger s) {
        RecoveryKey key = new RecoveryKey(Hash32.wrap(hash), yParity, r, s);
        Address cached = CACHE.get(key);
        if (cached != null) {
            return cached;
        }
        Address a = recoverAddressUncached(hash, yParity, r, s);
        if (a != null) {
            CACHE.put(key, a); // failures are rare and not worth remembering
        }
        return a;
    }

    static Address recoverAddressUncached(byte[] hash, int yParity, BigInteger r, BigInteger s) {
        return addressOfKey(recoverPublicKey(hash, yParity, r, s));
    }

    /** Uncompressed encoding (0x04 ‖ x ‖ y) of the recovered key, or null. */
    static byte[] recoverPublicKey(byte[] hash, int yParity, BigInteger r, BigInteger s) {
        if (!inRange(yParity, r, s)) {
            return null;
        }
        return NATIVE ? recoverPublicKeyNative(hash, yParity, r, s) : recoverPublicKeyBouncyCastle(hash, yParity, r, s);
    }

    private static boolean inRange(int yParity, BigInteger r, BigInteger s) {
        // r < n < p, so x = r is always a field element; the point may still not exist.
        return (yParity & ~1) == 0 && r.signum() > 0 && r.compareTo(N) < 0 && s.signum() > 0 && s.compareTo(N) < 0;
    }

    static byte[] recoverPublicKeyNative(byte[] hash, int yParity, BigInteger r, BigInteger s) {
        if (!inRange(yParity, r, s)) {
            return null;
        }
        byte[] rs = new byte[64];
        putUnsigned32(r, rs, 0);
        putUnsigned32(s, rs, 32);
        try {
            byte[] pub = fr.acinq.secp256k1.Secp256k1.Companion.ecdsaRecover(rs, hash, yParity);
            return pub != null && pub.length == 65 ? pub : null;
        } catch (RuntimeException noKey) { // Secp256k1Exception: no public key for this signature
            return null;
        }
    }

    static byte[] recoverPublicKeyBouncyCastle(byte[] hash, int yParity, BigInteger r, BigInteger s) {
        if (!inRange(yParity, r, s) || r.compareTo(P) >= 0) {
            return null;
        }
        byte[] compressed = new byte[33];
        compressed[0] = (byte) (0x02 + yParity);
        putUnsigned32(r, compressed, 1);
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

    private static Address addressOfKey(byte[] pub) {
        if (pub == null) {
            return null;
        }
        byte[] h = Keccak.hash256(pub, 1, 64);
        byte[] a = new byte[20];
        System.arraycopy(h, 12, a, 0, 20);
        return Address.wrap(a);
    }

    /**
     * Deterministic (RFC 6979, HMAC-SHA256) low-s signature; returns {yParity, r, s}. libsecp256k1
     * and web3j/BouncyCastle derive the same nonce, so both paths give the same signature.
     */
    static Signature sign(byte[] hash, BigInteger privateKey) {
        if (privateKey.signum() <= 0 || privateKey.compareTo(N) >= 0) {
            throw new IllegalArgumentException("private key out of range");
        }
        return NATIVE ? signNative(hash, privateKey) : signBouncyCastle(hash, privateKey);
    }

    static Signature signBouncyCastle(byte[] hash, BigInteger privateKey) {
        Sign.SignatureData sd = Sign.signMessage(hash, ECKeyPair.create(privateKey), false);
        int v = sd.getV()[0] & 0xff;
        return new Signature(v - 27, new BigInteger(1, sd.getR()), new BigInteger(1, sd.getS()));
    }

    static Signature signNative(byte[] hash, BigInteger privateKey) {
        var lib = fr.acinq.secp256k1.Secp256k1.Companion;
        byte[] priv = unsigned32(privateKey);
        byte[] rs = lib.sign(hash, priv); // compact r ‖ s, s already normalized low
        byte[] pub = lib.pubKeyCompress(lib.pubkeyCreate(priv));
        // The JNI binding does not return the recovery id: it is the parity that recovers our key.
        for (int parity = 0; parity <= 1; parity++) {
            try {
                byte[] rec = lib.pubKeyCompress(lib.ecdsaRecover(rs, hash, parity));
                if (java.util.Arrays.equals(rec, pub)) {
                    return new Signature(parity, new BigInteger(1, java.util.Arrays.copyOfRange(rs, 0, 32)),
                            new BigInteger(1, java.util.Arrays.copyOfRange(rs, 32, 64)));
                }
            } catch (RuntimeException noKey) {
                // this parity recovers nothing; the other one must
            }
        }
        throw new IllegalStateException("libsecp256k1 signature recovers to neither parity");
    }

    /** The address of a private key. */
    static Address addressOf(BigInteger privateKey) {
        return addressOfKey(G.multiply(privateKey).normalize().getEncoded(false));
    }

    static byte[] unsigned32(BigInteger v) {
        byte[] out = new byte[32];
        putUnsigned32(v, out, 0);
        return out;
    }

    private static void putUnsigned32(BigInteger v, byte[] out, int offset) {
        byte[] b = v.toByteArray();
        int len = Math.min(b.length, 32);
        System.arraycopy(b, b.length - len, out, offset + 32 - len, len);
    }

    /** Forgets every cached recovery (benchmarks measure recovery itself, not the cache). */
    static void clearCache() {
        CACHE.clear();
    }

    record Signature(int yParity, BigInteger r, BigInteger s) {}

    private record RecoveryKey(Hash32 hash, int yParity, BigInteger r, BigInteger s) {}
}
