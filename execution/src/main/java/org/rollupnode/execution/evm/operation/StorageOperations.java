package org.rollupnode.execution.evm.operation;

import org.rollupnode.execution.evm.ExceptionalHalt;
import org.rollupnode.execution.evm.frame.MessageFrame;
import org.rollupnode.execution.evm.frame.Words;
import org.rollupnode.execution.evm.gas.GasCalculator;
import org.rollupnode.execution.evm.state.JournaledState;
import org.rollupnode.execution.types.Hash32;

/** 0x54 SLOAD, 0x55 SSTORE (EIP-2200/2929/3529), 0x5c TLOAD, 0x5d TSTORE (EIP-1153). */
public final class StorageOperations {
    private StorageOperations() {}

    public static void sload(MessageFrame f) {
        int a = f.at(0);
        Hash32 key = Words.toHash(f.stack, a);
        JournaledState st = f.evm.state();
        var g = f.evm.gas().schedule();
        f.useGas(st.warmSlot(f.recipient, key) ? g.coldSload() : g.warmStorageRead());
        Words.fromHash(st.storage(f.recipient, key), f.stack, a);
    }

    public static void sstore(MessageFrame f) {
        if (f.isStatic) {
            throw ExceptionalHalt.WRITE_PROTECTION.error();
        }
        GasCalculator gc = f.evm.gas();
        if (f.gas <= gc.schedule().sstoreSentry()) {
            throw ExceptionalHalt.OUT_OF_GAS.error(); // EIP-2200 sentry
        }
        Hash32 key = Words.toHash(f.stack, f.at(0));
        Hash32 value = Words.toHash(f.stack, f.at(1));
        JournaledState st = f.evm.state();
        long cost = st.warmSlot(f.recipient, key) ? gc.schedule().coldSload() : 0;
        Hash32 current = st.storage(f.recipient, key);
        Hash32 original = st.originalStorage(f.recipient, key);
        cost += gc.sstoreCost(original, current, value);
        f.useGas(cost);
        st.addRefund(gc.sstoreRefund(original, current, value));
        if (!current.equals(value)) {
            st.setStorage(f.recipient, key, value);
        }
        f.sp -= 2;
    }

    public static void tload(MessageFrame f) {
        int a = f.at(0);
        Hash32 key = Words.toHash(f.stack, a);
        Words.fromHash(f.evm.state().transientStorage(f.recipient, key), f.stack, a);
    }

    public static void tstore(MessageFrame f) {
        if (f.isStatic) {
            throw ExceptionalHalt.WRITE_PROTECTION.error();
        }
        Hash32 key = Words.toHash(f.stack, f.at(0));
        Hash32 value = Words.toHash(f.stack, f.at(1));
        f.evm.state().setTransientStorage(f.recipient, key, value);
        f.sp -= 2;
    }
}
