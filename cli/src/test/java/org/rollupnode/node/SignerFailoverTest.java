package org.rollupnode.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rollupnode.chain.BlockSignatures;
import org.rollupnode.chain.ChainFolder;
import org.rollupnode.chain.Payloads;
import org.rollupnode.execution.builder.BaseFee;
import org.rollupnode.execution.builder.BlockBuilder;
import org.rollupnode.execution.builder.BlockEnv;
import org.rollupnode.execution.builder.BuiltBlock;
import org.rollupnode.execution.chain.ChainSpec;
import org.rollupnode.execution.chain.ChainSpecs;
import org.rollupnode.execution.tx.Transaction;
import org.rollupnode.execution.types.Address;
import org.rollupnode.execution.types.Hex;
import org.rollupnode.kafka.KafkaSettings;
import org.rollupnode.kafka.TestKafka;
import org.rollupnode.kafka.TopicAdmin;
import org.rollupnode.schemas.BlockPayload;
import org.rollupnode.schemas.EventCodec;
import org.rollupnode.schemas.SignedBlock;
import org.rollupnode.schemas.Topics;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;

/**
 * Signer processes ({@code rollup-node signer} in child JVMs) against one broker while the stream
 * is fed: the newest one is repeatedly SIGKILLed at random moments, and older ones are SIGSTOPped
 * and later resumed as zombies (fenced, possibly mid-transaction, holding a signature). The stream
 * also carries rogue payloads (a second, different block at some heights, after the honest one),
 * so a signer that resumed from a stale position would sign a different block. signed-blocks must
 * end with exactly one record per height, linked by parent hash, each signature recovering to the
 * key (checked with web3j's own recovery).
 */
class SignerFailoverTest {
    static final ChainSpec DEV = ChainSpecs.byName("dev");
    static final BigInteger KEY = new BigInteger("1234567890abcdef1234567890abcdef1234567890abcdef1234567890abcdef", 16);
    static final String SIGNER = "0x" + Keys.getAddress(ECKeyPair.create(KEY));
    static final int MAX_BLOCKS = 1_500; // enough for the rounds even on a loaded 2-core machine

    @TempDir
    Path tmp;

    private final Map<String, Process> live = new LinkedHashMap<>();
    private int started;

    /** Honest chain of {@code n} blocks; with {@code variant} > 0 a different chain (other transfer values). */
    static List<BlockPayload> chain(int n, int variant) throws Exception {
        ChainFolder folder = new ChainFolder(DEV);
        List<BlockPayload> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            var parent = folder.head();
            BlockBuilder b = new BlockBuilder(DEV, parent, folder.headState(), new BlockEnv(parent.number() + 1, parent.timestamp() + 1,
                    ChainSpecs.FEE_VAULT, 20_000_000, BaseFee.next(parent, DEV.baseFeeOverhead())));
            b.add(Transaction.eip1559(1337).nonce(i).maxPriorityFeePerGas(BigInteger.ONE).maxFeePerGas(BigInteger.valueOf(1_000_000_000))
                    .gasLimit(21_000).to(Address.fromHex("0x" + "42".repeat(20))).value(BigInteger.valueOf(1 + variant)).data(new byte[0])
                    .sign(ChainSpecs.devPrivateKeys().get(0)));
            BuiltBlock built = b.seal(new byte[0]);
            folder.advance(built);
            out.add(Payloads.toPayload(built, 0, 0, "test", 0, 0));
        }
        return out;
    }

    private Process startSigner(String bootstrap, Path keyFile) throws IOException {
        String name = "signer-" + (++started);
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-XX:-ReduceBulkZeroing",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "signer",
                "--kafka.bootstrap-servers", bootstrap, "--chain", "dev", "--datadir", tmp.resolve(name).toString(),
                "--signer.key-file", keyFile.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve(name + ".log").toFile()).start();
        live.put(name, p);
        return p;
    }

    private String log(String name) throws IOException {
        Path p = tmp.resolve(name + ".log");
        return Files.exists(p) ? Files.readString(p) : "";
    }

    /** Waits until the newest signer has fenced its predecessors and read its high-water mark. */
    private void awaitReady(String name) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (log(name).contains("Signer high-water mark")) {
                return;
            }
            if (!live.get(name).isAlive()) {
                throw new AssertionError(name + " exited early:\n" + log(name));
            }
            Thread.sleep(100);
        }
        throw new AssertionError(name + " did not become ready:\n" + log(name));
    }

    private static void signal(Process p, String sig) throws Exception {
        new ProcessBuilder("kill", "-" + sig, Long.toString(p.pid())).inheritIO().start().waitFor();
    }

    private String newest() {
        String last = null;
        for (String n : live.keySet()) {
            last = n;
        }
        return last;
    }

    static List<ConsumerRecord<String, byte[]>> readAll(KafkaSettings s, String isolation, int atLeast, Duration timeout) {
        TopicPartition tp = new TopicPartition(Topics.SIGNED_BLOCKS.name(), 0);
        Map<String, Object> cfg = s.readerConfig("failover-check-" + isolation);
        cfg.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(cfg)) {
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            while (System.nanoTime() < deadline && out.size() < atLeast) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            long end = c.endOffsets(List.of(tp)).get(tp);
            while (c.position(tp) < end && System.nanoTime() < deadline + Duration.ofSeconds(10).toNanos()) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    @Test
    void oneSignaturePerHeightUnderSigkillAndZombies() throws Exception {
        long seed = System.nanoTime();
        Random rnd = new Random(seed);
        System.out.println("SignerFailoverTest seed " + seed);
        List<BlockPayload> honest = chain(MAX_BLOCKS, 0);
        List<BlockPayload> rogue = chain(MAX_BLOCKS, 1);
        Path keyFile = tmp.resolve("signer.key");
        Files.writeString(keyFile, KEY.toString(16) + "\n");
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));

        try (TestKafka kafka = TestKafka.start()) {
            KafkaSettings s = kafka.settings();
            TopicAdmin.ensureTopics(s, Topics.ALL);
            int rogueCount = 0;
            try {
                startSigner(kafka.bootstrapServers(), keyFile);
                awaitReady(newest());
                // The stream keeps moving through every kill and pause, until the rounds are over.
                AtomicBoolean feeding = new AtomicBoolean(true);
                AtomicInteger fed = new AtomicInteger();
                Thread feeder = new Thread(() -> {
                    try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(s.producerConfig("feeder"))) {
                        Random frnd = new Random(seed + 1);
                        for (int i = 0; i < MAX_BLOCKS && feeding.get(); i++) {
                            send(p, honest.get(i));
                            if (i > 0 && frnd.nextInt(4) == 0) {
                                send(p, rogue.get(i)); // a different block at an already-offered height
                            }
                            fed.incrementAndGet();
                            Thread.sleep(40 + frnd.nextInt(160));
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, "feeder");
                feeder.start();

                String paused = null;
                for (int round = 0; round < 6; round++) {
                    Thread.sleep(200 + rnd.nextInt(1200));
                    if (paused == null && (round == 1 || rnd.nextBoolean())) {
                        // Freeze the active signer (as a long GC pause would), let a newcomer take over, then let
                        // the frozen one run on as a fenced zombie.
                        paused = newest();
                        signal(live.get(paused), "STOP");
                        startSigner(kafka.bootstrapServers(), keyFile);
                        awaitReady(newest());
                        Thread.sleep(rnd.nextInt(800));
                        signal(live.get(paused), "CONT");
                    } else {
                        String victim = newest();
                        live.remove(victim).destroyForcibly().waitFor(); // SIGKILL, at whatever point it is
                        if (paused != null && rnd.nextBoolean()) {
                            live.remove(paused).destroyForcibly().waitFor();
                            paused = null;
                        }
                        startSigner(kafka.bootstrapServers(), keyFile);
                        awaitReady(newest());
                    }
                }
                feeding.set(false);
                feeder.join();
                List<BlockPayload> expected = honest.subList(0, fed.get());
                assertTrue(fed.get() < MAX_BLOCKS, "the stream was still moving when the last signer took over");

                List<ConsumerRecord<String, byte[]>> committed = readAll(s, "read_committed", expected.size(), Duration.ofSeconds(90));
                List<ConsumerRecord<String, byte[]>> all = readAll(s, "read_uncommitted", committed.size(), Duration.ofSeconds(30));
                System.out.println("SignerFailoverTest: " + started + " signer processes, " + committed.size() + " committed records, "
                        + (all.size() - committed.size()) + " uncommitted or aborted records on signed-blocks, "
                        + expected.size() + " blocks fed");

                List<SignedBlock> signed = committed.stream().map(r -> EventCodec.SIGNED_BLOCK.decode(r.value())).toList();
                StringBuilder diag = new StringBuilder();
                for (String n : live.keySet()) {
                    diag.append("\n--- ").append(n).append(" ---\n").append(tail(log(n)));
                }
                assertEquals(expected.stream().map(BlockPayload::number).toList(), signed.stream().map(b -> b.payload().number()).toList(),
                        "exactly one committed signature per height (seed " + seed + ")" + diag);
                String parent = null;
                for (int i = 0; i < signed.size(); i++) {
                    SignedBlock b = signed.get(i);
                    assertEquals(honest.get(i).hash(), b.payload().hash(), "the honest block at " + b.payload().number() + ", never the rogue one");
                    var header = Payloads.header(b.payload());
                    if (parent != null) {
                        assertEquals(parent, header.parentHash().toHex(), "parent link at " + b.payload().number());
                    }
                    parent = header.hash().toHex();
                    byte[] sig = Hex.decode(b.signature());
                    assertTrue(sig[64] == 0 || sig[64] == 1, "v is the y-parity on the wire");
                    Sign.SignatureData data = new Sign.SignatureData((byte) (27 + sig[64]), Arrays.copyOfRange(sig, 0, 32),
                            Arrays.copyOfRange(sig, 32, 64));
                    assertEquals(SIGNER, "0x" + Keys.getAddress(Sign.signedMessageHashToKey(header.sealHash().toArray(), data)));
                    assertEquals(SIGNER, BlockSignatures.recover(header.sealHash(), sig).toHex());
                    assertEquals(SIGNER, b.signer());
                }
                for (String n : List.copyOf(live.keySet())) {
                    assertTrue(!log(n).contains(KEY.toString(16)), "the key never appears in " + n + "'s log");
                }
            } finally {
                for (Process p : live.values()) {
                    p.destroyForcibly().waitFor();
                }
            }
        }
    }

    private static int run(java.io.StringWriter err, String... args) {
        return Main.run(new java.io.PrintWriter(new java.io.StringWriter(), true), new java.io.PrintWriter(err, true), args);
    }

    /** The KMS flags reach KmsSigner (its first call names the endpoint) and bad combinations stop before anything starts. */
    @Test
    void kmsFlagsAreWiredAndValidated() throws Exception {
        int deadPort;
        try (java.net.ServerSocket ss = new java.net.ServerSocket(0)) {
            deadPort = ss.getLocalPort();
        }
        String endpoint = "http://127.0.0.1:" + deadPort;
        System.setProperty("aws.accessKeyId", "AKIDEXAMPLE");
        System.setProperty("aws.secretAccessKey", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
        try {
            java.io.StringWriter err = new java.io.StringWriter();
            int code = run(err, "signer", "--kafka.bootstrap-servers", "127.0.0.1:1", "--chain", "dev", "--datadir", tmp.resolve("kms").toString(),
                    "--signer.aws-kms-key-id", "alias/sequencer", "--signer.aws-kms-endpoint", endpoint, "--signer.aws-region", "us-east-1");
            assertEquals(1, code, err.toString());
            assertTrue(err.toString().startsWith("error: Failed to initialize AWS KMS signer: GetPublicKey: cannot reach " + endpoint), err.toString());
        } finally {
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
        }
        String[][] refused = {
                {"--signer.aws-kms-endpoint", endpoint, "--signer.key-file", tmp.resolve("none").toString()},
                {"--signer.aws-kms-key-id", "alias/sequencer", "--signer.aws-kms-endpoint", "ftp://127.0.0.1/"},
                {"--signer.aws-kms-key-id", "alias/sequencer", "--signer.aws-region", "Mars 1"},
                {"--signer.aws-kms-key-id", " "},
                {"--signer.aws-kms-key-id", "alias/sequencer", "--signer.key-file", tmp.resolve("none").toString()},
        };
        String[] messages = {
                "error: --signer.aws-kms-endpoint and --signer.aws-region need --signer.aws-kms-key-id",
                "error: invalid --signer.aws-kms-endpoint 'ftp://127.0.0.1/': expected an http:// or https:// URL",
                "error: invalid --signer.aws-region 'Mars 1': expected a region name such as us-east-1",
                "error: --signer.aws-kms-key-id must not be empty",
                "error: Cannot specify more than one signer key source",
        };
        for (int i = 0; i < refused.length; i++) {
            List<String> args = new ArrayList<>(List.of("signer", "--kafka.bootstrap-servers", "127.0.0.1:1", "--chain", "dev",
                    "--datadir", tmp.resolve("refused-" + i).toString()));
            args.addAll(List.of(refused[i]));
            java.io.StringWriter err = new java.io.StringWriter();
            assertEquals(2, run(err, args.toArray(String[]::new)), err.toString());
            assertTrue(err.toString().startsWith(messages[i]), err.toString());
        }
        java.io.StringWriter err = new java.io.StringWriter();
        assertEquals(2, run(err, "signer", "--kafka.bootstrap-servers", "127.0.0.1:1", "--chain", "scroll-mainnet", "--test"));
        assertTrue(err.toString().startsWith("error: --test is not allowed with --chain scroll-mainnet"), err.toString());
    }

    private static void send(KafkaProducer<String, byte[]> p, BlockPayload b) throws Exception {
        p.send(new ProducerRecord<>(Topics.SEQUENCER_STREAM.name(), 0, Long.toString(b.number()), EventCodec.SEQUENCER_STREAM.encode(b))).get();
    }

    private static String tail(String log) {
        return log.length() > 4000 ? log.substring(log.length() - 4000) : log;
    }
}
