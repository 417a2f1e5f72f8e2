package org.rollupnode.execution.evm.operation;

import org.rollupnode.execution.evm.frame.MessageFrame;
import org.rollupnode.execution.evm.frame.Words;

/** 0x10-0x1e: comparisons, bitwise logic, BYTE, shifts and CLZ (EIP-7939). */
public final class BitwiseOperations {
    private BitwiseOperations() {}

    private static void bool(MessageFrame f, int b, boolean v) {
        Words.set(f.stack, b, v ? 1 : 0);
    }

    public static void lt(MessageFrame f) {
        int a = f.at(0);
        int b = f.at(1);
        bool(f, b, Words.compareUnsigned(f.stack, a, b) < 0);
        f.sp--;
    }

    public static void gt(MessageFrame f) {
        int a = f.at(0);
        int b = f.at(1);
        bool(f, b, Words.compareUnsigned(f.stack, a, b) > 0);
        f.sp--;
    }

    public static void slt(MessageFrame f) {
        int a = f.at(0);
        int b = f.at(1);
        bool(f, b, Words.compareSigned(f.stack, a, b) < 0);
        f.sp--;
    }

    public static void sgt(MessageFrame f) {
        int a = f.at(0);
        int b = f.at(1);
        bool(f, b, Words.compareSigned(f.stack, a, b) > 0);
        f.sp--;
    }

    public static void eq(MessageFrame f) {
        long[] s = f.stack;
        int a = f.at(0);
        int b = f.at(1);
        bool(f, b, s[a] == s[b] && s[a + 1] == s[b + 1] && s[a + 2] == s[b + 2] && s[a + 3] == s[b + 3]);
        f.sp--;
    }

    public static void iszero(MessageFrame f) {
        int a = f.at(0);
        bool(f, a, Words.isZero(f.stack, a));
    }

    public static void and(MessageFrame f) {
        long[] s = f.stack;
        int a = f.at(0);
        int b = f.at(1);
        for (int i = 0; i < 4; i++) {
            s[b + i] &= s[a + i];
        }
        f.sp--;
    }

    public static void or(MessageFrame f) {
        long[] s = f.stack;
        int a = f.at(0);
        int b = f.at(1);
        for (int i = 0; i < 4; i++) {
            s[b + i] |= s[a + i];
        }
        f.sp--;
    }

    public static void xor(MessageFrame f) {
        long[] s = f.stack;
        int a = f.at(0);
        int b = f.at(1);
        for (int i = 0; i < 4; i++) {
            s[b + i] ^= s[a + i];
        }
        f.sp--;
    }

    public static void not(MessageFrame f) {
        long[] s = f.stack;
        int a = f.at(0);
        for (int i = 0; i < 4; i++) {
            s[a + i] = ~s[a + i];
        }
    }

    public static void byteOp(MessageFrame f) {
        long[] s = f.stack;
        int i = f.at(0);
        int x = f.at(1);
        long v = 0;
        if (Words.fitsLong(s, i) && s[i] < 32) {
            int fromLsb = 31 - (int) s[i];
            v = (s[x + (fromLsb >>> 3)] >>> ((fromLsb & 7) * 8)) & 0xff;
        }
        Words.set(s, x, v);
        f.sp--;
    }

    public static void shl(MessageFrame f) {
        long[] s = f.stack;
        int n = f.at(0);
        int x = f.at(1);
        if (!Words.fitsLong(s, n) || s[n] >= 256) {
            Words.set(s, x, 0);
        } else {
            int shift = (int) s[n];
            int limbs = shift >>> 6;
            int bits = shift & 63;
            long[] r = new long[4];
            for (int i = 3; i >= limbs; i--) {
                long v = s[x + i - limbs] << bits;
                if (bits != 0 && i - limbs - 1 >= 0) {
                    v |= s[x + i - limbs - 1] >>> (64 - bits);
                }
                r[i] = v;
            }
            System.arraycopy(r, 0, s, x, 4);
        }
        f.sp--;
    }

    public static void shr(MessageFrame f) {
        long[] s = f.stack;
        int n = f.at(0);
        int x = f.at(1);
        if (!Words.fitsLong(s, n) || s[n] >= 256) {
            Words.set(s, x, 0);
        } else {
            shiftRight(s, x, (int) s[n], 0);
        }
        f.sp--;
    }

    public static void sar(MessageFrame f) {
        long[] s = f.stack;
        int n = f.at(0);
        int x = f.at(1);
        long fill = s[x + 3] < 0 ? -1L : 0;
        if (!Words.fitsLong(s, n) || s[n] >= 256) {
            s[x] = fill;
            s[x + 1] = fill;
            s[x + 2] = fill;
            s[x + 3] = fill;
        } else {
            shiftRight(s, x, (int) s[n], fill);
        }
        f.sp--;
    }

    private static void shiftRight(long[] s, int x, int shift, long fill) {
        int limbs = shift >>> 6;
        int bits = shift & 63;
        long[] src = {s[x], s[x + 1], s[x + 2], s[x + 3], fill, fill, fill, fill, fill};
        for (int i = 0; i < 4; i++) {
            long v = src[i + limbs] >>> bits;
            if (bits != 0) {
                v |= src[i + limbs + 1] << (64 - bits);
            } else {
                v = src[i + limbs];
            }
            s[x + i] = v;
        }
    }

    public static void clz(MessageFrame f) {
        int a = f.at(0);
        Words.set(f.stack, a, Words.leadingZeros(f.stack, a));
    }
}
