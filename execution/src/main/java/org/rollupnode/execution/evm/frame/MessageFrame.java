package org.rollupnode.execution.evm.frame;

import java.math.BigInteger;
import org.rollupnode.execution.evm.ExceptionalHalt;
import org.rollupnode.execution.evm.Evm;
import org.rollupnode.execution.types.Address;

/**
 * One message call or creation being executed: its stack, memory, program counter and gas, plus
 * the call context (who, on whose behalf, with what value and input). The stack is a flat long
 * array of 1024 words, four limbs each (see {@link Words}); {@code sp} counts the words.
 */
public final class MessageFrame {
    public static final int MAX_STACK = 1024;
    public static final byte[] EMPTY = new byte[0];
    /** geth's largest memory size before its gas arithmetic overflows; anything beyond halts out of gas. */
    private static final long MAX_MEMORY = 0x1FFFFFFFE0L;

    public final Evm evm;
    public final long[] stack = new long[MAX_STACK * 4];
    public int sp;
    public final Memory memory = new Memory();
    public final Code code;
    public final byte[] codeBytes;
    public int pc;
    public long gas;
    public final Address recipient;
    public final Address caller;
    public final BigInteger value;
    public final byte[] input;
    public final boolean isStatic;
    public final int depth;
    public byte[] returnData = EMPTY;
    public byte[] output = EMPTY;
    public boolean reverted;

    public MessageFrame(Evm evm, Code code, long gas, Address recipient, Address caller, BigInteger value, byte[] input,
                        boolean isStatic, int depth) {
        this.evm = evm;
        this.code = code;
        this.codeBytes = code.bytes();
        this.gas = gas;
        this.recipient = recipient;
        this.caller = caller;
        this.value = value;
        this.input = input;
        this.isStatic = isStatic;
        this.depth = depth;
    }

    public void useGas(long amount) {
        if (amount < 0 || gas < amount) {
            throw ExceptionalHalt.OUT_OF_GAS.error();
        }
        gas -= amount;
    }

    /** Base index in {@link #stack} of the word {@code n} places below the top (0 = top). */
    public int at(int n) {
        return (sp - 1 - n) << 2;
    }

    public void pushLong(long v) {
        Words.set(stack, sp << 2, v);
        sp++;
    }

    public void pushAddress(Address a) {
        Words.fromAddress(a, stack, sp << 2);
        sp++;
    }

    public void pushBigInteger(BigInteger v) {
        Words.fromBigInteger(v, stack, sp << 2);
        sp++;
    }

    public void pushBytes32(byte[] b) {
        Words.fromBytes32(b, 0, stack, sp << 2);
        sp++;
    }

    /**
     * Charges memory expansion for [offset, offset+length) and grows memory. Zero length never
     * expands, whatever the offset; offsets or sizes beyond what any gas could pay halt out of gas.
     */
    public void expandMemory(long offset, long length) {
        if (length == 0) {
            return;
        }
        if (offset > MAX_MEMORY || length > MAX_MEMORY || offset + length > MAX_MEMORY) {
            throw ExceptionalHalt.OUT_OF_GAS.error();
        }
        long end = offset + length;
        long newWords = (end + 31) >>> 5;
        long oldWords = memory.words();
        if (newWords > oldWords) {
            useGas(evm.gas().memoryExpansionCost(oldWords, newWords));
            memory.ensure(offset, length);
        }
    }

    public void expandMemory(long off1, long len1, long off2, long len2) {
        // Charge for the larger end first: both ranges are then covered by one charge.
        long end1 = len1 == 0 ? 0 : (off1 > MAX_MEMORY || len1 > MAX_MEMORY ? Long.MAX_VALUE : off1 + len1);
        long end2 = len2 == 0 ? 0 : (off2 > MAX_MEMORY || len2 > MAX_MEMORY ? Long.MAX_VALUE : off2 + len2);
        if (end1 >= end2) {
            expandMemory(off1, len1);
        } else {
            expandMemory(off2, len2);
        }
    }
}
