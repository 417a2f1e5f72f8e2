package org.rollupnode.execution.evm.precompile;

import java.math.BigInteger;

/**
 * An element of the BN254 base field, kept in Montgomery form (a·R mod p, R = 2^256) as four
 * little-endian 64-bit limbs. Immutable.
 *
 * <p>Montgomery multiplication on longs is several times faster than BigInteger for this fixed
 * 254-bit modulus, and the pairing spends nearly all its time here. Inversion is rare (affine
 * conversions, one per final exponentiation) and uses BigInteger.
 */
final class Fp implements FieldElement<Fp> {
    static final BigInteger MODULUS =
            new BigInteger("21888242871839275222246405745257275088696311157297823662689037894645226208583");

    private static final long[] P = limbsOf(MODULUS);
    private static final long P0 = P[0];
    private static final long P1 = P[1];
    private static final long P2 = P[2];
    private static final long P3 = P[3];
    /** -p^-1 mod 2^64, the Montgomery reduction factor. */
    private static final long INV = BigInteger.ONE.shiftLeft(64)
            .subtract(MODULUS.modInverse(BigInteger.ONE.shiftLeft(64))).longValue();
    /** R^2 mod p: multiplying by it converts into Montgomery form. */
    private static final long[] R2 = limbsOf(BigInteger.ONE.shiftLeft(512).mod(MODULUS));

    static final Fp ZERO = new Fp(0, 0, 0, 0);
    static final Fp ONE = fromBigInteger(BigInteger.ONE);

    // Montgomery-form limbs, least significant first. Fields rather than an array so that the
    // JIT keeps them in registers and allocates nothing but the result object.
    private final long v0;
    private final long v1;
    private final long v2;
    private final long v3;

    private Fp(long v0, long v1, long v2, long v3) {
        this.v0 = v0;
        this.v1 = v1;
        this.v2 = v2;
        this.v3 = v3;
    }

    /** The caller guarantees 0 <= value < p. */
    static Fp fromBigInteger(BigInteger value) {
        long[] l = limbsOf(value);
        return montMul(l[0], l[1], l[2], l[3], R2[0], R2[1], R2[2], R2[3]);
    }

    static Fp of(long small) {
        return fromBigInteger(BigInteger.valueOf(small).mod(MODULUS));
    }

    /** Big-endian 32 bytes at off; null when the value is not below p (not a canonical field element). */
    static Fp fromBytes32(byte[] in, int off) {
        long[] l = new long[4];
        for (int i = 0; i < 4; i++) {
            long w = 0;
            for (int b = 0; b < 8; b++) {
                w = (w << 8) | (in[off + 8 * (3 - i) + b] & 0xFF);
            }
            l[i] = w;
        }
        if (!lessThanP(l[0], l[1], l[2], l[3])) {
            return null;
        }
        return montMul(l[0], l[1], l[2], l[3], R2[0], R2[1], R2[2], R2[3]);
    }

    void toBytes32(byte[] out, int off) {
        Fp plain = montMul(v0, v1, v2, v3, 1, 0, 0, 0);
        long[] l = {plain.v0, plain.v1, plain.v2, plain.v3};
        for (int i = 0; i < 4; i++) {
            long w = l[i];
            for (int b = 7; b >= 0; b--) {
                out[off + 8 * (3 - i) + b] = (byte) w;
                w >>>= 8;
            }
        }
    }

    BigInteger toBigInteger() {
        byte[] out = new byte[32];
        toBytes32(out, 0);
        return new BigInteger(1, out);
    }

    @Override
    public Fp add(Fp o) {
        // p < 2^254, so the sum of two reduced values never carries out of 256 bits.
        long r0 = v0 + o.v0;
        long c = Long.compareUnsigned(r0, v0) < 0 ? 1 : 0;
        long r1 = v1 + o.v1 + c;
        c = carryOut(v1, o.v1, c, r1);
        long r2 = v2 + o.v2 + c;
        c = carryOut(v2, o.v2, c, r2);
        long r3 = v3 + o.v3 + c;
        return reduceOnce(r0, r1, r2, r3);
    }

    @Override
    public Fp sub(Fp o) {
        long r0 = v0 - o.v0;
        long b = Long.compareUnsigned(v0, o.v0) < 0 ? 1 : 0;
        long r1 = v1 - o.v1 - b;
        b = borrowOut(v1, o.v1, b);
        long r2 = v2 - o.v2 - b;
        b = borrowOut(v2, o.v2, b);
        long r3 = v3 - o.v3 - b;
        b = borrowOut(v3, o.v3, b);
        if (b == 0) {
            return new Fp(r0, r1, r2, r3);
        }
        // Went below zero: add p back.
        long s0 = r0 + P0;
        long c = Long.compareUnsigned(s0, r0) < 0 ? 1 : 0;
        long s1 = r1 + P1 + c;
        c = carryOut(r1, P1, c, s1);
        long s2 = r2 + P2 + c;
        c = carryOut(r2, P2, c, s2);
        long s3 = r3 + P3 + c;
        return new Fp(s0, s1, s2, s3);
    }

    /** Carry of x + y + cin (cin 0 or 1) whose 64-bit sum is sum. */
    private static long carryOut(long x, long y, long cin, long sum) {
        return (Long.compareUnsigned(sum, x) < 0 || (cin != 0 && sum == x)) ? 1 : 0;
    }

    /** Borrow of x - y - bin (bin 0 or 1). */
    private static long borrowOut(long x, long y, long bin) {
        return (Long.compareUnsigned(x, y) < 0 || (bin != 0 && x == y)) ? 1 : 0;
    }

    @Override
    public Fp neg() {
        return isZero() ? this : ZERO.sub(this);
    }

    Fp dbl() {
        return add(this);
    }

    @Override
    public Fp mul(Fp o) {
        return montMul(v0, v1, v2, v3, o.v0, o.v1, o.v2, o.v3);
    }

    @Override
    public Fp square() {
        return montMul(v0, v1, v2, v3, v0, v1, v2, v3);
    }

    @Override
    public Fp inverse() {
        if (isZero()) {
            throw new ArithmeticException("inverse of zero in Fp");
        }
        return fromBigInteger(toBigInteger().modInverse(MODULUS));
    }

    @Override
    public boolean isZero() {
        return (v0 | v1 | v2 | v3) == 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Fp f && v0 == f.v0 && v1 == f.v1 && v2 == f.v2 && v3 == f.v3;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(v0 ^ v1 ^ v2 ^ v3);
    }

    @Override
    public String toString() {
        return toBigInteger().toString(16);
    }

    // ---- limb arithmetic ----

    /**
     * Montgomery product a·b·R^-1 mod p, fully reduced, for inputs below p. This is CIOS with the
     * "no-carry" shortcut (as in gnark-crypto): because p's top limb is below 2^62, the running
     * value t never needs a fifth and sixth word.
     */
    private static Fp montMul(long a0, long a1, long a2, long a3, long b0, long b1, long b2, long b3) {
        long t0 = 0;
        long t1 = 0;
        long t2 = 0;
        long t3 = 0;
        for (int i = 0; i < 4; i++) {
            long bi = i == 0 ? b0 : i == 1 ? b1 : i == 2 ? b2 : b3;
            // (A, t0) = t0 + a0*bi
            long a = macHi(t0, a0, bi, 0);
            t0 = macLo(t0, a0, bi, 0);
            long m = t0 * INV;
            // t0 + m*p0 is 0 mod 2^64 by the choice of m; keep its carry.
            long c = macHi(t0, m, P0, 0);
            // (A, t1) = t1 + a1*bi + A; (C, t0) = t1 + m*p1 + C; and so on up the words.
            long x = t1;
            t1 = macLo(x, a1, bi, a);
            a = macHi(x, a1, bi, a);
            t0 = macLo(t1, m, P1, c);
            c = macHi(t1, m, P1, c);
            x = t2;
            t2 = macLo(x, a2, bi, a);
            a = macHi(x, a2, bi, a);
            t1 = macLo(t2, m, P2, c);
            c = macHi(t2, m, P2, c);
            x = t3;
            t3 = macLo(x, a3, bi, a);
            a = macHi(x, a3, bi, a);
            t2 = macLo(t3, m, P3, c);
            c = macHi(t3, m, P3, c);
            t3 = c + a;
        }
        return reduceOnce(t0, t1, t2, t3);
    }

    /** Low word of x + y*z + c (all unsigned 64-bit). */
    private static long macLo(long x, long y, long z, long c) {
        return y * z + x + c;
    }

    /** High word of x + y*z + c; it cannot overflow since (2^64-1)^2 + 2(2^64-1) < 2^128. */
    private static long macHi(long x, long y, long z, long c) {
        long lo = y * z;
        long hi = unsignedMultiplyHigh(y, z);
        long s = lo + x;
        if (Long.compareUnsigned(s, lo) < 0) {
            hi++;
        }
        long s2 = s + c;
        if (Long.compareUnsigned(s2, s) < 0) {
            hi++;
        }
        return hi;
    }

    /** r - p if r >= p, else r; for r < 2p. */
    private static Fp reduceOnce(long r0, long r1, long r2, long r3) {
        if (!lessThanP(r0, r1, r2, r3)) {
            long d0 = r0 - P0;
            long b = Long.compareUnsigned(r0, P0) < 0 ? 1 : 0;
            long d1 = r1 - P1 - b;
            b = borrowOut(r1, P1, b);
            long d2 = r2 - P2 - b;
            b = borrowOut(r2, P2, b);
            long d3 = r3 - P3 - b;
            return new Fp(d0, d1, d2, d3);
        }
        return new Fp(r0, r1, r2, r3);
    }

    /** Java 17 has only the signed high product; this corrects it for unsigned operands. */
    private static long unsignedMultiplyHigh(long x, long y) {
        return Math.multiplyHigh(x, y) + ((x >> 63) & y) + ((y >> 63) & x);
    }

    private static boolean lessThanP(long r0, long r1, long r2, long r3) {
        if (r3 != P3) {
            return Long.compareUnsigned(r3, P3) < 0;
        }
        if (r2 != P2) {
            return Long.compareUnsigned(r2, P2) < 0;
        }
        if (r1 != P1) {
            return Long.compareUnsigned(r1, P1) < 0;
        }
        return Long.compareUnsigned(r0, P0) < 0;
    }

    private static long[] limbsOf(BigInteger x) {
        long[] r = new long[4];
        for (int i = 0; i < 4; i++) {
            r[i] = x.shiftRight(64 * i).longValue();
        }
        return r;
    }
}
