package org.rollupnode.jmh;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
import org.rollupnode.audit.RecordSource;
import org.rollupnode.audit.Replay;
import org.rollupnode.audit.ReplayReport;
import org.rollupnode.audit.TopicRecord;
import org.rollupnode.chain.ChainFolder;
import org.rollupnode.chain.Payloads;
import org.rollupnode.execution.builder.BaseFee;
import org.rollupnode.execution.builder.BlockBuilder;
import org.rollupnode.execution.builder.BlockEnv;
import org.rollupnode.execution.builder.BuiltBlock;
import org.rollupnode.execution.builder.TransactionRejected;
import org.rollupnode.execution.chain.ChainSpecs;
import org.rollupnode.execution.crypto.Keccak;
import org.rollupnode.execution.tx.Transaction;
import org.rollupnode.execution.types.Address;
import org.rollupnode.execution.types.Hex;
import org.rollupnode.schemas.BlockPayload;
import org.rollupnode.schemas.EventCodec;
import org.rollupnode.schemas.SignedBlock;
import org.rollupnode.schemas.Topics;
import org.rollupnode.signer.LocalKeySigner;

/**
 * {@code rollup-node replay} without the broker: a chain of full 20M-gas blocks of value transfers
 * (952 each, every one to a new account) held as the records of the sequencer stream and
 * signed-blocks, replayed from genesis as a fresh process would (sender cache and L1 fee memos
 * cleared): record decoding, signature checks, decode, recovery, execution, seal, comparison.
 * Transfers per second = blocks * 952 / (ms/op) * 1000.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ReplayBenchmark {
    private static final int TRANSFERS_PER_BLOCK = 952;

    @Param({"8"})
    public int blocks;

    private org.rollupnode.audit.InMemoryRecords source;
    private Address signerAddress;


    @Setup(Level.Trial)
    public void setup() throws TransactionRejected {
        List<BigInteger> keys = Fixtures.KEYS;
        LocalKeySigner signer = new LocalKeySigner(new BigInteger(1, Keccak.hash256("replay benchmark signer".getBytes())));
        signerAddress = signer.address();
        ChainFolder folder = new ChainFolder(Fixtures.SPEC);
        long[] nonces = new long[keys.size()];
        source = new org.rollupnode.audit.InMemoryRecords();
        int recipient = 0;
        for (int n = 0; n < blocks; n++) {
            var parent = folder.head();
            BlockBuilder b = new BlockBuilder(Fixtures.SPEC, parent, folder.headState(), new BlockEnv(parent.number() + 1,
                    parent.timestamp() + 1, ChainSpecs.FEE_VAULT, 20_000_000L, BaseFee.next(parent, Fixtures.SPEC.baseFeeOverhead())));
            for (int i = 0; i < TRANSFERS_PER_BLOCK; i++) {
                int k = i % keys.size();
                byte[] h = Keccak.hash256(("recipient " + recipient++).getBytes());
                b.add(Transaction.eip1559(Fixtures.SPEC.chainId()).nonce(nonces[k]++).maxPriorityFeePerGas(Fixtures.TIP)
                        .maxFeePerGas(Fixtures.MAX_FEE).gasLimit(21_000).to(Address.wrap(h, 0)).value(BigInteger.ONE)
                        .data(new byte[0]).sign(keys.get(k)));
            }
            BuiltBlock built = b.seal(new byte[0]);
            folder.advance(built);
            BlockPayload p = Payloads.toPayload(built, 0, 0, "bench", 0, 0);
            source.add(Topics.SEQUENCER_STREAM.name(), EventCodec.SEQUENCER_STREAM.encode(p));
            String sig = Hex.encode(signer.sign(Payloads.header(p).sealHash()));
            source.add(Topics.SIGNED_BLOCKS.name(), EventCodec.SIGNED_BLOCK.encode(new SignedBlock(p, sig, signerAddress.toHex(), 0, 0)));
        }
    }

    @Benchmark
    public ReplayReport replay() {
        org.rollupnode.execution.tx.RecoveryCacheAccess.clear();
        org.rollupnode.execution.fee.L1FeeMemoAccess.clear();
        ReplayReport r = new Replay(Fixtures.SPEC, signerAddress).run(source, 1, Long.MAX_VALUE, null);
        if (!r.ok() || r.transactions() != (long) blocks * TRANSFERS_PER_BLOCK) {
            throw new IllegalStateException("replay failed: " + r.divergence() + ", " + r.transactions() + " transactions");
        }
        return r;
    }
}
