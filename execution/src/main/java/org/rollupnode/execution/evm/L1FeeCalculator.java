package org.rollupnode.execution.evm;

import java.math.BigInteger;
import org.rollupnode.execution.state.StateView;
import org.rollupnode.execution.tx.Transaction;

/**
 * Scroll's L1 data fee for a (non-L1-message) transaction, read from the L1GasPriceOracle slots
 * in {@code state} (the state before the transaction). Charged on top of the execution fee and
 * paid to the coinbase; never refunded.
 */
@FunctionalInterface
public interface L1FeeCalculator {
    L1FeeCalculator ZERO = (tx, state) -> BigInteger.ZERO;

    BigInteger l1Fee(Transaction tx, StateView state);

    /**
     * Does, on any thread and ahead of {@link #l1Fee}, the part of the fee that depends only on
     * the transaction's bytes (Scroll: its zstd-compressed size), so a block's sequential
     * execution does not pay for it. Must not change what {@link #l1Fee} returns.
     */
    default void prepare(Transaction tx) {}
}
