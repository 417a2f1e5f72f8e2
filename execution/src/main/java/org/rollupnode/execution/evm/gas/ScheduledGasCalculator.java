package org.rollupnode.execution.evm.gas;

import org.rollupnode.execution.evm.ExceptionalHalt;
import org.rollupnode.execution.types.Hash32;

public final class ScheduledGasCalculator implements GasCalculator {
    private final GasSchedule g;

    public ScheduledGasCalculator(GasSchedule schedule) {
        this.g = schedule;
    }

    @Override
    public GasSchedule schedule() {
        return g;
    }

    private long memoryCost(long words) {
        return g.memoryWord() * words + words * words / g.memoryQuadDivisor();
    }

    @Override
    public long memoryExpansionCost(long oldWords, long newWords) {
        return memoryCost(newWords) - memoryCost(oldWords);
    }

    private static long words(long bytes) {
        return (bytes + 31) >>> 5;
    }

    private static long mulCheck(long a, long b) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            throw ExceptionalHalt.OUT_OF_GAS.error();
        }
    }

    @Override
    public long copyCost(long bytes) {
        return mulCheck(g.copyWord(), words(bytes));
    }

    @Override
    public long keccakCost(long bytes) {
        return g.keccak() + mulCheck(g.keccakWord(), words(bytes));
    }

    @Override
    public long logCost(int topics, long bytes) {
        return g.log() + g.logTopic() * topics + mulCheck(g.logData(), bytes);
    }

    @Override
    public long expCost(int exponentBytes) {
        return 10 + g.expByte() * exponentBytes;
    }

    @Override
    public long initcodeCost(long bytes) {
        return mulCheck(g.initcodeWord(), words(bytes));
    }

    @Override
    public long codeDepositCost(long bytes) {
        return g.codeDepositPerByte() * bytes;
    }

    @Override
    public long sstoreCost(Hash32 original, Hash32 current, Hash32 value) {
        if (current.equals(value)) {
            return g.warmStorageRead();
        }
        if (original.equals(current)) {
            return original.equals(Hash32.ZERO) ? g.sstoreSet() : g.sstoreReset();
        }
        return g.warmStorageRead();
    }

    @Override
    public long sstoreRefund(Hash32 original, Hash32 current, Hash32 value) {
        if (current.equals(value)) {
            return 0;
        }
        boolean originalZero = original.equals(Hash32.ZERO);
        if (original.equals(current)) {
            return !originalZero && value.equals(Hash32.ZERO) ? g.sstoreClearsRefund() : 0;
        }
        long refund = 0;
        if (!originalZero) {
            if (current.equals(Hash32.ZERO)) {
                refund -= g.sstoreClearsRefund();
            } else if (value.equals(Hash32.ZERO)) {
                refund += g.sstoreClearsRefund();
            }
        }
        if (original.equals(value)) {
            refund += originalZero ? g.sstoreSet() - g.warmStorageRead() : g.sstoreReset() - g.warmStorageRead();
        }
        return refund;
    }

    @Override
    public long callGas(long available, long base, long requested) {
        if (available < base) {
            throw ExceptionalHalt.OUT_OF_GAS.error();
        }
        long rest = available - base;
        long cap = rest - rest / 64;
        return requested < 0 ? cap : Math.min(requested, cap);
    }

    @Override
    public long maxRefund(long gasUsed) {
        return gasUsed / g.refundQuotient();
    }
}
