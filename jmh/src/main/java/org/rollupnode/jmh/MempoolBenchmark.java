package org.rollupnode.jmh;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.rollupnode.execution.builder.BlockBuilder;
import org.rollupnode.execution.tx.Transaction;
import org.rollupnode.execution.types.Address;
import org.rollupnode.sequencer.Mempool;

/**
 * The sequencer's pool: inserting 5,000 transfers (20 senders, 250 nonces each) and filling a
 * 20M-gas block from such a pool (fill includes executing each transaction, as in the node).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class MempoolBenchmark {
    private static final int TXS = 5_000;
    private Fixtures f;
    private List<Transaction> txs;
    private Address[] senders;
    private Mempool pool;

    @Setup(Level.Trial)
    public void setup() {
        f = Fixtures.create();
        Address sink = Address.fromHex("0x" + "5e".repeat(20));
        txs = f.roundRobin(TXS, i -> sink, i -> new byte[0], 21_000, true);
        senders = new Address[TXS];
        for (int i = 0; i < TXS; i++) {
            senders[i] = txs.get(i).sender(); // recovered once here: the pool gets the sender from intake
        }
    }

    @Setup(Level.Invocation)
    public void fullPool() {
        pool = new Mempool(50_000, 1024);
        for (int i = 0; i < TXS; i++) {
            pool.add(txs.get(i), senders[i]);
        }
    }

    /** 5,000 inserts into an empty pool. */
    @Benchmark
    public Mempool insert5000() {
        Mempool p = new Mempool(50_000, 1024);
        for (int i = 0; i < TXS; i++) {
            p.add(txs.get(i), senders[i]);
        }
        return p;
    }

    /** Fill (execute) a 20M-gas block from a 5,000-transaction pool: 952 transfers. */
    @Benchmark
    public Mempool.Fill fill20MBlock() {
        BlockBuilder b = f.builder(20_000_000L);
        return pool.fill(b, Long.MAX_VALUE);
    }
}
