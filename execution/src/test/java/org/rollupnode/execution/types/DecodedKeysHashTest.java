package org.rollupnode.execution.types;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Regression for a sequencer block whose state root its own re-execution did not reproduce: on
 * JDK 17 (17.0.15), once C2 compiled {@code Address.wrap(Arrays.copyOfRange(raw, ...))} in the
 * decoder, the copy of the fresh copy was read as zeros in the constructor, so a decoded address
 * hashed like 0x00…00 while equal to the real one. Transactions decoded before and after that
 * compilation put the same recipient under two HashMap keys of a block's state overlay and one
 * set of balance updates was lost.
 *
 * <p>The check runs in a child JVM with C2 only ({@code -XX:-TieredCompilation}) and the Parallel
 * collector, where the old decoder missed almost every lookup after compilation; it counts misses
 * and asserts none (no timing involved). On a JVM without the C2 bug it passes either way.
 */
class DecodedKeysHashTest {
    @Test
    void decodedAddressesAndStorageKeysHashLikeEqualValuesOnceCompiledByC2() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        int iterations = 300_000;
        Process p = new ProcessBuilder(List.of(java, "-XX:-TieredCompilation", "-XX:+UseParallelGC", "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), DecodedKeysUnderC2.class.getName(), Integer.toString(iterations)))
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, p.waitFor(), out);
        assertEquals("MISSED 0 OF " + iterations, out.lines().reduce((a, b) -> b).orElse(""), out);
    }
}
