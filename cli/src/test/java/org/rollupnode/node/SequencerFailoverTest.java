package org.rollupnode.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rollupnode.execution.crypto.Keccak;
import org.rollupnode.execution.types.Hex;
import org.rollupnode.kafka.KafkaSettings;
import org.rollupnode.kafka.TestKafka;
import org.rollupnode.schemas.BlockPayload;
import org.rollupnode.schemas.EventCodec;
import org.rollupnode.schemas.SequencerStreamEvent;
import org.rollupnode.schemas.Topics;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

/**
 * Two sequencer processes against one broker; the leader is killed with SIGKILL under steady load.
 * Afterwards the committed stream has contiguous heights, one payload per height, every accepted
 * transaction is included exactly once, and the chain keeps going under the other instance.
 */
class SequencerFailoverTest {
    static final List<Credentials> SENDERS = List.of(
            Credentials.create("0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6"),
            Credentials.create("0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a"),
            Credentials.create("0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba"));

    @TempDir
    Path tmp;

    private Process sequencer(String bootstrap, String name) throws IOException {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-XX:-ReduceBulkZeroing",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "sequencer",
                "--kafka.bootstrap-servers", bootstrap, "--chain", "dev", "--datadir", tmp.resolve(name).toString(),
                "--sequencer.enabled", "--sequencer.auto-start", "--sequencer.block-time", "500",
                "--sequencer.payload-building-duration", "300");
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve(name + ".log").toFile()).start();
    }

    private String log(String name) throws IOException {
        Path p = tmp.resolve(name + ".log");
        return Files.exists(p) ? Files.readString(p) : "";
    }

    @Test
    void killingTheLeaderUnderLoadLosesNothingAndNeverForks() throws Exception {
        try (TestKafka kafka = TestKafka.start()) {
            String bs = kafka.bootstrapServers();
            Process a = sequencer(bs, "seq-a");
            Thread.sleep(3_000); // let a take the lock first, so we know whom to kill
            Process b = sequencer(bs, "seq-b");
            try (RunningNode rest = Main.startService("signer", "--kafka.bootstrap-servers", bs, "--chain", "dev", "--test",
                         "--datadir", tmp.resolve("signer").toString());
                 RunningNode gw = Main.startService("rpc-gateway", "--kafka.bootstrap-servers", bs, "--chain", "dev",
                         "--datadir", tmp.resolve("gw").toString(), "--http.port", "0",
                         "--consensus.authorized-signer", "0x5dacf18b826a8697f4a7ecb7bcb5effd3e0cbf3c")) {
                Web3j web3 = Web3j.build(new HttpService("http://127.0.0.1:" + gw.httpPort()));
                List<String> accepted = java.util.Collections.synchronizedList(new ArrayList<>());
                AtomicBoolean load = new AtomicBoolean(true);
                Thread loader = new Thread(() -> {
                    long[] nonces = new long[SENDERS.size()];
                    while (load.get()) {
                        for (int i = 0; i < SENDERS.size(); i++) {
                            String raw = DevSequencerEndToEndTest.signedTransfer(SENDERS.get(i), nonces[i], "0x" + "cc".repeat(20), BigInteger.ONE);
                            try {
                                var r = web3.ethSendRawTransaction(raw).send();
                                if (r.getError() == null) {
                                    accepted.add(r.getTransactionHash());
                                    nonces[i]++;
                                }
                            } catch (IOException ignored) {
                                // count only acknowledged hashes
                            }
                        }
                        try {
                            Thread.sleep(100);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });
                loader.start();
                // Whichever instance got the lock first is the leader we kill (start-up order is not a
                // promise on a loaded machine).
                long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                while (!log("seq-a").contains("is now the leader") && !log("seq-b").contains("is now the leader") && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
                boolean aLeads = log("seq-a").contains("is now the leader");
                assertTrue(aLeads || log("seq-b").contains("is now the leader"), "no leader:\n" + log("seq-a") + "\n" + log("seq-b"));
                Process leader = aLeads ? a : b;
                String standby = aLeads ? "seq-b" : "seq-a";
                Thread.sleep(4_000);
                leader.destroyForcibly().waitFor(); // SIGKILL the leader mid-stream
                long takeover = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (!log(standby).contains("is now the leader") && System.nanoTime() < takeover) {
                    Thread.sleep(200);
                }
                Thread.sleep(8_000);
                load.set(false);
                loader.join();
                assertTrue(log(standby).contains("is now the leader"), "the standby took over:\n" + log(standby));

                // Every accepted transaction ends up in exactly one committed payload.
                Map<String, Integer> inclusions = new HashMap<>();
                List<BlockPayload> stream = List.of();
                long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (System.nanoTime() < until) {
                    stream = readStream(kafka.settings());
                    inclusions.clear();
                    for (BlockPayload p : stream) {
                        for (String raw : p.transactions()) {
                            inclusions.merge(Hex.encode(Keccak.hash256(Hex.decode(raw))), 1, Integer::sum);
                        }
                    }
                    if (inclusions.keySet().containsAll(accepted)) {
                        break;
                    }
                    Thread.sleep(500);
                }
                assertTrue(accepted.size() > 50, "steady load: " + accepted.size());
                for (String h : accepted) {
                    assertEquals(1, inclusions.getOrDefault(h, 0), "inclusions of accepted " + h);
                }
                Set<Long> heights = new HashSet<>();
                String parent = null;
                for (int i = 0; i < stream.size(); i++) {
                    BlockPayload p = stream.get(i);
                    assertEquals(i + 1, p.number(), "contiguous heights");
                    assertTrue(heights.add(p.number()), "one committed payload per height");
                    if (parent != null) {
                        assertEquals(parent, p.parentHash(), "parent link at " + p.number());
                    }
                    parent = p.hash();
                }
                // The invariant checker over the whole cluster agrees, and catches a hash that was never accepted.
                Path hashes = tmp.resolve("acknowledged.txt");
                Files.write(hashes, accepted);
                java.io.StringWriter out = new java.io.StringWriter();
                int code = Main.run(new java.io.PrintWriter(out, true), new java.io.PrintWriter(new java.io.StringWriter(), true), "check",
                        "--kafka.bootstrap-servers", bs, "--chain", "dev", "--hashes", hashes.toString(),
                        "--consensus.authorized-signer", "0x5dacf18b826a8697f4a7ecb7bcb5effd3e0cbf3c",
                        "--gateway", "http://127.0.0.1:" + gw.httpPort());
                assertEquals(0, code, out.toString());
                assertTrue(out.toString().contains("all invariants hold"), out.toString());
                List<String> withLost = new ArrayList<>(accepted);
                withLost.add("0x" + "ee".repeat(32));
                Files.write(hashes, withLost);
                java.io.StringWriter out2 = new java.io.StringWriter();
                int code2 = Main.run(new java.io.PrintWriter(out2, true), new java.io.PrintWriter(new java.io.StringWriter(), true), "check",
                        "--kafka.bootstrap-servers", bs, "--chain", "dev", "--hashes", hashes.toString());
                assertEquals(1, code2, out2.toString());
                assertTrue(out2.toString().contains("VIOLATION nothing-lost: 0x" + "ee".repeat(32)), out2.toString());

                Set<String> producers = new HashSet<>();
                stream.forEach(p -> producers.add(p.sequencerId()));
                assertEquals(2, producers.size(), "blocks from both instances: " + producers);
                web3.shutdown();
            } finally {
                a.destroyForcibly();
                b.destroyForcibly();
                b.waitFor();
            }
        }
    }

    static List<BlockPayload> readStream(KafkaSettings s) {
        TopicPartition tp = new TopicPartition(Topics.SEQUENCER_STREAM.name(), 0);
        List<BlockPayload> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(s.readerConfig("failover-check"))) {
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long end = c.endOffsets(List.of(tp)).get(tp);
            while (c.position(tp) < end) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    SequencerStreamEvent ev = EventCodec.SEQUENCER_STREAM.decode(r.value());
                    if (ev instanceof BlockPayload p) {
                        out.add(p);
                    }
                }
            }
        }
        return out;
    }
}
