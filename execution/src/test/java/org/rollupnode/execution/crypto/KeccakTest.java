package org.rollupnode.execution.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.rollupnode.execution.types.Hex;

/** The per-thread digest gives the published Keccak-256 values, after errors and across threads. */
class KeccakTest {
    static final String EMPTY = "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470";
    static final String HELLO = "0x1c8aff950685c2ed4bc3174f3472287b56d9517b9c948127319a09a7a36deac8"; // keccak256("hello")

    @Test
    void knownVectors() {
        assertEquals(EMPTY, Hex.encode(Keccak.hash256(new byte[0])));
        assertEquals(HELLO, Hex.encode(Keccak.hash256("hello".getBytes(StandardCharsets.US_ASCII))));
        byte[] padded = "xxhelloyy".getBytes(StandardCharsets.US_ASCII);
        assertEquals(HELLO, Hex.encode(Keccak.hash256(padded, 2, 5)));
    }

    @Test
    void aBadRangeLeavesNothingBehindForTheNextHash() {
        assertThrows(IndexOutOfBoundsException.class, () -> Keccak.hash256(new byte[4], 2, 5));
        assertThrows(IndexOutOfBoundsException.class, () -> Keccak.hash256(new byte[4], -1, 2));
        assertEquals(EMPTY, Hex.encode(Keccak.hash256(new byte[0])));
        assertEquals(HELLO, Hex.encode(Keccak.hash256("hello".getBytes(StandardCharsets.US_ASCII))));
    }

    @Test
    void threadsHashingAtOnceEachGetTheirOwnResult() throws Exception {
        // Inputs of several sizes around the 136-byte rate, each hashed once on one thread as the reference.
        byte[][] inputs = new byte[300][];
        String[] expected = new String[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = new byte[i];
            for (int j = 0; j < i; j++) {
                inputs[i][j] = (byte) (i * 31 + j);
            }
            expected[i] = Hex.encode(new org.bouncycastle.jcajce.provider.digest.Keccak.Digest256().digest(inputs[i]));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                fs.add(pool.submit(() -> {
                    for (int round = 0; round < 20; round++) {
                        for (int i = 0; i < inputs.length; i++) {
                            assertEquals(expected[i], Hex.encode(Keccak.hash256(inputs[i])), "input of " + i + " bytes");
                        }
                    }
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
