package org.rollupnode.execution.evm.operation;

import org.rollupnode.execution.evm.ExceptionalHalt;
import org.rollupnode.execution.evm.frame.MessageFrame;
import org.rollupnode.execution.evm.frame.Words;
import org.rollupnode.execution.evm.state.JournaledState;
import org.rollupnode.execution.state.Account;
import org.rollupnode.execution.types.Address;

/** 0x30-0x3f and SELFBALANCE (0x47): the call context and other accounts. */
public final class EnvironmentOperations {
    private EnvironmentOperations() {}

    /** EIP-2929: 100 for a warm account, 2600 for a cold one (which becomes warm). */
    static void chargeAccountAccess(MessageFrame f, Address a) {
        var g = f.evm.gas().schedule();
        f.useGas(f.evm.state().warm(a) ? g.coldAccountAccess() : g.warmStorageRead());
    }

    public static void address(MessageFrame f) {
        f.pushAddress(f.recipient);
    }

    public static void balance(MessageFrame f) {
        int a = f.at(0);
        Address addr = Words.toAddress(f.stack, a);
        chargeAccountAccess(f, addr);
        Words.fromBigInteger(f.evm.state().balance(addr), f.stack, a);
    }

    public static void origin(MessageFrame f) {
        f.pushAddress(f.evm.origin());
    }

    public static void caller(MessageFrame f) {
        f.pushAddress(f.caller);
    }

    public static void callvalue(MessageFrame f) {
        f.pushBigInteger(f.value);
    }

    public static void calldataload(MessageFrame f) {
        int a = f.at(0);
        long off = Words.clampedLong(f.stack, a);
        Words.fromBytesPadded(f.input, off == Long.MAX_VALUE ? f.input.length : off, 32, f.stack, a);
    }

    public static void calldatasize(MessageFrame f) {
        f.pushLong(f.input.length);
    }

    public static void calldatacopy(MessageFrame f) {
        copyToMemory(f, f.input);
    }

    public static void codesize(MessageFrame f) {
        f.pushLong(f.codeBytes.length);
    }

    public static void codecopy(MessageFrame f) {
        copyToMemory(f, f.codeBytes);
    }

    private static void copyToMemory(MessageFrame f, byte[] src) {
        long[] s = f.stack;
        long dst = Words.clampedLong(s, f.at(0));
        long srcOff = Words.clampedLong(s, f.at(1));
        long len = Words.clampedLong(s, f.at(2));
        f.useGas(f.evm.gas().copyCost(len == Long.MAX_VALUE ? Long.MAX_VALUE / 8 : len));
        f.expandMemory(dst, len);
        f.memory.copyPadded(dst, src, srcOff, len);
        f.sp -= 3;
    }

    public static void gasprice(MessageFrame f) {
        f.pushBigInteger(f.evm.gasPrice());
    }

    public static void extcodesize(MessageFrame f) {
        int a = f.at(0);
        Address addr = Words.toAddress(f.stack, a);
        chargeAccountAccess(f, addr);
        Words.set(f.stack, a, f.evm.state().code(addr).size());
    }

    public static void extcodecopy(MessageFrame f) {
        long[] s = f.stack;
        Address addr = Words.toAddress(s, f.at(0));
        long dst = Words.clampedLong(s, f.at(1));
        long srcOff = Words.clampedLong(s, f.at(2));
        long len = Words.clampedLong(s, f.at(3));
        f.useGas(f.evm.gas().copyCost(len == Long.MAX_VALUE ? Long.MAX_VALUE / 8 : len));
        f.expandMemory(dst, len);
        chargeAccountAccess(f, addr);
        f.memory.copyPadded(dst, f.evm.state().code(addr).bytes(), srcOff, len);
        f.sp -= 4;
    }

    public static void returndatasize(MessageFrame f) {
        f.pushLong(f.returnData.length);
    }

    public static void returndatacopy(MessageFrame f) {
        long[] s = f.stack;
        long dst = Words.clampedLong(s, f.at(0));
        long srcOff = Words.clampedLong(s, f.at(1));
        long len = Words.clampedLong(s, f.at(2));
        f.useGas(f.evm.gas().copyCost(len == Long.MAX_VALUE ? Long.MAX_VALUE / 8 : len));
        if (srcOff == Long.MAX_VALUE || len == Long.MAX_VALUE || srcOff + len > f.returnData.length) {
            throw ExceptionalHalt.RETURN_DATA_OUT_OF_BOUNDS.error();
        }
        f.expandMemory(dst, len);
        f.memory.copyPadded(dst, f.returnData, srcOff, len);
        f.sp -= 3;
    }

    public static void extcodehash(MessageFrame f) {
        int a = f.at(0);
        Address addr = Words.toAddress(f.stack, a);
        chargeAccountAccess(f, addr);
        JournaledState st = f.evm.state();
        if (st.isEmpty(addr)) {
            Words.set(f.stack, a, 0);
        } else {
            Words.fromHash(st.codeHash(addr), f.stack, a);
        }
    }

    public static void selfbalance(MessageFrame f) {
        f.pushBigInteger(f.evm.state().balance(f.recipient));
    }

    static boolean isEmptyCode(Account a) {
        return !a.hasCode();
    }
}
