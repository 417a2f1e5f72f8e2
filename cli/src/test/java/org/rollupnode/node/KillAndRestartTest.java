package org.rollupnode.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;

/**
 * The node as a child JVM, killed with SIGKILL (no shutdown hook, no clean broker stop) and started
 * again on the same --datadir: same head, nothing accepted lost, no height produced twice.
 */
class KillAndRestartTest {
    @TempDir
    Path tmp;

    private Process startChild(Path datadir, int port, Path log) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-cp", System.getProperty("java.class.path"), Main.class.getName(), "node"));
        String[] args = DevSequencerEndToEndTest.devArgs(datadir);
        for (int i = 0; i < args.length; i++) {
            boolean portValue = i > 0 && "--http.port".equals(args[i - 1]);
            cmd.add(portValue ? Integer.toString(port) : args[i]);
        }
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    private static Web3j awaitRpc(int port, Process p, Path log) throws Exception {
        Web3j web3 = Web3j.build(new HttpService("http://127.0.0.1:" + port));
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new AssertionError("node exited early:\n" + Files.readString(log));
            }
            try {
                web3.ethBlockNumber().send().getBlockNumber();
                return web3;
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        throw new AssertionError("node did not serve RPC in time:\n" + Files.readString(log));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void sigkillLosesNothingAndTheChainContinues() throws Exception {
        Path datadir = tmp.resolve("node");
        Path log = tmp.resolve("node.log");
        String recipient = "0x" + "b0b0".repeat(10);
        int port = freePort();
        Process first = startChild(datadir, port, log);
        String lastHash;
        long lastNumber;
        List<String> accepted = new ArrayList<>();
        try {
            Web3j web3 = awaitRpc(port, first, log);
            for (int n = 0; n < 5; n++) {
                accepted.add(web3.ethSendRawTransaction(DevSequencerEndToEndTest.signedTransfer(DevSequencerEndToEndTest.DEV0, n,
                        recipient, BigInteger.ONE)).send().getTransactionHash());
            }
            DevSequencerEndToEndTest.awaitReceipt(web3, accepted.get(4), Duration.ofSeconds(15));
            // Accepted right before the kill: may or may not be in a block yet, must not be lost.
            for (int n = 5; n < 8; n++) {
                accepted.add(web3.ethSendRawTransaction(DevSequencerEndToEndTest.signedTransfer(DevSequencerEndToEndTest.DEV0, n,
                        recipient, BigInteger.ONE)).send().getTransactionHash());
            }
            lastNumber = web3.ethBlockNumber().send().getBlockNumber().longValue();
            lastHash = web3.ethGetBlockByNumber(DefaultBlockParameter.valueOf(BigInteger.valueOf(lastNumber)), false).send().getBlock().getHash();
            web3.shutdown();
        } finally {
            first.destroyForcibly().waitFor(); // SIGKILL
        }

        Process second = startChild(datadir, port, log);
        try {
            Web3j web3 = awaitRpc(port, second, log);
            assertEquals(lastHash, web3.ethGetBlockByNumber(DefaultBlockParameter.valueOf(BigInteger.valueOf(lastNumber)), false)
                    .send().getBlock().getHash(), "blocks from before the kill are unchanged");
            for (String h : accepted) {
                TransactionReceipt r = DevSequencerEndToEndTest.awaitReceipt(web3, h, Duration.ofSeconds(20));
                assertTrue(r.isStatusOK());
            }
            assertEquals(BigInteger.valueOf(8), web3.ethGetBalance(recipient, DefaultBlockParameterName.LATEST).send().getBalance(),
                    "each accepted transfer applied exactly once");
            long head = web3.ethBlockNumber().send().getBlockNumber().longValue();
            String parent = null;
            for (long n = 1; n <= head; n++) {
                var b = web3.ethGetBlockByNumber(DefaultBlockParameter.valueOf(BigInteger.valueOf(n)), false).send().getBlock();
                if (parent != null) {
                    assertEquals(parent, b.getParentHash(), "parent link at " + n);
                }
                parent = b.getHash();
            }
            web3.shutdown();
        } finally {
            second.destroy();
            second.waitFor();
        }
    }
}
