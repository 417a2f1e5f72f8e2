package org.rollupnode.jmh;

import java.math.BigInteger;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.rollupnode.execution.evm.L1FeeCalculator;
import org.rollupnode.execution.fee.OracleSlots;
import org.rollupnode.execution.fee.ScrollL1FeeCalculator;
import org.rollupnode.execution.fee.ScrollZstd;
import org.rollupnode.execution.state.StateOverlay;
import org.rollupnode.execution.tx.Transaction;

/**
 * The parts of Scroll's L1 data fee for one value transfer: reading the oracle's slots from the
 * state, compressing the transaction with zstd, and the whole fee as the block builder asks for it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class L1FeeBenchmark {
    private Fixtures f;
    private Transaction transfer;
    private L1FeeCalculator calculator;
    private StateOverlay overlay;

    @Setup(Level.Trial)
    public void setup() {
        f = Fixtures.create();
        transfer = f.roundRobin(1, i -> Fixtures.COINBASE, i -> new byte[0], 21_000, true).get(0);
        calculator = ScrollL1FeeCalculator.forSpec(Fixtures.SPEC);
        overlay = new StateOverlay(f.state);
    }

    @Benchmark
    public OracleSlots readOracleSlots() {
        return OracleSlots.read(slot -> overlay.storageAt(OracleSlots.L1_GAS_PRICE_ORACLE, slot));
    }

    @Benchmark
    public long compressTransfer() {
        return ScrollZstd.compressedSize(transfer.encoded());
    }

    @Benchmark
    public BigInteger l1FeeOfTransfer() {
        return calculator.l1Fee(transfer, overlay);
    }
}
