package org.rollupnode.execution.tx;

import java.util.List;

/**
 * Recovers the senders of a block's transactions on all cores before they are executed one by
 * one (see {@link TransactionPrefetch}, which also prepares the L1 fee). Invalid signatures are
 * left for the executor to report in block order.
 */
public final class SenderPrefetch {
    private SenderPrefetch() {}

    public static void recoverAll(List<Transaction> transactions) {
        TransactionPrefetch.start(transactions, null).finish();
    }
}
