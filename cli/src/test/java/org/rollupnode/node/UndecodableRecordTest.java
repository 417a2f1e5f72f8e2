package org.rollupnode.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rollupnode.kafka.KafkaSettings;
import org.rollupnode.kafka.UndecodableRecords;
import org.rollupnode.schemas.Topics;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

/**
 * Issue 10: a topic record that does not decode. By default the reader stops at it (loud error
 * naming topic/partition/offset, nothing after it applied, RPC still served, not ready); with
 * {@code --kafka.on-undecodable dead-letter} a pending-transactions record is copied to
 * {@code dead-letters} and the readers go on; a chain record (signed-blocks) always stops.
 */
class UndecodableRecordTest {
    static final Credentials DEV2 = TxpoolAndControlTest.DEV2;
    /** Dev accounts 3-5 of the `test ... junk` mnemonic: one of them hashes to another pending-transactions partition. */
    static final List<Credentials> OTHERS = List.of(
            Credentials.create("0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6"),
            Credentials.create("0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a"),
            Credentials.create("0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba"));
    static final byte[] GARBAGE = "{\"this is\": not a pending transaction".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path tmp;
    private final ByteArrayOutputStream logs = new ByteArrayOutputStream();
    private PrintStream originalErr;

    @BeforeEach
    void captureLogs() {
        originalErr = System.err;
        System.setErr(new PrintStream(new DevSequencerEndToEndTest.Tee(originalErr, logs), true));
    }

    @AfterEach
    void restoreLogs() {
        System.setErr(originalErr);
    }

    /** Kafka's own default partitioner for a keyed record (murmur2), as the gateway's producer uses it. */
    static int partitionOf(String key) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % Topics.PENDING_TRANSACTIONS.partitions();
    }

    static String send(Web3j web3, Credentials from, long nonce) throws Exception {
        var r = web3.ethSendRawTransaction(DevSequencerEndToEndTest.signedTransfer(from, nonce, "0x" + "cd".repeat(20), BigInteger.ONE)).send();
        assertFalse(r.hasError(), () -> r.getError().getMessage());
        return r.getTransactionHash();
    }

    static RecordMetadata produce(String bootstrap, String topic, String key) throws Exception {
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(KafkaSettings.of(bootstrap).producerConfig("garbage-writer"))) {
            return p.send(new ProducerRecord<>(topic, key, GARBAGE)).get();
        }
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    @Test
    void aGarbagePendingRecordStopsTheSequencerAtItAndDeadLetterMovesItAside() throws Exception {
        Path datadir = tmp.resolve("n");
        String dev2Key = DEV2.getAddress().toLowerCase();
        int dev2Partition = partitionOf(dev2Key);
        Credentials other = OTHERS.stream().filter(c -> partitionOf(c.getAddress().toLowerCase()) != dev2Partition).findFirst().orElseThrow();
        RecordMetadata bad;
        String behind;
        try (RunningNode node = Main.startNode(DevSequencerEndToEndTest.devArgs(datadir))) {
            Web3j web3 = Web3j.build(new HttpService("http://127.0.0.1:" + node.httpPort()));
            DevSequencerEndToEndTest.awaitReceipt(web3, send(web3, DEV2, 0), Duration.ofSeconds(30));

            bad = produce(node.bootstrapServers(), Topics.PENDING_TRANSACTIONS.name(), dev2Key);
            assertEquals(dev2Partition, bad.partition(), "the garbage shares DEV2's partition");
            behind = send(web3, DEV2, 1); // acknowledged by Kafka, behind the garbage in its partition
            String where = Topics.PENDING_TRANSACTIONS.name() + "-" + bad.partition() + "@" + bad.offset();

            await("the sequencer to stop at " + where, () -> !node.sequencer().undecodableHalts().isEmpty());
            UndecodableRecords.Halt h = node.sequencer().undecodableHalts().get(0);
            assertEquals(List.of(Topics.PENDING_TRANSACTIONS.name(), bad.partition(), bad.offset()), List.of(h.topic(), h.partition(), h.offset()));
            assertFalse(node.readiness().get("sequencer"), "a sequencer stopped at a record is not ready");

            // Other partitions go on: a later transaction from a sender on another partition is included...
            DevSequencerEndToEndTest.awaitReceipt(web3, send(web3, other, 0), Duration.ofSeconds(30));
            // ...while the one behind the garbage, accepted before it, is not: nothing was read past the record.
            assertTrue(web3.ethGetTransactionReceipt(behind).send().getTransactionReceipt().isEmpty(), "read past an undecodable record");

            String log = logs.toString(StandardCharsets.UTF_8);
            assertTrue(log.contains("stopped at undecodable record " + where), log);
            assertEquals(1, count(log, h.reader() + " stopped at undecodable record " + where),
                    "logged once, not in a retry loop");
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> reported = (List<Map<String, Object>>) TxpoolAndControlTest.call(
                    new HttpService("http://127.0.0.1:" + node.httpPort()), "rollupNode_status").get("undecodableRecords");
            assertNotNull(reported, "rollupNode_status names the stop (the gateway's pool view stopped at the same record)");
            assertEquals(Topics.PENDING_TRANSACTIONS.name(), reported.get(0).get("topic"));
            assertEquals(bad.offset(), ((Number) reported.get(0).get("offset")).longValue());
            assertTrue(web3.ethBlockNumber().send().getBlockNumber().signum() > 0, "RPC still serves");
            web3.shutdown();
        }

        List<String> args = new ArrayList<>(Arrays.asList(DevSequencerEndToEndTest.devArgs(datadir)));
        args.addAll(List.of("--kafka.on-undecodable", "dead-letter"));
        try (RunningNode node = Main.startNode(args.toArray(new String[0]))) {
            Web3j web3 = Web3j.build(new HttpService("http://127.0.0.1:" + node.httpPort()));
            DevSequencerEndToEndTest.awaitReceipt(web3, behind, Duration.ofSeconds(30));
            assertEquals(List.of(), node.sequencer().undecodableHalts());
            await("every service ready", () -> node.readiness().values().stream().allMatch(Boolean::booleanValue));

            List<ConsumerRecord<String, byte[]>> letters = readAll(node.bootstrapServers(), Topics.DEAD_LETTERS.name());
            assertFalse(letters.isEmpty(), "the garbage was copied to " + Topics.DEAD_LETTERS.name());
            for (ConsumerRecord<String, byte[]> d : letters) {
                assertEquals(Topics.PENDING_TRANSACTIONS.name() + "-" + bad.partition() + "@" + bad.offset(), d.key());
                assertTrue(Arrays.equals(GARBAGE, d.value()), "the raw record is kept byte for byte");
                assertEquals(Topics.PENDING_TRANSACTIONS.name(), header(d, UndecodableRecords.HEADER_TOPIC));
                assertEquals(Integer.toString(bad.partition()), header(d, UndecodableRecords.HEADER_PARTITION));
                assertEquals(Long.toString(bad.offset()), header(d, UndecodableRecords.HEADER_OFFSET));
                assertTrue(header(d, UndecodableRecords.HEADER_ERROR).contains("does not decode"), header(d, UndecodableRecords.HEADER_ERROR));
            }
            assertTrue(letters.stream().anyMatch(d -> header(d, UndecodableRecords.HEADER_READER).startsWith("sequencer ")),
                    "the sequencer, which went past it, left its copy");
            web3.shutdown();
        }
    }

    @Test
    void aGarbageSignedBlockStopsTheGatewayEvenWithDeadLetter() throws Exception {
        List<String> args = new ArrayList<>(Arrays.asList(DevSequencerEndToEndTest.devArgs(tmp.resolve("n"))));
        args.addAll(List.of("--kafka.on-undecodable", "dead-letter"));
        try (RunningNode node = Main.startNode(args.toArray(new String[0]))) {
            HttpService http = new HttpService("http://127.0.0.1:" + node.httpPort());
            Web3j web3 = Web3j.build(http);
            long served = DevSequencerEndToEndTest.awaitReceipt(web3, send(web3, DEV2, 0), Duration.ofSeconds(30)).getBlockNumber().longValue();

            RecordMetadata bad = produce(node.bootstrapServers(), Topics.SIGNED_BLOCKS.name(), "garbage");
            String where = Topics.SIGNED_BLOCKS.name() + "-0@" + bad.offset();
            await("the gateway to stop at " + where, () -> !node.gateway().undecodableHalts().isEmpty());
            // The sequencer follows signed-blocks to gate building: it stops at the same record rather
            // than build past a signed head it cannot read, so the chain holds at the record.
            await("the sequencer to stop at " + where, () -> node.sequencer().undecodableHalts().stream()
                    .anyMatch(h -> h.topic().equals(Topics.SIGNED_BLOCKS.name()) && h.offset() == bad.offset()));
            String behind = send(web3, DEV2, 1);
            Thread.sleep(2_000); // four block times: nothing may be built or signed past the record
            assertFalse(signedAfter(node.bootstrapServers(), bad.offset()), "nothing signed after the bad record");

            assertEquals(served, web3.ethBlockNumber().send().getBlockNumber().longValue(), "the gateway read past a signed-blocks record");
            assertTrue(web3.ethGetTransactionReceipt(behind).send().getTransactionReceipt().isEmpty());
            assertFalse(node.readiness().get("rpc-gateway"));
            assertTrue(readAll(node.bootstrapServers(), Topics.DEAD_LETTERS.name()).isEmpty(), "signed-blocks is never moved aside");
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> reported = (List<Map<String, Object>>) TxpoolAndControlTest.call(http, "rollupNode_status")
                    .get("undecodableRecords");
            assertEquals(Topics.SIGNED_BLOCKS.name(), reported.get(0).get("topic"));
            assertEquals(bad.offset(), ((Number) reported.get(0).get("offset")).longValue());
            String log = logs.toString(StandardCharsets.UTF_8);
            assertTrue(log.contains("rpc-gateway chain view stopped at undecodable record " + where), log);
            assertEquals(1, count(log, "rpc-gateway chain view stopped at undecodable record " + where), "logged once, not in a retry loop");
            assertTrue(log.matches("(?s).*sequencer sequencer-\\S+ stopped at undecodable record " + java.util.regex.Pattern.quote(where) + ".*"),
                    "the sequencer names it too");
            web3.shutdown();
        }
    }

    private static boolean signedAfter(String bootstrap, long offset) {
        return readAll(bootstrap, Topics.SIGNED_BLOCKS.name()).stream().anyMatch(r -> r.offset() > offset);
    }

    private static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    private static String header(ConsumerRecord<String, byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    static List<ConsumerRecord<String, byte[]>> readAll(String bootstrap, String topic) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(KafkaSettings.of(bootstrap).readerConfig("test-reader"))) {
            List<TopicPartition> tps = c.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            c.assign(tps);
            c.seekToBeginning(tps);
            Map<TopicPartition, Long> end = c.endOffsets(tps);
            while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }
}
