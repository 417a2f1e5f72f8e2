package org.rollupnode.jmh;

import java.math.BigInteger;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.rollupnode.execution.builder.TransactionRejected;
import org.rollupnode.execution.tx.Transaction;
import org.rollupnode.execution.types.Address;

/**
 * EVM execution throughput, in gas per second ({@code gas} counter; divide by 10^6 for Mgas/s), of
 * one block's worth of transactions executed on the same parent state each time:
 * <ul>
 *   <li>{@code transfer}: 400 value transfers (21,000 gas each) round-robin over the 20 dev accounts;</li>
 *   <li>{@code erc20}: 400 BenchToken.transfer calls between dev accounts that hold tokens;</li>
 *   <li>{@code hashstore}: 40 HashStore.work(50, base) calls, 50 KECCAK256 + 50 fresh SSTOREs each.</li>
 * </ul>
 * Senders are recovered before measuring (the Transaction objects cache them), so this is the EVM,
 * state overlay and receipts only; {@code executeAndSeal} adds the state-root commit and the
 * transactions/receipts tries of the sealed block.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ExecutionBenchmark {
    @Param({"transfer", "erc20", "hashstore"})
    public String workload;

    private Fixtures f;
    private List<Transaction> txs;

    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Gas {
        public long gas;
        public long txs;

        @Setup(Level.Iteration)
        public void reset() {
            gas = 0;
            txs = 0;
        }
    }

    @Setup(Level.Trial)
    public void setup() {
        f = Fixtures.create();
        int n = Fixtures.KEYS.size();
        txs = switch (workload) {
            case "transfer" -> f.roundRobin(400, i -> Address.fromHex("0x" + "5e".repeat(20)), i -> new byte[0], 21_000, true);
            case "erc20" -> f.roundRobin(400, i -> f.token,
                    i -> Fixtures.erc20Transfer(Fixtures.address(Fixtures.KEYS.get((i + 1) % n)), BigInteger.ONE), 100_000, false);
            case "hashstore" -> f.roundRobin(40, i -> f.hashStore, i -> Fixtures.hashStoreWork(50, 1_000L * i), 2_000_000, false);
            default -> throw new IllegalArgumentException(workload);
        };
        txs.forEach(Transaction::sender);
        BlockBuilder check = f.builder(1_000_000_000L);
        execute(check);
        if (check.transactionCount() != txs.size()) {
            throw new IllegalStateException("not every " + workload + " transaction executed");
        }
    }

    private void execute(BlockBuilder b) {
        for (Transaction t : txs) {
            try {
                b.add(t);
            } catch (TransactionRejected e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Benchmark
    public BlockBuilder execute(Gas counter) {
        BlockBuilder b = f.builder(1_000_000_000L);
        execute(b);
        counter.gas += b.gasUsed();
        counter.txs += b.transactionCount();
        return b;
    }

    @Benchmark
    public BuiltBlock executeAndSeal(Gas counter) {
        BlockBuilder b = f.builder(1_000_000_000L);
        execute(b);
        counter.gas += b.gasUsed();
        counter.txs += b.transactionCount();
        return b.seal(new byte[0]);
    }
}
