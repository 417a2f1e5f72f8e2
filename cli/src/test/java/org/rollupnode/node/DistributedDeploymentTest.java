package org.rollupnode.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rollupnode.kafka.BrokerMain;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

/**
 * Issue #8's distributed deployment: a Kafka broker in its own JVM and every service as its own
 * `rollup-node <service>` process on loopback. Under steady load each service is killed with
 * SIGKILL and restarted in turn, then the broker itself is restarted; `rollup-node check` then
 * proves nothing accepted was lost or duplicated, heights are contiguous, and the gateway matches
 * the topics.
 */
class DistributedDeploymentTest {
    static final List<Credentials> SENDERS = List.of(
            Credentials.create("0xdbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97"),
            Credentials.create("0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6"));

    @TempDir
    Path tmp;

    private final Map<String, Process> procs = new LinkedHashMap<>();
    private String bootstrap;
    private int seenLogLength;
    private int rpcPort;

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private Process spawn(String name, List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx512m", "-XX:-ReduceBulkZeroing", "-cp", System.getProperty("java.class.path")));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(tmp.resolve(name + ".log").toFile())).start();
        procs.put(name, p);
        return p;
    }

    private void startBroker() throws Exception {
        Process b = spawn("broker", List.of(BrokerMain.class.getName(), tmp.resolve("kafka").toString()));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            String log = Files.readString(tmp.resolve("broker.log"));
            int i = log.lastIndexOf("BROKER_READY ");
            if (i >= seenLogLength && log.indexOf('\n', i) > 0) {
                bootstrap = log.substring(i + "BROKER_READY ".length(), log.indexOf('\n', i)).strip();
                seenLogLength = log.length();
                return;
            }
            assertTrue(b.isAlive(), log);
            Thread.sleep(100);
        }
        throw new AssertionError("broker did not start");
    }

    private void startService(String name) throws IOException {
        List<String> common = List.of("--kafka.bootstrap-servers", bootstrap, "--chain", "dev", "--datadir", tmp.resolve(name).toString());
        List<String> args = new ArrayList<>(List.of(Main.class.getName()));
        switch (name) {
            case "sequencer" -> {
                args.add("sequencer");
                args.addAll(common);
                args.addAll(List.of("--sequencer.enabled", "--sequencer.auto-start", "--sequencer.block-time", "500",
                        "--sequencer.payload-building-duration", "300"));
            }
            case "signer" -> {
                args.add("signer");
                args.addAll(common);
                args.add("--test");
            }
            case "rpc-gateway" -> {
                args.add("rpc-gateway");
                args.addAll(common);
                args.addAll(List.of("--http.port", Integer.toString(rpcPort), "--consensus.authorized-signer",
                        "0x5dacf18b826a8697f4a7ecb7bcb5effd3e0cbf3c"));
            }
            case "l1-watcher" -> {
                args.add("l1-watcher");
                args.addAll(common);
            }
            default -> throw new IllegalArgumentException(name);
        }
        spawn(name, args);
    }

    private void kill(String name) throws InterruptedException {
        Process p = procs.remove(name);
        p.destroyForcibly().waitFor();
    }

    private Web3j awaitGateway() throws Exception {
        Web3j web3 = Web3j.build(new HttpService("http://127.0.0.1:" + rpcPort));
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                web3.ethBlockNumber().send().getBlockNumber();
                return web3;
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        throw new AssertionError("gateway did not come up:\n" + Files.readString(tmp.resolve("rpc-gateway.log")));
    }

    @Test
    void servicesAsSeparateProcessesSurviveKillsAndABrokerRestartWithoutLosingAnything() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            rpcPort = s.getLocalPort();
        }
        try {
            startBroker();
            for (String svc : List.of("sequencer", "signer", "l1-watcher", "rpc-gateway")) {
                startService(svc);
            }
            Web3j web3 = awaitGateway();
            List<String> accepted = Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean load = new AtomicBoolean(true);
            long[] nonces = new long[SENDERS.size()];
            Thread loader = new Thread(() -> {
                while (load.get()) {
                    for (int i = 0; i < SENDERS.size(); i++) {
                        String raw = DevSequencerEndToEndTest.signedTransfer(SENDERS.get(i), nonces[i], "0x" + "dd".repeat(20), BigInteger.ONE);
                        try {
                            var r = Web3j.build(new HttpService("http://127.0.0.1:" + rpcPort)).ethSendRawTransaction(raw).send();
                            if (r.getError() == null) {
                                accepted.add(r.getTransactionHash());
                                nonces[i]++;
                            } else if (r.getError().getMessage().contains("nonce too low") || r.getError().getMessage().contains("already known")) {
                                nonces[i]++; // accepted by a previous attempt whose answer was lost with the gateway
                            }
                        } catch (IOException gatewayDown) {
                            // not acknowledged: not counted
                        }
                    }
                    try {
                        Thread.sleep(150);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            loader.start();
            Thread.sleep(5_000);
            for (String svc : List.of("sequencer", "signer", "rpc-gateway", "l1-watcher")) {
                kill(svc);
                Thread.sleep(2_000);
                startService(svc);
                if (svc.equals("rpc-gateway")) {
                    awaitGateway();
                }
                Thread.sleep(6_000);
            }
            // The broker itself goes away and comes back on the same data and ports.
            procs.remove("broker").destroy();
            Thread.sleep(3_000);
            startBroker();
            Thread.sleep(15_000);
            load.set(false);
            loader.join();

            Path hashes = tmp.resolve("acknowledged.txt");
            StringWriter out = new StringWriter();
            int code = 1;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                Files.write(hashes, new ArrayList<>(accepted));
                out = new StringWriter();
                code = Main.run(new PrintWriter(out, true), new PrintWriter(out, true), "check", "--kafka.bootstrap-servers",
                        bootstrap, "--chain", "dev", "--hashes", hashes.toString(), "--consensus.authorized-signer",
                        "0x5dacf18b826a8697f4a7ecb7bcb5effd3e0cbf3c", "--gateway", "http://127.0.0.1:" + rpcPort);
                if (code == 0) {
                    break;
                }
                Thread.sleep(2_000); // the last blocks may still be on their way through the signer and gateway
            }
            assertEquals(0, code, out + "\n--- sequencer log tail:\n" + tail("sequencer") + "\n--- signer log tail:\n" + tail("signer")
                    + "\n--- gateway log:\n" + grepLog("rpc-gateway", "rollup_node::"));
            assertTrue(accepted.size() > 60, "steady load across the faults: " + accepted.size());
            web3.shutdown();
        } finally {
            for (Process p : procs.values()) {
                p.destroyForcibly();
            }
        }
    }

    private String grepLog(String name, String needle) throws IOException {
        StringBuilder b = new StringBuilder();
        for (String line : Files.readAllLines(tmp.resolve(name + ".log"))) {
            if (line.contains(needle) || line.contains("Exception") || line.contains("ERROR")) {
                b.append(line, 0, Math.min(line.length(), 300)).append('\n');
            }
        }
        return b.length() > 6000 ? b.substring(b.length() - 6000) : b.toString();
    }

    private String tail(String name) throws IOException {
        String log = Files.readString(tmp.resolve(name + ".log"));
        return log.substring(Math.max(0, log.length() - 3000));
    }
}
