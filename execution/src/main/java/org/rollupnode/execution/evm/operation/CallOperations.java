package org.rollupnode.execution.evm.operation;

import java.math.BigInteger;
import org.rollupnode.execution.evm.CallKind;
import org.rollupnode.execution.evm.CallResult;
import org.rollupnode.execution.evm.Evm;
import org.rollupnode.execution.evm.ExceptionalHalt;
import org.rollupnode.execution.evm.frame.MessageFrame;
import org.rollupnode.execution.evm.frame.Words;
import org.rollupnode.execution.evm.gas.GasSchedule;
import org.rollupnode.execution.evm.state.JournaledState;
import org.rollupnode.execution.types.Address;

/** 0xf1 CALL, 0xf2 CALLCODE, 0xf4 DELEGATECALL, 0xfa STATICCALL. */
public final class CallOperations {
    private CallOperations() {}

    public static void call(MessageFrame f, CallKind kind) {
        long[] s = f.stack;
        boolean hasValue = kind == CallKind.CALL || kind == CallKind.CALLCODE;
        int i = 0;
        long requested = Words.clampedLong(s, f.at(i++));
        Address to = Words.toAddress(s, f.at(i++));
        BigInteger value = BigInteger.ZERO;
        if (hasValue) {
            value = Words.isZero(s, f.at(i)) ? BigInteger.ZERO : Words.toBigInteger(s, f.at(i));
            i++;
        }
        long inOff = Words.clampedLong(s, f.at(i++));
        long inLen = Words.clampedLong(s, f.at(i++));
        long outOff = Words.clampedLong(s, f.at(i++));
        long outLen = Words.clampedLong(s, f.at(i++));
        boolean transfers = value.signum() != 0;
        if (kind == CallKind.CALL && transfers && f.isStatic) {
            throw ExceptionalHalt.WRITE_PROTECTION.error();
        }

        Evm evm = f.evm;
        JournaledState st = evm.state();
        GasSchedule g = evm.gas().schedule();
        // EIP-2929 access (the warm 100 is the constant part), then EIP-7702 delegate resolution.
        f.useGas(st.warm(to) ? g.coldAccountAccess() : g.warmStorageRead());
        Address delegate = evm.delegationTarget(to);
        if (delegate != null) {
            f.useGas(st.warm(delegate) ? g.coldAccountAccess() : g.warmStorageRead());
        }
        f.expandMemory(inOff, inLen, outOff, outLen);
        long base = 0;
        if (transfers) {
            base += g.callValueTransfer();
            if (kind == CallKind.CALL && st.isEmpty(to)) {
                base += g.newAccount();
            }
        }
        long callGas = evm.gas().callGas(f.gas, base, requested);
        f.useGas(base + callGas);
        if (transfers) {
            callGas += g.callStipend();
        }

        byte[] input = f.memory.slice(inOff, inLen);
        CallResult r = switch (kind) {
            case CALL -> evm.call(kind, f.recipient, to, to, value, value, input, callGas, f.isStatic, f.depth + 1);
            case CALLCODE -> evm.call(kind, f.recipient, f.recipient, to, value, value, input, callGas, f.isStatic,
                    f.depth + 1);
            case DELEGATECALL -> evm.call(kind, f.caller, f.recipient, to, BigInteger.ZERO, f.value, input, callGas,
                    f.isStatic, f.depth + 1);
            case STATICCALL -> evm.call(kind, f.recipient, to, to, BigInteger.ZERO, BigInteger.ZERO, input, callGas,
                    true, f.depth + 1);
        };
        f.sp -= hasValue ? 7 : 6;
        f.pushLong(r.success() ? 1 : 0);
        if (r.success() || r.reverted()) {
            long n = Math.min(outLen, r.output().length);
            if (n > 0) {
                System.arraycopy(r.output(), 0, f.memory.raw(), (int) outOff, (int) n);
            }
        }
        f.gas += r.gasLeft();
        f.returnData = r.output();
    }
}
