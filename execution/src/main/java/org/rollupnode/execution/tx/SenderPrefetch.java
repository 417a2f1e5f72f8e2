package org.rollupnode.execution.tx;

import java.util.List;

/**
 * Recovers the senders of a block's transactions on all cores before they are executed one by
 * one. Execution is sequential, but recovery of each signature is independent and is most of the
 * cost of re-executing a block of transfers (replay, gateways, restart); each Transaction keeps its
 * sender, so the executor then finds it ready. Invalid signatures are left for the executor to
 * report in block order.
 */
public final class SenderPrefetch {
    /** Below this, the fork/join hand-off costs more than it saves. */
    static final int MIN_PARALLEL = 64;

    private SenderPrefetch() {}

    public static void recoverAll(List<Transaction> transactions) {
        if (transactions.size() < MIN_PARALLEL || Runtime.getRuntime().availableProcessors() < 2) {
            return;
        }
        transactions.parallelStream().forEach(SenderPrefetch::recover);
    }

    private static void recover(Transaction tx) {
        try {
            tx.sender();
        } catch (InvalidTransactionException invalid) {
            // reported by the executor, at its place in the block
        }
    }
}
