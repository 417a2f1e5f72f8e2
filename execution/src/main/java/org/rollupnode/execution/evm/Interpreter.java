package org.rollupnode.execution.evm;

import org.rollupnode.execution.evm.frame.MessageFrame;
import org.rollupnode.execution.evm.frame.Words;
import org.rollupnode.execution.evm.operation.ArithmeticOperations;
import org.rollupnode.execution.evm.operation.BitwiseOperations;
import org.rollupnode.execution.evm.operation.BlockOperations;
import org.rollupnode.execution.evm.operation.CallOperations;
import org.rollupnode.execution.evm.operation.CreateOperations;
import org.rollupnode.execution.evm.operation.EnvironmentOperations;
import org.rollupnode.execution.evm.operation.KeccakOperation;
import org.rollupnode.execution.evm.operation.LogOperations;
import org.rollupnode.execution.evm.operation.MemoryOperations;
import org.rollupnode.execution.evm.operation.SelfDestructOperation;
import org.rollupnode.execution.evm.operation.StackOperations;
import org.rollupnode.execution.evm.operation.StorageOperations;

/**
 * The fetch-dispatch loop. Per opcode it checks that the rules enable it, that the stack holds
 * enough words and has room for the result, and charges the constant gas from a table; the
 * operation classes charge the dynamic part.
 */
final class Interpreter {
    private static final int[] STACK_IN = new int[256];
    private static final int[] STACK_OUT = new int[256];
    private final boolean[] enabled = new boolean[256];
    private final long[] constantGas = new long[256];

    static {
        for (int op = 0x01; op <= 0x07; op++) io(op, 2, 1);
        io(0x08, 3, 1);
        io(0x09, 3, 1);
        io(0x0a, 2, 1);
        io(0x0b, 2, 1);
        for (int op = 0x10; op <= 0x1d; op++) io(op, 2, 1);
        io(0x15, 1, 1);
        io(0x19, 1, 1);
        io(0x1e, 1, 1);
        io(0x20, 2, 1);
        for (int op = 0x30; op <= 0x3f; op++) io(op, 0, 1);
        io(0x31, 1, 1);
        io(0x35, 1, 1);
        io(0x37, 3, 0);
        io(0x39, 3, 0);
        io(0x3b, 1, 1);
        io(0x3c, 4, 0);
        io(0x3e, 3, 0);
        io(0x3f, 1, 1);
        for (int op = 0x40; op <= 0x4a; op++) io(op, 0, 1);
        io(0x40, 1, 1);
        io(0x49, 1, 1);
        io(0x50, 1, 0);
        io(0x51, 1, 1);
        io(0x52, 2, 0);
        io(0x53, 2, 0);
        io(0x54, 1, 1);
        io(0x55, 2, 0);
        io(0x56, 1, 0);
        io(0x57, 2, 0);
        io(0x58, 0, 1);
        io(0x59, 0, 1);
        io(0x5a, 0, 1);
        io(0x5c, 1, 1);
        io(0x5d, 2, 0);
        io(0x5e, 3, 0);
        for (int op = 0x5f; op <= 0x7f; op++) io(op, 0, 1);
        for (int n = 1; n <= 16; n++) {
            io(0x7f + n, n, n + 1);
            io(0x8f + n, n + 1, n + 1);
        }
        for (int n = 0; n <= 4; n++) io(0xa0 + n, n + 2, 0);
        io(0xf0, 3, 1);
        io(0xf1, 7, 1);
        io(0xf2, 7, 1);
        io(0xf3, 2, 0);
        io(0xf4, 6, 1);
        io(0xf5, 4, 1);
        io(0xfa, 6, 1);
        io(0xfd, 2, 0);
        io(0xff, 1, 0);
    }

    /** The interpreter built for the last rules asked for: its tables are read-only once built. */
    private static volatile Interpreter last;

    private final EvmRules rules;

    /**
     * The interpreter of {@code rules}: building the opcode and gas tables for every transaction
     * cost ~5 % of executing a block of transfers. The tables depend only on the rules (immutable),
     * so one interpreter is shared by every transaction under the same rules object; a different
     * rules object (another fork) gets its own.
     */
    static Interpreter forRules(EvmRules rules) {
        Interpreter i = last;
        if (i == null || i.rules != rules) {
            i = new Interpreter(rules);
            last = i;
        }
        return i;
    }

    private static void io(int op, int in, int out) {
        STACK_IN[op] = in;
        STACK_OUT[op] = out;
    }

    Interpreter(EvmRules rules) {
        this.rules = rules;
        for (int op = 0; op < 256; op++) {
            enabled[op] = rules.opcodeEnabled(op);
        }
        long[] g = constantGas;
        g[0x01] = 3;
        g[0x02] = 5;
        g[0x03] = 3;
        for (int op = 0x04; op <= 0x07; op++) g[op] = 5;
        g[0x08] = 8;
        g[0x09] = 8;
        g[0x0b] = 5;
        for (int op = 0x10; op <= 0x1d; op++) g[op] = 3;
        g[0x1e] = 5;
        for (int op = 0x30; op <= 0x48; op++) g[op] = 2;
        g[0x31] = 0;
        g[0x35] = 3;
        g[0x37] = 3;
        g[0x39] = 3;
        g[0x3b] = 0;
        g[0x3c] = 0;
        g[0x3e] = 3;
        g[0x3f] = 0;
        g[0x40] = 20;
        g[0x47] = 5;
        g[0x49] = 3;
        g[0x4a] = 2;
        g[0x50] = 2;
        g[0x51] = 3;
        g[0x52] = 3;
        g[0x53] = 3;
        g[0x56] = 8;
        g[0x57] = 10;
        g[0x58] = 2;
        g[0x59] = 2;
        g[0x5a] = 2;
        g[0x5b] = 1;
        g[0x5c] = rules.gas().transientStorage();
        g[0x5d] = rules.gas().transientStorage();
        g[0x5e] = 3;
        g[0x5f] = 2;
        for (int op = 0x60; op <= 0x9f; op++) g[op] = 3;
        g[0xf0] = rules.gas().create();
        g[0xf5] = rules.gas().create();
        g[0xff] = rules.gas().selfdestruct();
    }

    /** Runs the frame to completion; returns the exceptional halt, or null (then see frame.reverted). */
    ExceptionalHalt run(MessageFrame f) {
        try {
            execute(f);
            return null;
        } catch (ExceptionalHalt.Halt h) {
            f.gas = 0;
            return h.reason();
        }
    }

    private void execute(MessageFrame f) {
        final byte[] code = f.codeBytes;
        final boolean[] enabled = this.enabled;
        final long[] constantGas = this.constantGas;
        while (true) {
            int pc = f.pc;
            if (pc >= code.length) {
                return; // implicit STOP
            }
            int op = code[pc] & 0xff;
            if (!enabled[op]) {
                throw ExceptionalHalt.INVALID_OPCODE.error();
            }
            int sp = f.sp;
            if (sp < STACK_IN[op]) {
                throw ExceptionalHalt.STACK_UNDERFLOW.error();
            }
            if (sp - STACK_IN[op] + STACK_OUT[op] > MessageFrame.MAX_STACK) {
                throw ExceptionalHalt.STACK_OVERFLOW.error();
            }
            long cg = constantGas[op];
            if (f.gas < cg) {
                throw ExceptionalHalt.OUT_OF_GAS.error();
            }
            f.gas -= cg;
            int next = pc + 1;
            switch (op) {
                case 0x00 -> {
                    return;
                }
                case 0x01 -> ArithmeticOperations.add(f);
                case 0x02 -> ArithmeticOperations.mul(f);
                case 0x03 -> ArithmeticOperations.sub(f);
                case 0x04 -> ArithmeticOperations.div(f);
                case 0x05 -> ArithmeticOperations.sdiv(f);
                case 0x06 -> ArithmeticOperations.mod(f);
                case 0x07 -> ArithmeticOperations.smod(f);
                case 0x08 -> ArithmeticOperations.addmod(f);
                case 0x09 -> ArithmeticOperations.mulmod(f);
                case 0x0a -> ArithmeticOperations.exp(f);
                case 0x0b -> ArithmeticOperations.signextend(f);
                case 0x10 -> BitwiseOperations.lt(f);
                case 0x11 -> BitwiseOperations.gt(f);
                case 0x12 -> BitwiseOperations.slt(f);
                case 0x13 -> BitwiseOperations.sgt(f);
                case 0x14 -> BitwiseOperations.eq(f);
                case 0x15 -> BitwiseOperations.iszero(f);
                case 0x16 -> BitwiseOperations.and(f);
                case 0x17 -> BitwiseOperations.or(f);
                case 0x18 -> BitwiseOperations.xor(f);
                case 0x19 -> BitwiseOperations.not(f);
                case 0x1a -> BitwiseOperations.byteOp(f);
                case 0x1b -> BitwiseOperations.shl(f);
                case 0x1c -> BitwiseOperations.shr(f);
                case 0x1d -> BitwiseOperations.sar(f);
                case 0x1e -> BitwiseOperations.clz(f);
                case 0x20 -> KeccakOperation.keccak256(f);
                case 0x30 -> EnvironmentOperations.address(f);
                case 0x31 -> EnvironmentOperations.balance(f);
                case 0x32 -> EnvironmentOperations.origin(f);
                case 0x33 -> EnvironmentOperations.caller(f);
                case 0x34 -> EnvironmentOperations.callvalue(f);
                case 0x35 -> EnvironmentOperations.calldataload(f);
                case 0x36 -> EnvironmentOperations.calldatasize(f);
                case 0x37 -> EnvironmentOperations.calldatacopy(f);
                case 0x38 -> EnvironmentOperations.codesize(f);
                case 0x39 -> EnvironmentOperations.codecopy(f);
                case 0x3a -> EnvironmentOperations.gasprice(f);
                case 0x3b -> EnvironmentOperations.extcodesize(f);
                case 0x3c -> EnvironmentOperations.extcodecopy(f);
                case 0x3d -> EnvironmentOperations.returndatasize(f);
                case 0x3e -> EnvironmentOperations.returndatacopy(f);
                case 0x3f -> EnvironmentOperations.extcodehash(f);
                case 0x40 -> BlockOperations.blockhash(f);
                case 0x41 -> BlockOperations.coinbase(f);
                case 0x42 -> BlockOperations.timestamp(f);
                case 0x43 -> BlockOperations.number(f);
                case 0x44 -> BlockOperations.prevrandao(f);
                case 0x45 -> BlockOperations.gaslimit(f);
                case 0x46 -> BlockOperations.chainid(f);
                case 0x47 -> EnvironmentOperations.selfbalance(f);
                case 0x48 -> BlockOperations.basefee(f);
                case 0x49 -> BlockOperations.blobhash(f);
                case 0x4a -> BlockOperations.blobbasefee(f);
                case 0x50 -> StackOperations.pop(f);
                case 0x51 -> MemoryOperations.mload(f);
                case 0x52 -> MemoryOperations.mstore(f);
                case 0x53 -> MemoryOperations.mstore8(f);
                case 0x54 -> StorageOperations.sload(f);
                case 0x55 -> StorageOperations.sstore(f);
                case 0x56 -> {
                    next = jumpTarget(f, f.at(0));
                    f.sp--;
                }
                case 0x57 -> {
                    int dest = f.at(0);
                    boolean take = !Words.isZero(f.stack, f.at(1));
                    if (take) {
                        next = jumpTarget(f, dest);
                    }
                    f.sp -= 2;
                }
                case 0x58 -> f.pushLong(pc);
                case 0x59 -> MemoryOperations.msize(f);
                case 0x5a -> f.pushLong(f.gas);
                case 0x5b -> {
                    // JUMPDEST
                }
                case 0x5c -> StorageOperations.tload(f);
                case 0x5d -> StorageOperations.tstore(f);
                case 0x5e -> MemoryOperations.mcopy(f);
                case 0x5f -> f.pushLong(0);
                case 0xf0 -> CreateOperations.create(f, false);
                case 0xf1 -> CallOperations.call(f, CallKind.CALL);
                case 0xf2 -> CallOperations.call(f, CallKind.CALLCODE);
                case 0xf3 -> {
                    finish(f);
                    return;
                }
                case 0xf4 -> CallOperations.call(f, CallKind.DELEGATECALL);
                case 0xf5 -> CreateOperations.create(f, true);
                case 0xfa -> CallOperations.call(f, CallKind.STATICCALL);
                case 0xfd -> {
                    finish(f);
                    f.reverted = true;
                    return;
                }
                case 0xff -> {
                    SelfDestructOperation.selfdestruct(f);
                    return;
                }
                default -> {
                    if (op >= 0x60 && op <= 0x7f) {
                        next = StackOperations.push(f, op - 0x5f);
                    } else if (op >= 0x80 && op <= 0x8f) {
                        StackOperations.dup(f, op - 0x7f);
                    } else if (op >= 0x90 && op <= 0x9f) {
                        StackOperations.swap(f, op - 0x8f);
                    } else if (op >= 0xa0 && op <= 0xa4) {
                        LogOperations.log(f, op - 0xa0);
                    } else {
                        throw ExceptionalHalt.INVALID_OPCODE.error();
                    }
                }
            }
            f.pc = next;
        }
    }

    private static int jumpTarget(MessageFrame f, int word) {
        long dest = Words.clampedLong(f.stack, word);
        if (!f.code.isValidJumpDest(dest)) {
            throw ExceptionalHalt.INVALID_JUMP.error();
        }
        return (int) dest;
    }

    /** RETURN / REVERT: output = memory[offset, offset+size). */
    private static void finish(MessageFrame f) {
        long off = Words.clampedLong(f.stack, f.at(0));
        long len = Words.clampedLong(f.stack, f.at(1));
        f.expandMemory(off, len);
        f.output = f.memory.slice(off, len);
        f.sp -= 2;
    }
}
