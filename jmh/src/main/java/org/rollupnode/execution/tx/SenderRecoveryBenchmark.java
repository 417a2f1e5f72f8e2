package org.rollupnode.execution.tx;

import java.math.BigInteger;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.rollupnode.execution.types.Address;

/**
 * Sender recovery of one signature: BouncyCastle, libsecp256k1 through JNI, and the process-wide
 * cache hit that the second and third decode of a transaction in one node get. Lives in the
 * {@code tx} package because the recovery entry points are package-private.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SenderRecoveryBenchmark {
    private static final int N = 1024;

    @Param({"bouncycastle", "libsecp256k1", "cache-hit"})
    public String impl;

    private byte[][] msgs;
    private Secp256k1.Signature[] sigs;
    private int i;

    @Setup
    public void setup() {
        Random rnd = new Random(42);
        msgs = new byte[N][];
        sigs = new Secp256k1.Signature[N];
        BigInteger key = new BigInteger("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80", 16);
        for (int k = 0; k < N; k++) {
            msgs[k] = new byte[32];
            rnd.nextBytes(msgs[k]);
            sigs[k] = Secp256k1.sign(msgs[k], key);
        }
        Secp256k1.clearCache();
        if (impl.equals("cache-hit")) {
            for (int k = 0; k < N; k++) {
                Secp256k1.recoverAddress(msgs[k], sigs[k].yParity(), sigs[k].r(), sigs[k].s());
            }
        }
    }

    @Benchmark
    public Object recover() {
        int k = i++ & (N - 1);
        Secp256k1.Signature s = sigs[k];
        return switch (impl) {
            case "bouncycastle" -> Secp256k1.recoverPublicKeyBouncyCastle(msgs[k], s.yParity(), s.r(), s.s());
            case "libsecp256k1" -> Secp256k1.recoverPublicKeyNative(msgs[k], s.yParity(), s.r(), s.s());
            default -> {
                Address a = Secp256k1.recoverAddress(msgs[k], s.yParity(), s.r(), s.s());
                yield a;
            }
        };
    }
}
