package org.rollupnode.execution.fee;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rollupnode.execution.chain.ChainSpec;
import org.rollupnode.execution.chain.ChainSpecs;
import org.rollupnode.execution.chain.Genesis;
import org.rollupnode.execution.evm.L1FeeCalculator;
import org.rollupnode.execution.state.StateOverlay;
import org.rollupnode.execution.state.WorldState;
import org.rollupnode.execution.tx.Transaction;
import org.rollupnode.execution.types.Address;
import org.rollupnode.execution.types.Hash32;

/** The memoized calculator must charge exactly what the oracle holds in the state it is given. */
class ScrollL1FeeCalculatorTest {
    private static final ChainSpec DEV = ChainSpecs.byName("dev");
    private static final Hash32 L1_BASE_FEE_SLOT = OracleSlots.slotKey(OracleSlots.L1_BASE_FEE_SLOT);

    private static Transaction transfer(long nonce) {
        return Transaction.eip1559(DEV.chainId()).nonce(nonce).maxPriorityFeePerGas(BigInteger.ONE)
                .maxFeePerGas(BigInteger.valueOf(1_000_000_000L)).gasLimit(21_000)
                .to(Address.fromHex("0x" + "42".repeat(20))).value(BigInteger.TEN).data(new byte[0])
                .sign(ChainSpecs.devPrivateKeys().get(0));
    }

    /** The fee from first principles: the genesis slots with overrides, zstd of the signed bytes. */
    private static BigInteger expected(Transaction tx, Map<Hash32, Hash32> overrides) {
        Map<Hash32, Hash32> storage = new HashMap<>(DEV.genesisAlloc().get(OracleSlots.L1_GAS_PRICE_ORACLE).storage());
        storage.putAll(overrides);
        byte[] raw = tx.encoded();
        int cs = Math.min(ScrollZstd.compress(raw).length, raw.length);
        return ScrollL1Fee.galileoForCompressedSize(cs, OracleSlots.read(storage::get));
    }

    private static Hash32 word(long v) {
        return Hash32.fromHex(String.format("0x%064x", v));
    }

    @Test
    void chargesTheGenesisOracleValuesAndTheTransactionsCompressedSize() {
        WorldState genesis = Genesis.of(DEV).state();
        L1FeeCalculator calc = ScrollL1FeeCalculator.forSpec(DEV);
        for (long n = 0; n < 3; n++) {
            Transaction tx = transfer(n);
            BigInteger fee = calc.l1Fee(tx, new StateOverlay(genesis));
            assertEquals(expected(tx, Map.of()), fee);
            assertEquals(fee, calc.l1Fee(tx, genesis), "same answer from the snapshot and from an overlay on it");
            assertEquals(fee, calc.l1Fee(tx, new StateOverlay(genesis)), "same answer the second time (memo)");
        }
    }

    @Test
    void anOracleWriteEarlierInTheBlockIsSeenByTheNextTransaction() {
        WorldState genesis = Genesis.of(DEV).state();
        L1FeeCalculator calc = ScrollL1FeeCalculator.forSpec(DEV);
        Transaction tx = transfer(0);
        StateOverlay block = new StateOverlay(genesis);
        BigInteger before = calc.l1Fee(tx, block);

        // An earlier transaction in the block (the oracle owner's setL1BaseFee) raises the L1 base fee.
        StateOverlay earlierTx = block.child();
        earlierTx.putStorage(OracleSlots.L1_GAS_PRICE_ORACLE, L1_BASE_FEE_SLOT, word(5_000_000_000L));
        earlierTx.mergeInto();
        BigInteger after = calc.l1Fee(tx, block);
        assertEquals(expected(tx, Map.of(L1_BASE_FEE_SLOT, word(5_000_000_000L))), after);
        assertNotEquals(before, after);

        // Committed, the next block's snapshot carries the new value; the old snapshot keeps the old one.
        WorldState next = block.commit();
        assertEquals(after, calc.l1Fee(tx, next));
        assertEquals(after, calc.l1Fee(tx, new StateOverlay(next)));
        assertEquals(before, calc.l1Fee(tx, genesis));
        assertEquals(after, calc.l1Fee(tx, next));
    }

    @Test
    void l1MessagesPayNoL1Fee() {
        Transaction msg = Transaction.l1Message(0, 100_000, Address.fromHex("0x" + "11".repeat(20)), BigInteger.ZERO,
                new byte[0], Address.fromHex("0x" + "22".repeat(20)));
        assertEquals(BigInteger.ZERO, ScrollL1FeeCalculator.forSpec(DEV).l1Fee(msg, Genesis.of(DEV).state()));
    }

    @Test
    void aReplayWithMemosBypassedCompressesEachTransactionOnceAndChargesTheSame() {
        WorldState genesis = Genesis.of(DEV).state();
        L1FeeCalculator calc = ScrollL1FeeCalculator.forSpec(DEV);
        Transaction tx = transfer(7);
        org.rollupnode.execution.util.GenerationalCache.bypassAll(true);
        try {
            assertEquals(-1, tx.knownL1CompressedSize(), "nothing known before it is prepared");
            calc.prepare(tx);
            byte[] raw = tx.encoded();
            assertEquals(Math.min(ScrollZstd.compress(raw).length, raw.length), tx.knownL1CompressedSize(),
                    "the prepared size travels with the transaction while the process-wide memo is bypassed");
            assertEquals(expected(tx, Map.of()), calc.l1Fee(tx, new StateOverlay(genesis)));
            Transaction fresh = org.rollupnode.execution.tx.TransactionDecoder.decode(raw);
            assertEquals(-1, fresh.knownL1CompressedSize(), "another copy of the bytes starts without it");
            assertEquals(expected(tx, Map.of()), calc.l1Fee(fresh, genesis));
        } finally {
            org.rollupnode.execution.util.GenerationalCache.bypassAll(false);
        }
    }
}
