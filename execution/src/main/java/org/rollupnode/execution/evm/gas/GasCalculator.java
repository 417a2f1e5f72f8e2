package org.rollupnode.execution.evm.gas;

import org.rollupnode.execution.types.Hash32;

/** Dynamic gas rules. One implementation, {@link ScheduledGasCalculator}, reads a fork's {@link GasSchedule}. */
public interface GasCalculator {
    GasSchedule schedule();

    long memoryExpansionCost(long oldWords, long newWords);

    long copyCost(long bytes);

    long keccakCost(long bytes);

    long logCost(int topics, long bytes);

    long expCost(int exponentBytes);

    long initcodeCost(long bytes);

    long codeDepositCost(long bytes);

    /** SSTORE cost (EIP-2200/2929/3529) excluding the cold-slot surcharge. */
    long sstoreCost(Hash32 original, Hash32 current, Hash32 value);

    /** Refund counter change for the same SSTORE (may be negative). */
    long sstoreRefund(Hash32 original, Hash32 current, Hash32 value);

    /** EIP-150: the gas a call may forward, all but 1/64 of what remains after its base cost. */
    long callGas(long available, long base, long requested);

    /** EIP-3529: refunds are capped at gasUsed / quotient. */
    long maxRefund(long gasUsed);
}
