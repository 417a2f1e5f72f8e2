package org.rollupnode.node;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

/** `rollup-node node` (the dev arguments) as a child JVM on a fixed HTTP port, for kill and restart tests. */
final class ChildNode {
    private ChildNode() {}

    static Process start(Path datadir, int port, Path log) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-XX:-ReduceBulkZeroing", "-cp", System.getProperty("java.class.path"), Main.class.getName(), "node"));
        String[] args = DevSequencerEndToEndTest.devArgs(datadir);
        for (int i = 0; i < args.length; i++) {
            boolean portValue = i > 0 && "--http.port".equals(args[i - 1]);
            cmd.add(portValue ? Integer.toString(port) : args[i]);
        }
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    /** A client once the node answers eth_blockNumber; fails with the node's log if it exits or is too slow. */
    static Web3j awaitRpc(int port, Process p, Path log, Duration timeout) throws Exception {
        Web3j web3 = Web3j.build(new HttpService("http://127.0.0.1:" + port));
        long deadline = System.nanoTime() + timeout.toNanos();
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

    /** Walks blocks 1..head over RPC and checks each names the previous one's hash as its parent. */
    static void assertParentLinks(Web3j web3) throws IOException {
        long head = web3.ethBlockNumber().send().getBlockNumber().longValue();
        String parent = null;
        for (long n = 1; n <= head; n++) {
            var b = web3.ethGetBlockByNumber(org.web3j.protocol.core.DefaultBlockParameter.valueOf(java.math.BigInteger.valueOf(n)), false)
                    .send().getBlock();
            if (parent != null) {
                org.junit.jupiter.api.Assertions.assertEquals(parent, b.getParentHash(), "parent link at " + n);
            }
            parent = b.getHash();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
