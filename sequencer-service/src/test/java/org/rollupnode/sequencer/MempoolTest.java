package org.rollupnode.sequencer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rollupnode.execution.builder.BaseFee;
import org.rollupnode.execution.builder.BlockBuilder;
import org.rollupnode.execution.builder.BlockEnv;
import org.rollupnode.execution.builder.TransactionRejected;
import org.rollupnode.execution.chain.ChainSpec;
import org.rollupnode.execution.chain.ChainSpecs;
import org.rollupnode.execution.chain.Genesis;
import org.rollupnode.execution.tx.Transaction;
import org.rollupnode.execution.types.Address;

class MempoolTest {
    static final ChainSpec DEV = ChainSpecs.byName("dev");
    static final List<BigInteger> KEYS = ChainSpecs.devPrivateKeys();
    static final Address TO = Address.fromHex("0x" + "42".repeat(20));

    static Transaction tx(int key, long nonce, long tip, long gas) {
        return Transaction.eip1559(1337).nonce(nonce).maxPriorityFeePerGas(BigInteger.valueOf(tip))
                .maxFeePerGas(BigInteger.valueOf(2_000_000_000L)).gasLimit(gas).to(TO).value(BigInteger.ONE).data(new byte[0])
                .sign(KEYS.get(key));
    }

    static BlockBuilder builder(long gasLimit) {
        Genesis g = Genesis.of(DEV);
        return new BlockBuilder(DEV, g.header(), g.state(), new BlockEnv(1, g.header().timestamp(), ChainSpecs.FEE_VAULT, gasLimit,
                BaseFee.next(g.header(), DEV.baseFeeOverhead())));
    }

    static long farFuture() {
        return System.nanoTime() + 60_000_000_000L;
    }

    @Test
    void higherTipFirstAndEachSenderInNonceOrder() {
        Mempool pool = new Mempool();
        Transaction a0 = tx(0, 0, 10, 21_000);
        Transaction a1 = tx(0, 1, 1_000, 21_000);
        Transaction b0 = tx(1, 0, 100, 21_000);
        pool.add(a1, a1.sender()); // arrives before its predecessor: held until nonce 0 is in
        pool.add(a0, a0.sender());
        pool.add(b0, b0.sender());
        Mempool.Fill fill = pool.fill(builder(20_000_000), farFuture());
        assertEquals(List.of(b0.hash(), a0.hash(), a1.hash()), fill.included().stream().map(e -> e.tx().hash()).toList());
        assertEquals(0, pool.size());
    }

    @Test
    void nonceGapIsHeldNotIncluded() {
        Mempool pool = new Mempool();
        Transaction gap = tx(2, 3, 10, 21_000);
        pool.add(gap, gap.sender());
        assertTrue(pool.fill(builder(20_000_000), farFuture()).included().isEmpty());
        assertEquals(1, pool.size(), "a queued transaction stays until its nonce gap is filled");
    }

    @Test
    void fullBlockKeepsTheRestForLaterAndFillsToWithinOneTransfer() {
        Mempool pool = new Mempool();
        for (int k = 0; k < 10; k++) {
            Transaction t = tx(k, 0, 10, 21_000);
            pool.add(t, t.sender());
        }
        BlockBuilder b = builder(100_000); // room for 4 transfers
        Mempool.Fill fill = pool.fill(b, farFuture());
        assertEquals(4, fill.included().size());
        assertTrue(b.gasRemaining() < 21_000);
        assertEquals(6, pool.size());
    }

    @Test
    void duplicatesAndUnderpricedReplacementsAreRefused() {
        Mempool pool = new Mempool();
        Transaction t = tx(3, 0, 100, 21_000);
        assertEquals(Mempool.AddResult.ADDED, pool.add(t, t.sender()).result());
        assertEquals(Mempool.AddResult.ALREADY_KNOWN, pool.add(t, t.sender()).result());
        Transaction cheap = tx(3, 0, 105, 21_000);
        assertEquals(Mempool.AddResult.UNDERPRICED_REPLACEMENT, pool.add(cheap, cheap.sender()).result());
        Transaction better = Transaction.eip1559(1337).nonce(0).maxPriorityFeePerGas(BigInteger.valueOf(110))
                .maxFeePerGas(BigInteger.valueOf(2_200_000_000L)).gasLimit(21_000).to(TO).value(BigInteger.ONE).data(new byte[0])
                .sign(KEYS.get(3));
        Mempool.Admission a = pool.add(better, better.sender());
        assertEquals(Mempool.AddResult.REPLACED, a.result());
        assertEquals(t.hash(), a.replaced().tx().hash(), "the replaced transaction is named so it gets an outcome");
        assertEquals(1, pool.size());
    }

    @Test
    void boundsEvictTheCheapestTailAndRefuseWhatCannotFit() {
        Mempool pool = new Mempool(3, 2);
        Transaction a0 = tx(5, 0, 50, 21_000);
        Transaction a1 = tx(5, 1, 10, 21_000);
        Transaction b0 = tx(6, 0, 30, 21_000);
        pool.add(a0, a0.sender());
        pool.add(a1, a1.sender());
        assertEquals(Mempool.AddResult.SENDER_LIMIT, pool.add(tx(5, 2, 99, 21_000), a0.sender()).result());
        pool.add(b0, b0.sender());
        Transaction rich = tx(7, 0, 40, 21_000);
        Mempool.Admission adm = pool.add(rich, rich.sender());
        assertEquals(Mempool.AddResult.ADDED, adm.result());
        assertEquals(List.of(a1.hash()), adm.evicted().stream().map(e -> e.tx().hash()).toList(), "cheapest tail goes first");
        Transaction poor = tx(8, 0, 1, 21_000);
        assertEquals(Mempool.AddResult.POOL_FULL, pool.add(poor, poor.sender()).result());
        assertEquals(3, pool.size());
    }

    @Test
    void permanentlyInvalidTransactionsAreDroppedWithTheirReason() {
        Mempool pool = new Mempool();
        Transaction tooLittleGas = tx(4, 0, 10, 20_000);
        pool.add(tooLittleGas, tooLittleGas.sender());
        Mempool.Fill fill = pool.fill(builder(20_000_000), farFuture());
        assertEquals(1, fill.dropped().size());
        assertEquals(TransactionRejected.Reason.INTRINSIC_GAS_TOO_LOW, fill.dropped().get(0).reason());
        assertEquals(0, pool.size());
    }

    @Test
    void anExpiredBuildingDeadlineReturnsAPartialBlockAndKeepsTheRest() {
        Mempool pool = new Mempool();
        for (int k = 0; k < 5; k++) {
            Transaction t = tx(k, 0, 10, 21_000);
            pool.add(t, t.sender());
        }
        Mempool.Fill fill = pool.fill(builder(20_000_000), System.nanoTime() - 1);
        assertTrue(fill.timedOut());
        assertEquals(1, fill.included().size(), "an expired deadline still yields one transaction, so the slot is not lost");
        assertEquals(4, pool.size(), "nothing is lost when the deadline cuts building short");
    }

    @Test
    void slotsAlignToTheWallClock() {
        assertEquals(2_000, SequencerService.nextSlotAfter(1_000, 1_000));
        assertEquals(2_000, SequencerService.nextSlotAfter(1_999, 1_000));
        assertEquals(1_250, SequencerService.nextSlotAfter(1_000, 250));
    }

    @Test
    void inclusionModesParseAsInTheRustNode() {
        assertEquals(new InclusionMode(InclusionMode.Kind.FINALIZED, 2), InclusionMode.parse("finalized:2"));
        assertEquals(new InclusionMode(InclusionMode.Kind.FINALIZED, 0), InclusionMode.parse("finalized"));
        assertEquals(new InclusionMode(InclusionMode.Kind.DEPTH, 10), InclusionMode.parse("depth:10"));
        for (String bad : List.of("depth", "depth:-1", "latest:3", "finalized:x", "", "Finalized:1")) {
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> InclusionMode.parse(bad), bad);
        }
    }
}
