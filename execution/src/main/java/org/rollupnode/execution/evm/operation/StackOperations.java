package org.rollupnode.execution.evm.operation;

import org.rollupnode.execution.evm.frame.MessageFrame;
import org.rollupnode.execution.evm.frame.Words;

/** 0x50 POP, 0x5f-0x7f PUSH0..PUSH32, 0x80-0x8f DUP, 0x90-0x9f SWAP. */
public final class StackOperations {
    private StackOperations() {}

    public static void pop(MessageFrame f) {
        f.sp--;
    }

    /** PUSHn: n immediate bytes, zero-padded on the right past the end of code. Returns the new pc. */
    public static int push(MessageFrame f, int n) {
        int b = f.sp << 2;
        byte[] code = f.codeBytes;
        int start = f.pc + 1;
        if (start + n <= code.length) {
            long[] s = f.stack;
            s[b] = 0;
            s[b + 1] = 0;
            s[b + 2] = 0;
            s[b + 3] = 0;
            for (int k = 0; k < n; k++) {
                int bitPos = 8 * (n - 1 - k);
                s[b + (bitPos >>> 6)] |= (code[start + k] & 0xffL) << (bitPos & 63);
            }
        } else {
            Words.fromBytesPadded(code, start, n, f.stack, b);
        }
        f.sp++;
        return f.pc + 1 + n;
    }

    public static void dup(MessageFrame f, int n) {
        System.arraycopy(f.stack, f.at(n - 1), f.stack, f.sp << 2, 4);
        f.sp++;
    }

    public static void swap(MessageFrame f, int n) {
        long[] s = f.stack;
        int a = f.at(0);
        int b = f.at(n);
        for (int i = 0; i < 4; i++) {
            long t = s[a + i];
            s[a + i] = s[b + i];
            s[b + i] = t;
        }
    }
}
