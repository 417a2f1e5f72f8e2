package org.rollupnode.execution.evm.operation;

import org.rollupnode.execution.evm.frame.MessageFrame;
import org.rollupnode.execution.evm.frame.Words;

/** 0x51-0x53 MLOAD, MSTORE, MSTORE8; 0x59 MSIZE; 0x5e MCOPY (EIP-5656). */
public final class MemoryOperations {
    private MemoryOperations() {}

    public static void mload(MessageFrame f) {
        long[] s = f.stack;
        int a = f.at(0);
        long off = Words.clampedLong(s, a);
        f.expandMemory(off, 32);
        Words.fromBytes32(f.memory.raw(), (int) off, s, a);
    }

    public static void mstore(MessageFrame f) {
        long[] s = f.stack;
        long off = Words.clampedLong(s, f.at(0));
        f.expandMemory(off, 32);
        Words.toBytes(s, f.at(1), f.memory.raw(), (int) off);
        f.sp -= 2;
    }

    public static void mstore8(MessageFrame f) {
        long[] s = f.stack;
        long off = Words.clampedLong(s, f.at(0));
        f.expandMemory(off, 1);
        f.memory.storeByte(off, (byte) s[f.at(1)]);
        f.sp -= 2;
    }

    public static void msize(MessageFrame f) {
        f.pushLong(f.memory.size());
    }

    public static void mcopy(MessageFrame f) {
        long[] s = f.stack;
        long dst = Words.clampedLong(s, f.at(0));
        long src = Words.clampedLong(s, f.at(1));
        long len = Words.clampedLong(s, f.at(2));
        f.useGas(f.evm.gas().copyCost(len == Long.MAX_VALUE ? Long.MAX_VALUE / 8 : len));
        f.expandMemory(dst, len, src, len);
        f.memory.copyWithin(dst, src, len);
        f.sp -= 3;
    }
}
