package org.rollupnode.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rollupnode.execution.builder.BaseFee;
import org.rollupnode.execution.builder.BlockBuilder;
import org.rollupnode.execution.builder.BlockEnv;
import org.rollupnode.execution.builder.BuiltBlock;
import org.rollupnode.execution.chain.ChainSpec;
import org.rollupnode.execution.chain.ChainSpecs;
import org.rollupnode.execution.chain.Genesis;
import org.rollupnode.execution.tx.Transaction;
import org.rollupnode.execution.types.Address;
import org.rollupnode.schemas.BlockPayload;

/** Explicit reverts: a folder unwinds to a retained block, refuses anything else, and keeps L1 queue order. */
class ChainFolderRevertTest {
    static final ChainSpec DEV = ChainSpecs.byName("dev");
    static final Address TO = Address.fromHex("0x" + "42".repeat(20));
    static final Address L1_SENDER = Address.fromHex("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266");

    static Transaction transfer(int key, long nonce, long value) {
        return Transaction.eip1559(1337).nonce(nonce).maxPriorityFeePerGas(BigInteger.ONE).maxFeePerGas(BigInteger.valueOf(1_000_000_000))
                .gasLimit(21_000).to(TO).value(BigInteger.valueOf(value)).data(new byte[0]).sign(ChainSpecs.devPrivateKeys().get(key));
    }

    static Transaction l1(long queueIndex, long value) {
        return Transaction.l1Message(queueIndex, 100_000, TO, BigInteger.valueOf(value), new byte[0], L1_SENDER);
    }

    /** Builds the next block on {@code f}'s head (without applying it) from the given transactions. */
    static BlockPayload next(ChainFolder f, long l1Included, Transaction... txs) throws Exception {
        var parent = f.head();
        BlockBuilder b = new BlockBuilder(DEV, parent, f.headState(), new BlockEnv(parent.number() + 1, parent.timestamp() + 1,
                ChainSpecs.FEE_VAULT, 20_000_000, BaseFee.next(parent, DEV.baseFeeOverhead())));
        for (Transaction tx : txs) {
            b.add(tx);
        }
        BuiltBlock built = b.seal(new byte[0]);
        return Payloads.toPayload(built, l1Included, f.nextL1QueueIndex() + l1Included, "test", 0, 0);
    }

    static BlockPayload applyNext(ChainFolder f, long l1Included, Transaction... txs) throws Exception {
        BlockPayload p = next(f, l1Included, txs);
        f.apply(p);
        return p;
    }

    @Test
    void retainedBlocksKeepTheirL1MessagesDecodedAndHandBackEveryL2TransactionOnARevert() throws Exception {
        ChainFolder f = new ChainFolder(DEV, 8);
        Transaction a = transfer(1, 0, 1);
        Transaction b = transfer(2, 0, 2);
        Transaction c = transfer(1, 1, 3);
        BlockPayload b1 = applyNext(f, 1, l1(0, 5), a, b);
        applyNext(f, 1, l1(1, 6), c);

        ChainFolder.Retained r2 = f.retainedAt(2);
        assertEquals(1, r2.block().transactions().size(), "only the L1 message stays decoded");
        assertTrue(r2.block().transactions().get(0).transaction().isL1Message());
        assertEquals(1, r2.l2().size(), "the L2 transaction is kept as its bytes");
        assertEquals(2, f.retainedAt(1).l2().size());

        List<BuiltBlock> removed = f.revertTo(0, null);
        assertEquals(List.of(1L, 2L), removed.stream().map(x -> x.header().number()).toList());
        List<Transaction> back = removed.stream().flatMap(x -> x.transactions().stream()).map(e -> e.transaction()).toList();
        assertEquals(List.of(l1(0, 5).hash(), a.hash(), b.hash(), l1(1, 6).hash(), c.hash()), back.stream().map(Transaction::hash).toList(),
                "every transaction comes back, in block order");
        assertEquals(List.of(0, 1, 2), removed.get(0).transactions().stream().map(e -> e.index()).toList());
        assertEquals(a.sender(), back.get(1).sender());
        assertEquals(b.sender(), back.get(2).sender());
        assertEquals(b1.hash(), removed.get(0).header().hash().toHex());
        // the decoded copies are the same transactions: the block folds again from them
        ChainFolder again = new ChainFolder(DEV, 8);
        assertEquals(b1.hash(), applyNext(again, 1, back.get(0), back.get(1), back.get(2)).hash());
    }

    @Test
    void revertUnwindsStateHeadAndQueuePositionThenTheHeightIsBuiltAgain() throws Exception {
        ChainFolder f = new ChainFolder(DEV, 8);
        BlockPayload b1 = applyNext(f, 2, l1(0, 5), l1(1, 6), transfer(1, 0, 1));
        BlockPayload b2 = applyNext(f, 1, l1(2, 7), transfer(1, 1, 1));
        applyNext(f, 0, transfer(1, 2, 1));
        assertEquals(3, f.head().number());
        assertEquals(3, f.nextL1QueueIndex());
        assertEquals(BigInteger.valueOf(5 + 6 + 7 + 3), f.headState().balance(TO));

        List<BuiltBlock> removed = f.revertTo(1, b1.hash());
        assertEquals(List.of(2L, 3L), removed.stream().map(b -> b.header().number()).toList(), "lowest first");
        assertEquals(b1.hash(), f.head().hash().toHex());
        assertEquals(2, f.nextL1QueueIndex(), "the reverted block's L1 message must be included again");
        assertEquals(BigInteger.valueOf(5 + 6 + 1), f.headState().balance(TO));
        assertEquals(1, f.headState().nonce(transfer(1, 0, 1).sender()));

        // A different block 2 (the replacement L1 message 2 carries another value) now folds.
        BlockPayload b2bis = applyNext(f, 1, l1(2, 70), transfer(1, 1, 1));
        assertNotEquals(b2.hash(), b2bis.hash());
        assertEquals(BigInteger.valueOf(5 + 6 + 70 + 2), f.headState().balance(TO));
    }

    @Test
    void afterARevertAQueueIndexCannotBeSkipped() throws Exception {
        ChainFolder f = new ChainFolder(DEV, 8);
        BlockPayload b1 = applyNext(f, 1, l1(0, 1));
        applyNext(f, 1, l1(1, 1));
        f.revertTo(1, b1.hash());
        PayloadRejected e = assertThrows(PayloadRejected.class, () -> f.apply(next(f, 1, l1(2, 1))));
        assertEquals("l1QueueIndex", e.field());
        assertEquals("1", e.expected());
        assertEquals("2", e.actual());
    }

    @Test
    void revertBeyondTheRetainedBlocksOrToAnotherHashIsRefusedAndChangesNothing() throws Exception {
        ChainFolder f = new ChainFolder(DEV, 2);
        BlockPayload b1 = applyNext(f, 0, transfer(1, 0, 1));
        BlockPayload b2 = applyNext(f, 0, transfer(1, 1, 1));
        applyNext(f, 0, transfer(1, 2, 1));
        BlockPayload b4 = applyNext(f, 0, transfer(1, 3, 1));
        assertEquals(2, f.oldestRetained(), "head 4 and two below it");

        PayloadRejected deep = assertThrows(PayloadRejected.class, () -> f.revertTo(1, b1.hash()));
        assertEquals("revertToNumber", deep.field());
        assertTrue(deep.getMessage().contains("only the last 2 blocks are retained (oldest 2)"), deep.getMessage());

        PayloadRejected wrong = assertThrows(PayloadRejected.class, () -> f.revertTo(2, "0x" + "ab".repeat(32)));
        assertEquals("revertToHash", wrong.field());
        assertEquals(b2.hash(), wrong.actual());

        PayloadRejected up = assertThrows(PayloadRejected.class, () -> f.revertTo(5, null));
        assertTrue(up.getMessage().contains("the head is 4"), up.getMessage());

        assertEquals(b4.hash(), f.head().hash().toHex(), "unchanged after refusals");
        assertEquals(List.of(), f.revertTo(4, b4.hash()), "reverting to the head removes nothing");
        f.revertTo(2, b2.hash());
        assertEquals(2, f.head().number());
    }

    @Test
    void revertToGenesisIsPossibleWhileItIsRetained() throws Exception {
        ChainFolder f = new ChainFolder(DEV, 4);
        applyNext(f, 0, transfer(1, 0, 1));
        f.revertTo(0, Genesis.of(DEV).header().hash().toHex());
        assertEquals(0, f.head().number());
        assertEquals(BigInteger.ZERO, f.headState().balance(TO));
    }
}
