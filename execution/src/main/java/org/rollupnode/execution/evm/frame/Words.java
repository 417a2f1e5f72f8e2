package org.rollupnode.execution.evm.frame;

import java.math.BigInteger;
import org.rollupnode.execution.types.Address;
import org.rollupnode.execution.types.Hash32;

/**
 * 256-bit word arithmetic on a flat {@code long[]}: a word at base {@code b} is the four limbs
 * {@code s[b..b+3]}, least significant first. The stack keeps its words in one such array so the
 * hot opcodes (ADD, AND, PUSH, DUP...) never allocate; the rare wide operations (DIV of large
 * operands, ADDMOD, MULMOD, SDIV, SMOD) go through BigInteger.
 */
public final class Words {
    private static final BigInteger TWO_256 = BigInteger.ONE.shiftLeft(256);
    private static final BigInteger MASK_64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private Words() {}

    public static boolean isZero(long[] s, int b) {
        return (s[b] | s[b + 1] | s[b + 2] | s[b + 3]) == 0;
    }

    public static void set(long[] s, int b, long v) {
        s[b] = v;
        s[b + 1] = 0;
        s[b + 2] = 0;
        s[b + 3] = 0;
    }

    /** True when the word fits in a non-negative long. */
    public static boolean fitsLong(long[] s, int b) {
        return (s[b + 1] | s[b + 2] | s[b + 3]) == 0 && s[b] >= 0;
    }

    /** The value clamped to Long.MAX_VALUE: a cheap guard for offsets and sizes. */
    public static long clampedLong(long[] s, int b) {
        return fitsLong(s, b) ? s[b] : Long.MAX_VALUE;
    }

    public static long unsignedMultiplyHigh(long x, long y) {
        return Math.multiplyHigh(x, y) + ((x >> 63) & y) + ((y >> 63) & x);
    }

    /** out = x * y mod 2^256 (4 limbs each at the given offsets; out may alias x or y). */
    public static void mul(long[] x, int xb, long[] y, int yb, long[] out, int ob) {
        long a0 = x[xb], a1 = x[xb + 1], a2 = x[xb + 2], a3 = x[xb + 3];
        long b0 = y[yb], b1 = y[yb + 1], b2 = y[yb + 2], b3 = y[yb + 3];
        // Schoolbook, row by row, dropping everything at or above 2^256. Each step adds at most
        // two 64-bit values to a 128-bit product, which cannot overflow 128 bits.
        long lo = a0 * b0;
        long hi = unsignedMultiplyHigh(a0, b0);
        long r0 = lo;
        long c = hi;
        lo = a0 * b1;
        hi = unsignedMultiplyHigh(a0, b1);
        lo += c;
        if (Long.compareUnsigned(lo, c) < 0) hi++;
        long r1 = lo;
        c = hi;
        lo = a0 * b2;
        hi = unsignedMultiplyHigh(a0, b2);
        lo += c;
        if (Long.compareUnsigned(lo, c) < 0) hi++;
        long r2 = lo;
        c = hi;
        long r3 = a0 * b3 + c;

        lo = a1 * b0;
        hi = unsignedMultiplyHigh(a1, b0);
        r1 += lo;
        if (Long.compareUnsigned(r1, lo) < 0) hi++;
        c = hi;
        lo = a1 * b1;
        hi = unsignedMultiplyHigh(a1, b1);
        lo += c;
        if (Long.compareUnsigned(lo, c) < 0) hi++;
        r2 += lo;
        if (Long.compareUnsigned(r2, lo) < 0) hi++;
        c = hi;
        r3 += a1 * b2 + c;

        lo = a2 * b0;
        hi = unsignedMultiplyHigh(a2, b0);
        r2 += lo;
        if (Long.compareUnsigned(r2, lo) < 0) hi++;
        c = hi;
        r3 += a2 * b1 + c;

        r3 += a3 * b0;
        out[ob] = r0;
        out[ob + 1] = r1;
        out[ob + 2] = r2;
        out[ob + 3] = r3;
    }

    public static int compareUnsigned(long[] s, int a, int b) {
        for (int i = 3; i >= 0; i--) {
            int c = Long.compareUnsigned(s[a + i], s[b + i]);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    public static int compareSigned(long[] s, int a, int b) {
        int c = Long.compare(s[a + 3], s[b + 3]);
        if (c != 0) {
            return c;
        }
        for (int i = 2; i >= 0; i--) {
            c = Long.compareUnsigned(s[a + i], s[b + i]);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    public static BigInteger toBigInteger(long[] s, int b) {
        byte[] bytes = new byte[33];
        toBytes(s, b, bytes, 1);
        return new BigInteger(bytes);
    }

    public static BigInteger toSignedBigInteger(long[] s, int b) {
        byte[] bytes = new byte[32];
        toBytes(s, b, bytes, 0);
        return new BigInteger(bytes);
    }

    /** Stores v mod 2^256 (two's complement for negative values). */
    public static void fromBigInteger(BigInteger v, long[] s, int b) {
        if (v.signum() < 0 || v.bitLength() > 256) {
            v = v.mod(TWO_256);
        }
        for (int i = 0; i < 4; i++) {
            s[b + i] = v.shiftRight(64 * i).and(MASK_64).longValue();
        }
    }

    /** 32 big-endian bytes into out[off..off+31]. */
    public static void toBytes(long[] s, int b, byte[] out, int off) {
        for (int i = 0; i < 4; i++) {
            long limb = s[b + 3 - i];
            int o = off + 8 * i;
            for (int k = 0; k < 8; k++) {
                out[o + k] = (byte) (limb >>> (56 - 8 * k));
            }
        }
    }

    public static byte[] toBytes(long[] s, int b) {
        byte[] out = new byte[32];
        toBytes(s, b, out, 0);
        return out;
    }

    /**
     * Reads {@code len} (at most 32) bytes of {@code src} from {@code off} as a big-endian number;
     * bytes past the end of src read as zero (PUSH at the end of code, CALLDATALOAD past the data).
     */
    public static void fromBytesPadded(byte[] src, long off, int len, long[] s, int b) {
        s[b] = 0;
        s[b + 1] = 0;
        s[b + 2] = 0;
        s[b + 3] = 0;
        for (int k = 0; k < len; k++) {
            long idx = off + k;
            int v = idx >= 0 && idx < src.length ? src[(int) idx] & 0xff : 0;
            if (v == 0) {
                continue;
            }
            int bitPos = 8 * (len - 1 - k);
            s[b + (bitPos >>> 6)] |= ((long) v) << (bitPos & 63);
        }
    }

    public static void fromBytes32(byte[] src, int off, long[] s, int b) {
        for (int i = 0; i < 4; i++) {
            long limb = 0;
            int o = off + 8 * (3 - i);
            for (int k = 0; k < 8; k++) {
                limb = (limb << 8) | (src[o + k] & 0xffL);
            }
            s[b + i] = limb;
        }
    }

    public static Address toAddress(long[] s, int b) {
        byte[] w = toBytes(s, b);
        byte[] a = new byte[20];
        System.arraycopy(w, 12, a, 0, 20);
        return Address.wrap(a);
    }

    public static void fromAddress(Address a, long[] s, int b) {
        byte[] w = new byte[32];
        System.arraycopy(a.unsafeBytes(), 0, w, 12, 20);
        fromBytes32(w, 0, s, b);
    }

    public static Hash32 toHash(long[] s, int b) {
        return Hash32.wrap(toBytes(s, b));
    }

    public static void fromHash(Hash32 h, long[] s, int b) {
        fromBytes32(h.unsafeBytes(), 0, s, b);
    }

    /** Number of bytes needed to represent the word (0 for zero). */
    public static int byteLength(long[] s, int b) {
        for (int i = 3; i >= 0; i--) {
            if (s[b + i] != 0) {
                return i * 8 + (64 - Long.numberOfLeadingZeros(s[b + i]) + 7) / 8;
            }
        }
        return 0;
    }

    public static int leadingZeros(long[] s, int b) {
        for (int i = 3; i >= 0; i--) {
            if (s[b + i] != 0) {
                return (3 - i) * 64 + Long.numberOfLeadingZeros(s[b + i]);
            }
        }
        return 256;
    }
}
