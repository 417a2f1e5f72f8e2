package org.rollupnode.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rollupnode.chain.ChainFolder;
import org.rollupnode.chain.Payloads;
import org.rollupnode.execution.builder.BaseFee;
import org.rollupnode.execution.builder.BlockBuilder;
import org.rollupnode.execution.builder.BlockEnv;
import org.rollupnode.execution.builder.BuiltBlock;
import org.rollupnode.execution.chain.ChainSpecs;
import org.rollupnode.execution.tx.Transaction;
import org.rollupnode.execution.types.Address;
import org.rollupnode.execution.types.Hex;
import org.rollupnode.schemas.BlockPayload;

/**
 * Replay prepares the next block's transactions (decode, senders, L1 fee compression) on other
 * cores while the current one executes. Blocks here are large enough (120 transactions) for the
 * preparation to be handed to another thread; what replay finds must not depend on it.
 */
class ReplayPipelineTest {
    static final int PER_BLOCK = 120; // 20 senders x 6, above the prefetch's parallel threshold
    static final int SENDERS = 20;

    static List<BlockPayload> chain(int n) throws Exception {
        ChainFolder folder = new ChainFolder(ReplayTest.DEV);
        List<BlockPayload> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            var parent = folder.head();
            BlockBuilder b = new BlockBuilder(ReplayTest.DEV, parent, folder.headState(), new BlockEnv(parent.number() + 1,
                    parent.timestamp() + 1, ChainSpecs.FEE_VAULT, 20_000_000, BaseFee.next(parent, ReplayTest.DEV.baseFeeOverhead())));
            for (int j = 0; j < PER_BLOCK; j++) {
                b.add(ReplayTest.transfer(j % SENDERS, (long) i * (PER_BLOCK / SENDERS) + j / SENDERS, 1 + j));
            }
            BuiltBlock built = b.seal(new byte[0]);
            folder.advance(built);
            out.add(Payloads.toPayload(built, 0, 0, "seq", 0, 0));
        }
        return out;
    }

    static ReplayReport replay(List<BlockPayload> c) {
        return new Replay(ReplayTest.DEV, Address.fromHex(ReplayTest.address(ReplayTest.SIGNER)))
                .run(ReplayTest.honest(c), 1, Long.MAX_VALUE, null);
    }

    @Test
    void aCleanChainOfLargeBlocksPasses() throws Exception {
        ReplayReport r = replay(chain(4));
        assertTrue(r.ok(), String.valueOf(r.divergence()));
        assertEquals(4, r.blocksChecked());
        assertEquals(4 * PER_BLOCK, r.transactions());
    }

    @Test
    void anEditedTransactionInAPreparedBlockIsCaught() throws Exception {
        List<BlockPayload> c = chain(4);
        BlockPayload p3 = c.get(2); // prepared while block 2 executes
        List<String> txs = new ArrayList<>(p3.transactions());
        // Sender 5's transaction in block 3 (its nonce 2 * 6 + 4), with another value.
        txs.set(4 * SENDERS + 5, Hex.encode(ReplayTest.transfer(5, 2 * 6 + 4, 999).encoded()));
        c.set(2, ReplayTest.withTransactions(p3, txs));
        ReplayReport r = replay(c);
        assertEquals(3, r.divergence().block());
        assertEquals("re-execution", r.divergence().check());
        assertEquals("stateRoot", r.divergence().field());
        assertEquals(p3.stateRoot(), r.divergence().expected(), "the payload's claim");
    }

    @Test
    void anUndecodableTransactionInAPreparedBlockIsReportedAtItsBlock() throws Exception {
        List<BlockPayload> c = chain(4);
        BlockPayload p3 = c.get(2);
        List<String> txs = new ArrayList<>(p3.transactions());
        txs.set(7, "0x02c0"); // a typed envelope with an empty field list
        c.set(2, ReplayTest.withTransactions(p3, txs));
        ReplayReport r = replay(c);
        assertEquals(3, r.divergence().block());
        assertEquals("encoding", r.divergence().field());
        assertEquals(2, r.blocksChecked(), "blocks 1 and 2 checked before the bad one");
    }

    @Test
    void anUnrecoverableSignatureInAPreparedBlockFailsThatTransaction() throws Exception {
        List<BlockPayload> c = chain(4);
        BlockPayload p3 = c.get(2);
        List<String> txs = new ArrayList<>(p3.transactions());
        // An r with no curve point at x = r (x^3 + 7 is not a square mod p): no sender recovers from it.
        BigInteger p = BigInteger.TWO.pow(256).subtract(BigInteger.TWO.pow(32)).subtract(BigInteger.valueOf(977));
        BigInteger r = BigInteger.ONE;
        while (r.pow(3).add(BigInteger.valueOf(7)).modPow(p.subtract(BigInteger.ONE).shiftRight(1), p).equals(BigInteger.ONE)) {
            r = r.add(BigInteger.ONE);
        }
        Transaction bad = Transaction.eip1559(1337).nonce(2 * 6 + 3).maxPriorityFeePerGas(BigInteger.ONE)
                .maxFeePerGas(BigInteger.valueOf(1_000_000_000)).gasLimit(21_000).to(ReplayTest.TO).value(BigInteger.ONE)
                .data(new byte[0]).withSignature(0, r, BigInteger.ONE);
        txs.set(SENDERS + 3, Hex.encode(bad.encoded()));
        c.set(2, ReplayTest.withTransactions(p3, txs));
        ReplayReport report = replay(c);
        assertEquals(3, report.divergence().block());
        assertEquals("transactions", report.divergence().field());
        assertTrue(report.divergence().message().contains("transaction " + (SENDERS + 3)), report.divergence().message());
    }
}
