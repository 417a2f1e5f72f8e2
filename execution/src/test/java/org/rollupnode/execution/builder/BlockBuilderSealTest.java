package org.rollupnode.execution.builder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.rollupnode.execution.chain.ChainSpec;
import org.rollupnode.execution.chain.ChainSpecs;
import org.rollupnode.execution.chain.Genesis;
import org.rollupnode.execution.crypto.Keccak;
import org.rollupnode.execution.trie.TrieRoots;
import org.rollupnode.execution.tx.Transaction;
import org.rollupnode.execution.types.Address;

/**
 * A block large enough for the seal to hash the transactions and receipts tries on another core
 * while it hashes the state: each root lands in its own header field, and the header is the same
 * when no other core is free (the seal then computes them itself).
 */
class BlockBuilderSealTest {
    static final ChainSpec DEV = ChainSpecs.byName("dev");
    static final int TRANSFERS = 100;

    static List<Transaction> transfers() {
        List<Transaction> txs = new ArrayList<>();
        for (int i = 0; i < TRANSFERS; i++) {
            byte[] h = Keccak.hash256(("seal test recipient " + i).getBytes());
            txs.add(Transaction.eip1559(DEV.chainId()).nonce(i / 5).maxPriorityFeePerGas(1).maxFeePerGas(1_000_000_000L)
                    .gasLimit(21_000).to(Address.wrap(h, 0)).value(BigInteger.valueOf(1 + i)).data(new byte[0])
                    .sign(ChainSpecs.devPrivateKeys().get(i % 5)));
        }
        return txs;
    }

    static BlockEnv env(Genesis g) {
        return new BlockEnv(1, g.header().timestamp() + 1, ChainSpecs.FEE_VAULT, 20_000_000, BigInteger.valueOf(15_680_000));
    }

    static BuiltBlock build(Genesis g, List<Transaction> txs) throws TransactionRejected {
        BlockBuilder b = new BlockBuilder(DEV, g.header(), g.state(), env(g));
        for (Transaction t : txs) {
            b.add(t);
        }
        return b.seal(new byte[0]);
    }

    @Test
    void eachRootIsInItsFieldAndTheHeaderDoesNotDependOnAFreeCore() throws Exception {
        Genesis g = Genesis.of(DEV);
        List<Transaction> txs = transfers();
        BuiltBlock built = build(g, txs);
        assertEquals(TRANSFERS, built.transactions().size());

        List<byte[]> encoded = new ArrayList<>();
        List<byte[]> receipts = new ArrayList<>();
        for (ExecutedTransaction e : built.transactions()) {
            encoded.add(e.transaction().encoded());
            receipts.add(e.receipt().encode());
        }
        assertEquals(TrieRoots.ordered(encoded), built.header().transactionsRoot());
        assertEquals(TrieRoots.ordered(receipts), built.header().receiptsRoot());
        assertEquals(built.postState().stateRoot(), built.header().stateRoot());

        // Every common-pool worker busy: the seal must not wait for one, and must give the same header.
        int workers = ForkJoinPool.getCommonPoolParallelism();
        CountDownLatch started = new CountDownLatch(workers);
        CountDownLatch release = new CountDownLatch(1);
        for (int i = 0; i < workers; i++) {
            ForkJoinPool.commonPool().execute(() -> {
                started.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        try {
            assertTrue(started.await(30, TimeUnit.SECONDS), "common pool workers did not start");
            BuiltBlock again = build(g, txs);
            assertEquals(built.header().hash(), again.header().hash());
            BuiltBlock replayed = BlockBuilder.reexecute(DEV, g.header(), g.state(), env(g), txs, new byte[0]);
            assertEquals(built.header().hash(), replayed.header().hash());
        } finally {
            release.countDown();
        }
    }
}
