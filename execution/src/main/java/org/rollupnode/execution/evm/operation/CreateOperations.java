package org.rollupnode.execution.evm.operation;

import java.math.BigInteger;
import org.rollupnode.execution.evm.CallResult;
import org.rollupnode.execution.evm.Evm;
import org.rollupnode.execution.evm.ExceptionalHalt;
import org.rollupnode.execution.evm.frame.MessageFrame;
import org.rollupnode.execution.evm.frame.Words;
import org.rollupnode.execution.types.Address;

/** 0xf0 CREATE, 0xf5 CREATE2 (EIP-1014, EIP-3860 initcode limit and metering). */
public final class CreateOperations {
    private CreateOperations() {}

    public static void create(MessageFrame f, boolean create2) {
        if (f.isStatic) {
            throw ExceptionalHalt.WRITE_PROTECTION.error();
        }
        long[] s = f.stack;
        BigInteger value = Words.isZero(s, f.at(0)) ? BigInteger.ZERO : Words.toBigInteger(s, f.at(0));
        long off = Words.clampedLong(s, f.at(1));
        long len = Words.clampedLong(s, f.at(2));
        Evm evm = f.evm;
        if (len != Long.MAX_VALUE && len > evm.rules().maxInitcodeSize()) {
            throw ExceptionalHalt.OUT_OF_GAS.error(); // EIP-3860: exceptional halt in the creating frame
        }
        if (len == Long.MAX_VALUE) {
            throw ExceptionalHalt.OUT_OF_GAS.error();
        }
        long cost = evm.gas().initcodeCost(len);
        if (create2) {
            cost += evm.gas().keccakCost(len) - evm.gas().schedule().keccak();
        }
        f.useGas(cost);
        f.expandMemory(off, len);
        byte[] initcode = f.memory.slice(off, len);
        Address address;
        if (create2) {
            byte[] salt = Words.toBytes(s, f.at(3));
            address = Evm.create2Address(f.recipient, salt, initcode);
        } else {
            address = Evm.createAddress(f.recipient, evm.state().nonce(f.recipient));
        }
        long callGas = f.gas - f.gas / 64;
        f.useGas(callGas);
        CallResult r = evm.create(f.recipient, address, initcode, callGas, value, f.depth + 1);
        f.sp -= create2 ? 4 : 3;
        if (r.success()) {
            f.pushAddress(r.created());
        } else {
            f.pushLong(0);
        }
        f.gas += r.gasLeft();
        f.returnData = r.reverted() ? r.output() : MessageFrame.EMPTY;
    }
}
