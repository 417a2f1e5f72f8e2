package org.rollupnode.execution.evm.operation;

import java.util.ArrayList;
import java.util.List;
import org.rollupnode.execution.block.Log;
import org.rollupnode.execution.evm.ExceptionalHalt;
import org.rollupnode.execution.evm.frame.MessageFrame;
import org.rollupnode.execution.evm.frame.Words;
import org.rollupnode.execution.types.Hash32;

/** 0xa0-0xa4 LOG0..LOG4. */
public final class LogOperations {
    private LogOperations() {}

    public static void log(MessageFrame f, int topics) {
        if (f.isStatic) {
            throw ExceptionalHalt.WRITE_PROTECTION.error();
        }
        long[] s = f.stack;
        long off = Words.clampedLong(s, f.at(0));
        long len = Words.clampedLong(s, f.at(1));
        f.useGas(f.evm.gas().logCost(topics, len == Long.MAX_VALUE ? Long.MAX_VALUE / 16 : len));
        f.expandMemory(off, len);
        List<Hash32> t = new ArrayList<>(topics);
        for (int i = 0; i < topics; i++) {
            t.add(Words.toHash(s, f.at(2 + i)));
        }
        f.evm.state().addLog(new Log(f.recipient, t, f.memory.slice(off, len)));
        f.sp -= 2 + topics;
    }
}
