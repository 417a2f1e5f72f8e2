package org.rollupnode.jmh;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.rollupnode.execution.builder.BlockBuilder;
import org.rollupnode.execution.builder.BuiltBlock;
import org.rollupnode.execution.builder.InvalidBlockException;
import org.rollupnode.execution.builder.TransactionRejected;
import org.rollupnode.execution.crypto.Keccak;
import org.rollupnode.execution.state.Account;
import org.rollupnode.execution.trie.MerklePatriciaTrie;
import org.rollupnode.execution.tx.Transaction;
import org.rollupnode.execution.tx.TransactionDecoder;
import org.rollupnode.execution.types.Address;
import org.rollupnode.execution.types.Hash32;
import org.rollupnode.signer.LocalKeySigner;

/**
 * Whole-block costs: building a full 20M-gas block of value transfers (952 of them) with and
 * without sender recovery, the account-trie commit of N updates, and signing a seal hash.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class BlockBenchmark {
    private static final int FULL_BLOCK_TRANSFERS = 952; // 952 * 21,000 = 19,992,000 gas

    private Fixtures f;
    private List<Transaction> transfers;
    private byte[][] rawTransfers;

    @Setup(Level.Trial)
    public void setup() {
        f = Fixtures.create();
        // Distinct recipients: every transfer also creates an account, as with fresh load accounts.
        transfers = f.roundRobin(FULL_BLOCK_TRANSFERS, BlockBenchmark::recipient, i -> new byte[0], 21_000, true);
        transfers.forEach(Transaction::sender);
        rawTransfers = transfers.stream().map(Transaction::encoded).toArray(byte[][]::new);
    }

    private static Address recipient(int i) {
        byte[] h = Keccak.hash256(new byte[] {(byte) i, (byte) (i >> 8)});
        return Address.wrap(h, 0);
    }

    /** Execute and seal 952 transfers (senders already known). */
    @Benchmark
    public BuiltBlock build20MBlock() throws TransactionRejected {
        BlockBuilder b = f.builder(20_000_000L);
        for (Transaction t : transfers) {
            b.add(t);
        }
        if (b.gasUsed() != FULL_BLOCK_TRANSFERS * 21_000L) {
            throw new IllegalStateException("block not full: " + b.gasUsed());
        }
        return b.seal(new byte[0]);
    }

    /**
     * What a re-executing reader does per block: decode 952 raw transactions, recover each sender
     * (the recovery cache is bypassed by decoding fresh copies after clearing it), execute, seal.
     */
    @Benchmark
    public BuiltBlock decodeRecoverBuild20MBlock() throws TransactionRejected {
        org.rollupnode.execution.tx.RecoveryCacheAccess.clear();
        BlockBuilder b = f.builder(20_000_000L);
        for (byte[] raw : rawTransfers) {
            b.add(TransactionDecoder.decode(raw));
        }
        return b.seal(new byte[0]);
    }

    /**
     * The re-executing reader's path as replay and the gateways run it, in a fresh process: decode
     * 952 raw transactions with the sender cache and the L1 fee memos cleared, then
     * {@link BlockBuilder#reexecute} (which prepares what it can on all cores, then executes and seals).
     */
    @Benchmark
    public BuiltBlock reexecute20MBlockCold() throws InvalidBlockException {
        org.rollupnode.execution.tx.RecoveryCacheAccess.clear();
        org.rollupnode.execution.fee.L1FeeMemoAccess.clear();
        List<Transaction> txs = new ArrayList<>(rawTransfers.length);
        for (byte[] raw : rawTransfers) {
            txs.add(TransactionDecoder.decode(raw));
        }
        BuiltBlock b = BlockBuilder.reexecute(Fixtures.SPEC, f.head, f.state, f.nextEnv(20_000_000L), txs, new byte[0]);
        if (b.header().gasUsed() != FULL_BLOCK_TRANSFERS * 21_000L) {
            throw new IllegalStateException("block not full: " + b.header().gasUsed());
        }
        return b;
    }

    @State(Scope.Benchmark)
    public static class TrieState {
        @Param({"100000"})
        public int accounts;

        @Param({"1000", "10000"})
        public int updates;

        MerklePatriciaTrie base;
        byte[][] keys;
        byte[][] values;

        @Setup(Level.Trial)
        public void setup() {
            MerklePatriciaTrie t = MerklePatriciaTrie.empty();
            keys = new byte[accounts][];
            for (int i = 0; i < accounts; i++) {
                keys[i] = Keccak.hash256(BigInteger.valueOf(i).toByteArray());
                t = t.put(keys[i], Account.EMPTY.withBalance(BigInteger.valueOf(i + 1)).rlp());
            }
            t.rootHash();
            base = t;
            values = new byte[updates][];
            for (int i = 0; i < updates; i++) {
                values[i] = Account.EMPTY.withBalance(BigInteger.valueOf(1_000_000L + i)).rlp();
            }
        }
    }

    /** Update {@code updates} accounts of a 100,000-account trie and compute the new root. */
    @Benchmark
    public Hash32 trieCommit(TrieState s) {
        MerklePatriciaTrie t = s.base;
        int stride = s.accounts / s.updates;
        for (int i = 0; i < s.updates; i++) {
            t = t.put(s.keys[i * stride], s.values[i]);
        }
        return t.rootHash();
    }

    @State(Scope.Benchmark)
    public static class SignerState {
        LocalKeySigner signer = new LocalKeySigner(new BigInteger(1, Keccak.hash256("rollup-node-java dev signer".getBytes())));
        Hash32 sealHash = Hash32.wrap(Keccak.hash256("a seal hash".getBytes()));
    }

    /** Sign one block's seal hash with the local key (RFC 6979, low s). */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public byte[] signBlock(SignerState s) {
        return s.signer.sign(s.sealHash);
    }
}
