package org.rollupnode.sequencer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rollupnode.chain.ChainFolder;
import org.rollupnode.execution.builder.BaseFee;
import org.rollupnode.execution.builder.BlockBuilder;
import org.rollupnode.execution.builder.BlockEnv;
import org.rollupnode.execution.chain.ChainSpec;
import org.rollupnode.execution.chain.ChainSpecs;
import org.rollupnode.execution.tx.Transaction;
import org.rollupnode.schemas.L1Finalized;
import org.rollupnode.schemas.L1Head;
import org.rollupnode.schemas.L1MessageQueued;
import org.rollupnode.schemas.L1Reorg;
import org.rollupnode.watcher.L1View;

/** Selection per inclusion mode, the declared-gas prefix, and detection of included messages an L1 reorg took away. */
class L1InclusionTest {
    static final ChainSpec DEV = ChainSpecs.byName("dev");
    static final String SENDER = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";
    static final String TARGET = "0x" + "42".repeat(20);

    static String hash(String branch, long n) {
        return "0x" + branch.repeat(2) + String.format("%062x", n);
    }

    static L1MessageQueued msg(long q, long block, String branch, long gas, String value) {
        return new L1MessageQueued(q, block, hash(branch, block), hash("ee", 1000 + q), 0, SENDER, TARGET, value, gas, "0x");
    }

    static L1Head head(long n, String branch, String parentBranch) {
        return new L1Head(n, hash(branch, n), hash(parentBranch, n - 1), 1_700_000_000L + n);
    }

    /** L1 blocks 1..10 on branch "aa", messages 0..3 in blocks 2, 3, 5 and 8. */
    static L1View view() {
        L1View v = new L1View();
        v.apply(msg(0, 2, "aa", 100_000, "1"));
        v.apply(msg(1, 3, "aa", 200_000, "2"));
        v.apply(msg(2, 5, "aa", 300_000, "3"));
        v.apply(msg(3, 8, "aa", 400_000, "4"));
        v.apply(head(10, "aa", "aa"));
        v.apply(new L1Finalized(6, hash("aa", 6)));
        return v;
    }

    static List<Long> indexes(List<Transaction> txs) {
        return txs.stream().map(Transaction::queueIndex).toList();
    }

    @Test
    void eligibilityFollowsTheModeAndTheMaximum() {
        L1View v = view(); // processed 10, finalized 6
        assertEquals(List.of(0L, 1L, 2L, 3L), indexes(L1Inclusion.select(v, InclusionMode.parse("depth:2"), 0, 10)), "L1 block <= 8");
        assertEquals(List.of(0L, 1L, 2L), indexes(L1Inclusion.select(v, InclusionMode.parse("depth:3"), 0, 10)), "L1 block <= 7");
        assertEquals(List.of(0L, 1L, 2L), indexes(L1Inclusion.select(v, InclusionMode.parse("finalized"), 0, 10)), "L1 block <= 6");
        assertEquals(List.of(0L, 1L), indexes(L1Inclusion.select(v, InclusionMode.parse("finalized:2"), 0, 10)), "L1 block <= 4");
        assertEquals(List.of(), indexes(L1Inclusion.select(v, InclusionMode.parse("finalized:7"), 0, 10)), "nothing is final enough");
        assertEquals(List.of(0L, 1L), indexes(L1Inclusion.select(v, InclusionMode.parse("depth:0"), 0, 2)), "at most max");
        assertEquals(List.of(1L, 2L, 3L), indexes(L1Inclusion.select(v, InclusionMode.parse("depth:0"), 1, 10)), "from the next index");
        assertEquals(List.of(), indexes(L1Inclusion.select(v, InclusionMode.parse("depth:0"), 0, 0)));
    }

    @Test
    void declaredGasLimitsFormAContiguousPrefixThatFitsTheBlock() {
        L1View v = view();
        InclusionMode all = InclusionMode.parse("depth:0");
        assertEquals(List.of(0L, 1L, 2L), indexes(L1Inclusion.select(v, all, 0, 10, 600_000)), "100k + 200k + 300k = the limit fits");
        assertEquals(List.of(0L, 1L), indexes(L1Inclusion.select(v, all, 0, 10, 599_999)));
        assertEquals(List.of(0L), indexes(L1Inclusion.select(v, all, 0, 10, 150_000)));
        assertEquals(List.of(), indexes(L1Inclusion.select(v, all, 1, 10, 150_000)), "never skips ahead to a smaller message");
    }

    /** L2 blocks: 1 = messages 0 and 1, 2 = message 2, 3 = an L2 transfer only. */
    static ChainFolder chainWithMessages(L1View v) throws Exception {
        ChainFolder f = new ChainFolder(DEV, 16);
        long nonce = 0;
        for (List<Long> qs : List.of(List.of(0L, 1L), List.of(2L), List.<Long>of())) {
            var parent = f.head();
            BlockBuilder b = new BlockBuilder(DEV, parent, f.headState(), new BlockEnv(parent.number() + 1, parent.timestamp() + 1,
                    ChainSpecs.FEE_VAULT, 20_000_000, BaseFee.next(parent, DEV.baseFeeOverhead())));
            for (long q : qs) {
                b.add(L1Inclusion.toTransaction(v.message(q).orElseThrow()));
            }
            b.add(Transaction.eip1559(1337).nonce(nonce++).maxPriorityFeePerGas(BigInteger.ONE).maxFeePerGas(BigInteger.valueOf(1_000_000_000))
                    .gasLimit(21_000).to(org.rollupnode.execution.types.Address.fromHex(TARGET)).value(BigInteger.ONE).data(new byte[0])
                    .sign(ChainSpecs.devPrivateKeys().get(3)));
            f.advance(b.seal(new byte[0]));
        }
        return f;
    }

    @Test
    void aReorgThatRemovesAnIncludedMessageNamesTheFirstL2BlockHoldingIt() throws Exception {
        L1View v = view();
        ChainFolder f = chainWithMessages(v);
        assertTrue(L1Inclusion.firstReorgedAway(f.retained(), v, 0, q -> null).isEmpty(), "L1 and L2 agree");

        v.apply(new L1Reorg(4, hash("aa", 4), 5, "test")); // message 2 (block 5) and 3 (block 8) are gone
        var gone = L1Inclusion.firstReorgedAway(f.retained(), v, 0, q -> null).orElseThrow();
        assertEquals(2, gone.l2Block());
        assertEquals(2, gone.queueIndex());
        assertTrue(gone.reason().contains("removed L1 message 2"), gone.reason());

        // The new branch queues index 2 again with another value: still not what block 2 holds.
        v.apply(msg(2, 5, "bb", 300_000, "30"));
        v.apply(head(6, "bb", "aa"));
        var replaced = L1Inclusion.firstReorgedAway(f.retained(), v, 0, q -> msg(2, 5, "aa", 300_000, "3")).orElseThrow();
        assertEquals(2, replaced.l2Block());
        assertEquals(5, replaced.l1BlockNumber());
        assertTrue(replaced.reason().contains("replaced L1 message 2 from L1 block 5"), replaced.reason());

        assertTrue(L1Inclusion.firstReorgedAway(f.retained(), v, 3, q -> null).isEmpty(), "settled indexes are not checked");
    }

    @Test
    void aReorgThatQueuesTheSameMessageAgainNeedsNoRevert() throws Exception {
        L1View v = view();
        ChainFolder f = chainWithMessages(v);
        v.apply(new L1Reorg(4, hash("aa", 4), 5, "test"));
        v.apply(msg(2, 6, "bb", 300_000, "3")); // same fields, other L1 block: the L2 transaction is identical
        v.apply(head(7, "bb", "bb"));
        assertTrue(L1Inclusion.firstReorgedAway(f.retained(), v, 0, q -> null).isEmpty());
    }

    @Test
    void aReorgThatRemovesOnlyNotYetIncludedMessagesChangesWhatIsSelected() {
        L1View v = view();
        v.apply(new L1Reorg(7, hash("aa", 7), 8, "test")); // message 3 (block 8) is gone
        v.apply(msg(3, 9, "cc", 50_000, "44"));
        v.apply(head(9, "cc", "aa"));
        List<Transaction> sel = L1Inclusion.select(v, InclusionMode.parse("depth:0"), 3, 10);
        assertEquals(List.of(3L), indexes(sel));
        assertEquals(new BigInteger("44"), sel.get(0).value(), "the replacement branch's message");
    }

    @Test
    void revertToL1BlockNamesTheFirstL2BlockHoldingAMessageFromAboveIt() throws Exception {
        L1View v = view(); // messages 0..3 in L1 blocks 2, 3, 5, 8; L2 block 1 = 0+1, block 2 = 2
        ChainFolder f = chainWithMessages(v);
        assertTrue(L1Inclusion.firstIncludedAbove(f.retained(), v, 0, q -> null, 5).isEmpty(), "everything included is at or below 5");
        var above4 = L1Inclusion.firstIncludedAbove(f.retained(), v, 0, q -> null, 4).orElseThrow();
        assertEquals(2, above4.l2Block());
        assertEquals(2, above4.queueIndex());
        assertEquals(5, above4.l1BlockNumber());
        var above2 = L1Inclusion.firstIncludedAbove(f.retained(), v, 0, q -> null, 2).orElseThrow();
        assertEquals(1, above2.l2Block(), "message 1 (L1 block 3) is in L2 block 1");
        assertEquals(1, above2.queueIndex());
        assertTrue(L1Inclusion.firstIncludedAbove(f.retained(), v, 2, q -> null, 2).orElseThrow().l2Block() == 2,
                "settled indexes are not checked");

        // After the watcher's unwind the view no longer has message 2: the record it was included from decides.
        v.apply(new org.rollupnode.schemas.L1Unwind(4, hash("aa", 4), 0, "rpc", "test"));
        assertEquals(2, L1Inclusion.firstIncludedAbove(f.retained(), v, 0, q -> msg(2, 5, "aa", 300_000, "3"), 4).orElseThrow().l2Block());
        assertEquals(2, L1Inclusion.firstIncludedAbove(f.retained(), v, 0, q -> null, 4).orElseThrow().l2Block(),
                "a message neither knows left through a reorg or an unwind: it counts as above");
    }

    @Test
    void anUnwindInProgressCapsTheEligibleL1Blocks() {
        L1View v = view();
        assertEquals(List.of(0L, 1L), indexes(L1Inclusion.select(v, InclusionMode.parse("depth:0"), 0, 10, 30_000_000, 3)));
        assertEquals(List.of(), indexes(L1Inclusion.select(v, InclusionMode.parse("depth:0"), 2, 10, 30_000_000, 3)));
    }
}
