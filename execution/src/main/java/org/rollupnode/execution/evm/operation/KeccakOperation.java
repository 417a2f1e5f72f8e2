package org.rollupnode.execution.evm.operation;

import org.rollupnode.execution.crypto.Keccak;
import org.rollupnode.execution.evm.frame.MessageFrame;
import org.rollupnode.execution.evm.frame.Words;

/** 0x20 KECCAK256. */
public final class KeccakOperation {
    private KeccakOperation() {}

    public static void keccak256(MessageFrame f) {
        long[] s = f.stack;
        long off = Words.clampedLong(s, f.at(0));
        long len = Words.clampedLong(s, f.at(1));
        f.useGas(f.evm.gas().keccakCost(len == Long.MAX_VALUE ? 0 : len));
        f.expandMemory(off, len);
        byte[] h = len == 0 ? Keccak.hash256(new byte[0]) : Keccak.hash256(f.memory.raw(), (int) off, (int) len);
        f.sp--;
        Words.fromBytes32(h, 0, s, f.at(0));
    }
}
