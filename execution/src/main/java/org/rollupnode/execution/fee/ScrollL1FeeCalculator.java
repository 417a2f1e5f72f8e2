package org.rollupnode.execution.fee;

import java.math.BigInteger;
import org.rollupnode.execution.chain.ChainSpec;
import org.rollupnode.execution.evm.L1FeeCalculator;
import org.rollupnode.execution.state.StateView;
import org.rollupnode.execution.tx.Transaction;

/**
 * The L1 data fee every block of a Scroll chain charges, read from the L1GasPriceOracle slots of
 * the state before the transaction. All chains we run start at Galileo, so the Galileo formula
 * applies (scroll-rules.md §5.2). L1 messages never pay it.
 */
public final class ScrollL1FeeCalculator implements L1FeeCalculator {
    private final L1FeeFormula formula;

    public ScrollL1FeeCalculator(L1FeeFormula formula) {
        this.formula = formula;
    }

    /** The calculator of a chain: every block builder and every re-executing reader uses this one. */
    public static L1FeeCalculator forSpec(ChainSpec spec) {
        return new ScrollL1FeeCalculator(L1FeeFormula.forForks(true, true, true));
    }

    @Override
    public BigInteger l1Fee(Transaction tx, StateView state) {
        if (tx.isL1Message()) {
            return BigInteger.ZERO;
        }
        OracleSlots slots = OracleSlots.read(slot -> state.storageAt(OracleSlots.L1_GAS_PRICE_ORACLE, slot));
        return ScrollL1Fee.fee(formula, tx.encoded(), tx.data(), slots);
    }
}
