package org.rollupnode.execution.fee;

/** Lets benchmarks outside the {@code fee} package measure the L1 fee as a fresh process pays it. */
public final class L1FeeMemoAccess {
    private L1FeeMemoAccess() {}

    public static void clear() {
        ScrollL1FeeCalculator.clearMemos();
    }
}
