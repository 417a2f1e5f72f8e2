package org.rollupnode.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rollupnode.kafka.KafkaSettings;
import org.rollupnode.kafka.TestKafka;
import org.rollupnode.kafka.TopicAdmin;
import org.rollupnode.schemas.BlockPayload;
import org.rollupnode.schemas.EventCodec;
import org.rollupnode.schemas.Topics;

/**
 * The stream holds a block in a transaction an earlier leader opened and whose commit completes
 * only later (what a broker halted between the commit and its markers leaves after a restart). A
 * new leader must not build on the head it can read meanwhile: once that block is committed there
 * would be two blocks at its height. It waits, then builds on that block. Real brokers; the chain
 * was built by a real node.
 */
class OpenStreamTransactionTest {
    @TempDir
    Path tmp;

    @Test
    void aNewLeaderWaitsForAnOpenTransactionInTheStreamAndBuildsOnTheBlockItCommits() throws Exception {
        // A real chain: a node on broker A builds at least 3 blocks.
        List<SignedBlocksGateTest.Raw> stream;
        try (TestKafka a = TestKafka.start()) {
            String bs = a.bootstrapServers();
            try (RunningNode origin = Main.startNode(args(bs, "origin", "--test"))) {
                SignedBlocksGateTest.await("3 blocks on broker A", Duration.ofSeconds(60), () -> SignedBlocksGateTest.payloads(bs).size() >= 3);
            }
            stream = SignedBlocksGateTest.readAll(bs, Topics.SEQUENCER_STREAM.name());
        }
        int last = -1;
        for (int i = 0; i < stream.size(); i++) {
            if (EventCodec.SEQUENCER_STREAM.decode(stream.get(i).value(), "s", 0, i) instanceof BlockPayload) {
                last = i;
            }
        }
        BlockPayload late = (BlockPayload) EventCodec.SEQUENCER_STREAM.decode(stream.get(last).value(), "s", 0, last);
        long k = late.number();

        // Broker B: blocks 1..k-1 committed, block k in a transaction an earlier leader left open.
        try (TestKafka b = TestKafka.start()) {
            String bs = b.bootstrapServers();
            TopicAdmin.ensureTopics(KafkaSettings.of(bs), Topics.ALL);
            SignedBlocksGateTest.write(bs, Topics.SEQUENCER_STREAM.name(), stream.subList(0, last));
            Map<String, Object> earlier = KafkaSettings.of(bs).transactionalProducerConfig("earlier", "an-earlier-leader");
            earlier.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 120_000);
            PrintStream originalErr = System.err;
            ByteArrayOutputStream logs = new ByteArrayOutputStream();
            try (KafkaProducer<String, byte[]> open = new KafkaProducer<>(earlier)) {
                open.initTransactions();
                open.beginTransaction();
                open.send(new ProducerRecord<>(Topics.SEQUENCER_STREAM.name(), 0, stream.get(last).key(), stream.get(last).value())).get();

                System.setErr(new PrintStream(logs, true));
                try (RunningNode seq = Main.startService("sequencer", args(bs, "new"))) {
                    assertEquals(k - 1, seq.sequencer().headNumber(), "the committed head");
                    Thread.sleep(3_000); // twelve 250 ms slots
                    assertEquals(k - 1, seq.sequencer().headNumber(), "nothing built while the earlier leader's transaction is open");

                    open.commitTransaction();
                    SignedBlocksGateTest.await("a block above the late one", Duration.ofSeconds(60), () -> seq.sequencer().headNumber() >= k + 1);
                } finally {
                    System.setErr(originalErr);
                }
            }
            String log = logs.toString();
            assertTrue(log.contains("has an open transaction from an earlier leader"), "the wait is logged:\n" + log);
            List<BlockPayload> payloads = SignedBlocksGateTest.payloads(bs);
            SignedBlocksGateTest.assertContiguous(payloads); // one payload per height: no second block k
            assertEquals(late.hash(), payloads.get((int) k - 1).hash(), "block " + k + " is the earlier leader's");
            assertTrue(payloads.size() > k, "and the new leader built on it");
        }
    }

    private String[] args(String bootstrap, String name, String... extra) {
        List<String> a = new ArrayList<>(List.of("--kafka.bootstrap-servers", bootstrap, "--chain", "dev", "--datadir",
                tmp.resolve(name).toString(), "--sequencer.enabled", "--sequencer.auto-start", "--sequencer.block-time", "250",
                "--sequencer.payload-building-duration", "100", "--sequencer.allow-empty-blocks"));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }
}
