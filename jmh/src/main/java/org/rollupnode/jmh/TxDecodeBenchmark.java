package org.rollupnode.jmh;

import java.math.BigInteger;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.rollupnode.execution.tx.Transaction;
import org.rollupnode.execution.tx.TransactionDecoder;
import org.rollupnode.execution.types.Address;

/** RLP decode of raw transactions (strict decoder, no sender recovery) and the hash that follows it. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TxDecodeBenchmark {
    private byte[] transfer;
    private byte[] erc20;

    @Setup
    public void setup() {
        Address to = Address.fromHex("0x" + "5e".repeat(20));
        transfer = Fixtures.tx(0, 7, to, new byte[0], 21_000).encoded();
        erc20 = Fixtures.tx(0, 7, to, Fixtures.erc20Transfer(to, BigInteger.TEN), 60_000).encoded();
    }

    @Benchmark
    public Transaction decodeTransfer() {
        return TransactionDecoder.decode(transfer);
    }

    @Benchmark
    public Object decodeTransferAndHash() {
        return TransactionDecoder.decode(transfer).hash();
    }

    @Benchmark
    public Transaction decodeErc20Call() {
        return TransactionDecoder.decode(erc20);
    }
}
