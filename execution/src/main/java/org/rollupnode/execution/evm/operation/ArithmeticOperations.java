package org.rollupnode.execution.evm.operation;

import java.math.BigInteger;
import org.rollupnode.execution.evm.frame.MessageFrame;
import org.rollupnode.execution.evm.frame.Words;

/** 0x01-0x0b: ADD, MUL, SUB, DIV, SDIV, MOD, SMOD, ADDMOD, MULMOD, EXP, SIGNEXTEND. */
public final class ArithmeticOperations {
    private ArithmeticOperations() {}

    public static void add(MessageFrame f) {
        long[] s = f.stack;
        int a = f.at(0);
        int b = f.at(1);
        long carry = 0;
        for (int i = 0; i < 4; i++) {
            long x = s[a + i];
            long sum = x + s[b + i];
            long c1 = Long.compareUnsigned(sum, x) < 0 ? 1 : 0;
            long sum2 = sum + carry;
            long c2 = Long.compareUnsigned(sum2, sum) < 0 ? 1 : 0;
            s[b + i] = sum2;
            carry = c1 | c2;
        }
        f.sp--;
    }

    public static void sub(MessageFrame f) {
        long[] s = f.stack;
        int a = f.at(0);
        int b = f.at(1);
        long borrow = 0;
        for (int i = 0; i < 4; i++) {
            long x = s[a + i];
            long y = s[b + i];
            long d = x - y;
            long b1 = Long.compareUnsigned(x, y) < 0 ? 1 : 0;
            long d2 = d - borrow;
            long b2 = Long.compareUnsigned(d, borrow) < 0 ? 1 : 0;
            s[b + i] = d2;
            borrow = b1 | b2;
        }
        f.sp--;
    }

    public static void mul(MessageFrame f) {
        long[] s = f.stack;
        Words.mul(s, f.at(0), s, f.at(1), s, f.at(1));
        f.sp--;
    }

    public static void div(MessageFrame f) {
        long[] s = f.stack;
        int a = f.at(0);
        int b = f.at(1);
        if (Words.isZero(s, b)) {
            // x / 0 = 0: already zero in place
        } else if ((s[a + 1] | s[a + 2] | s[a + 3] | s[b + 1] | s[b + 2] | s[b + 3]) == 0) {
            Words.set(s, b, Long.divideUnsigned(s[a], s[b]));
        } else {
            Words.fromBigInteger(Words.toBigInteger(s, a).divide(Words.toBigInteger(s, b)), s, b);
        }
        f.sp--;
    }

    public static void mod(MessageFrame f) {
        long[] s = f.stack;
        int a = f.at(0);
        int b = f.at(1);
        if (Words.isZero(s, b)) {
            // x % 0 = 0
        } else if ((s[a + 1] | s[a + 2] | s[a + 3] | s[b + 1] | s[b + 2] | s[b + 3]) == 0) {
            Words.set(s, b, Long.remainderUnsigned(s[a], s[b]));
        } else {
            Words.fromBigInteger(Words.toBigInteger(s, a).mod(Words.toBigInteger(s, b)), s, b);
        }
        f.sp--;
    }

    public static void sdiv(MessageFrame f) {
        long[] s = f.stack;
        int a = f.at(0);
        int b = f.at(1);
        if (!Words.isZero(s, b)) {
            // BigInteger.divide truncates toward zero, as the EVM does; MIN / -1 wraps to MIN mod 2^256.
            Words.fromBigInteger(Words.toSignedBigInteger(s, a).divide(Words.toSignedBigInteger(s, b)), s, b);
        }
        f.sp--;
    }

    public static void smod(MessageFrame f) {
        long[] s = f.stack;
        int a = f.at(0);
        int b = f.at(1);
        if (!Words.isZero(s, b)) {
            // The result takes the sign of the dividend: BigInteger.remainder.
            Words.fromBigInteger(Words.toSignedBigInteger(s, a).remainder(Words.toSignedBigInteger(s, b)), s, b);
        }
        f.sp--;
    }

    public static void addmod(MessageFrame f) {
        long[] s = f.stack;
        int a = f.at(0);
        int b = f.at(1);
        int n = f.at(2);
        if (Words.isZero(s, n)) {
            Words.set(s, n, 0);
        } else {
            BigInteger r = Words.toBigInteger(s, a).add(Words.toBigInteger(s, b)).mod(Words.toBigInteger(s, n));
            Words.fromBigInteger(r, s, n);
        }
        f.sp -= 2;
    }

    public static void mulmod(MessageFrame f) {
        long[] s = f.stack;
        int a = f.at(0);
        int b = f.at(1);
        int n = f.at(2);
        if (Words.isZero(s, n)) {
            Words.set(s, n, 0);
        } else {
            BigInteger r = Words.toBigInteger(s, a).multiply(Words.toBigInteger(s, b)).mod(Words.toBigInteger(s, n));
            Words.fromBigInteger(r, s, n);
        }
        f.sp -= 2;
    }

    public static void exp(MessageFrame f) {
        long[] s = f.stack;
        int a = f.at(0);
        int e = f.at(1);
        f.useGas(f.evm.gas().expCost(Words.byteLength(s, e)));
        long[] result = {1, 0, 0, 0};
        long[] base = {s[a], s[a + 1], s[a + 2], s[a + 3]};
        int bits = 256 - Words.leadingZeros(s, e);
        for (int i = bits - 1; i >= 0; i--) {
            Words.mul(result, 0, result, 0, result, 0);
            if (((s[e + (i >>> 6)] >>> (i & 63)) & 1) != 0) {
                Words.mul(result, 0, base, 0, result, 0);
            }
        }
        System.arraycopy(result, 0, s, e, 4);
        f.sp--;
    }

    public static void signextend(MessageFrame f) {
        long[] s = f.stack;
        int k = f.at(0);
        int x = f.at(1);
        if (Words.fitsLong(s, k) && s[k] < 31) {
            int bit = (int) s[k] * 8 + 7;
            int limb = bit >>> 6;
            int pos = bit & 63;
            boolean negative = ((s[x + limb] >>> pos) & 1) != 0;
            long maskLow = pos == 63 ? -1L : (1L << (pos + 1)) - 1;
            if (negative) {
                s[x + limb] |= ~maskLow;
                for (int i = limb + 1; i < 4; i++) {
                    s[x + i] = -1L;
                }
            } else {
                s[x + limb] &= maskLow;
                for (int i = limb + 1; i < 4; i++) {
                    s[x + i] = 0;
                }
            }
        }
        f.sp--;
    }
}
