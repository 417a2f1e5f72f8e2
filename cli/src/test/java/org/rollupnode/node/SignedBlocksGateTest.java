package org.rollupnode.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rollupnode.kafka.KafkaSettings;
import org.rollupnode.kafka.TestKafka;
import org.rollupnode.kafka.TopicAdmin;
import org.rollupnode.schemas.BlockPayload;
import org.rollupnode.schemas.EventCodec;
import org.rollupnode.schemas.SignedBlock;
import org.rollupnode.schemas.Topics;

/**
 * The leader reads {@code signed-blocks} to its end before building and keeps it in view: it never
 * builds on a head below a signed block, and holds building while --sequencer.max-unsigned-blocks
 * built blocks wait for a signature. Real brokers; the chain copied between them was built and
 * signed by a real node.
 */
class SignedBlocksGateTest {
    @TempDir
    Path tmp;

    /** Key and value of a committed record, so it can be written to another broker as is. */
    record Raw(String key, byte[] value) {}

    static List<Raw> readAll(String bootstrap, String topic) {
        TopicPartition tp = new TopicPartition(topic, 0);
        List<Raw> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(KafkaSettings.of(bootstrap).readerConfig("test-reader"))) {
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long end = c.endOffsets(List.of(tp)).get(tp);
            while (c.position(tp) < end) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    out.add(new Raw(r.key(), r.value()));
                }
            }
        }
        return out;
    }

    static List<BlockPayload> payloads(String bootstrap) {
        List<BlockPayload> out = new ArrayList<>();
        for (Raw r : readAll(bootstrap, Topics.SEQUENCER_STREAM.name())) {
            if (EventCodec.SEQUENCER_STREAM.decode(r.value(), Topics.SEQUENCER_STREAM.name(), 0, -1) instanceof BlockPayload p) {
                out.add(p);
            }
        }
        return out;
    }

    static void write(String bootstrap, String topic, List<Raw> records) throws Exception {
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(KafkaSettings.of(bootstrap).producerConfig("test-writer"))) {
            for (Raw r : records) {
                p.send(new ProducerRecord<>(topic, 0, r.key(), r.value())).get();
            }
        }
    }

    static void await(String what, Duration timeout, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    static void assertContiguous(List<BlockPayload> stream) {
        for (int i = 0; i < stream.size(); i++) {
            assertEquals(i + 1, stream.get(i).number(), "one payload per height, contiguous");
            if (i > 0) {
                assertEquals(stream.get(i - 1).hash(), stream.get(i).parentHash(), "parent link at " + stream.get(i).number());
            }
        }
    }

    String[] sequencerArgs(String bootstrap, String name, String... extra) {
        List<String> a = new ArrayList<>(List.of("--kafka.bootstrap-servers", bootstrap, "--chain", "dev", "--datadir",
                tmp.resolve(name).toString(), "--sequencer.enabled", "--sequencer.auto-start", "--sequencer.block-time", "250",
                "--sequencer.payload-building-duration", "100", "--sequencer.allow-empty-blocks"));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    @Test
    void aSequencerWhoseStreamIsBehindSignedBlocksBuildsNothingUntilItHasReadUpToTheSignedHead() throws Exception {
        // A real chain: a node (sequencer + signer) on broker A builds and signs at least 4 blocks.
        List<Raw> signedRecords;
        List<Raw> streamRecords;
        try (TestKafka a = TestKafka.start()) {
            String bs = a.bootstrapServers();
            List<String> nodeArgs = new ArrayList<>(List.of(sequencerArgs(bs, "origin")));
            nodeArgs.add("--test");
            try (RunningNode origin = Main.startNode(nodeArgs.toArray(String[]::new))) {
                await("4 signed blocks on broker A", Duration.ofSeconds(60), () -> readAll(bs, Topics.SIGNED_BLOCKS.name()).size() >= 4);
            }
            signedRecords = readAll(bs, Topics.SIGNED_BLOCKS.name());
            streamRecords = readAll(bs, Topics.SEQUENCER_STREAM.name());
        }
        int k = signedRecords.size();
        SignedBlock lastSigned = (SignedBlock) EventCodec.SIGNED_BLOCKS.decode(signedRecords.get(k - 1).value(), "signed-blocks", 0, k - 1);
        assertEquals(k, lastSigned.payload().number(), "signed-blocks of broker A: blocks 1.." + k);
        assertTrue(streamRecords.size() >= k);

        // Broker B: signed-blocks has all k blocks, the sequencer stream only block 1 (its other records are late).
        try (TestKafka b = TestKafka.start()) {
            String bs = b.bootstrapServers();
            TopicAdmin.ensureTopics(KafkaSettings.of(bs), Topics.ALL);
            write(bs, Topics.SEQUENCER_STREAM.name(), streamRecords.subList(0, 1));
            write(bs, Topics.SIGNED_BLOCKS.name(), signedRecords);

            PrintStream originalErr = System.err;
            ByteArrayOutputStream logs = new ByteArrayOutputStream();
            System.setErr(new PrintStream(logs, true));
            try (RunningNode seq = Main.startService("sequencer", sequencerArgs(bs, "late"))) {
                // Start-up returns once the sequencer has read both topics to their ends.
                assertEquals(k, seq.sequencer().signedHeadNumber(), "signed-blocks read to its end before the service is up");
                assertEquals(1, seq.sequencer().headNumber());
                await("the leader to hold 4 slots", Duration.ofSeconds(60), () -> seq.sequencer().slotsHeld() >= 4);
                assertEquals("STALE_HEAD", seq.sequencer().buildGateState());
                assertEquals(1, seq.sequencer().headNumber(), "nothing built on the stale head");
                assertEquals(1, payloads(bs).size(), "no payload for height 2 from the new leader");

                // The late stream records arrive: the sequencer reads them and builds on the signed head.
                write(bs, Topics.SEQUENCER_STREAM.name(), streamRecords.subList(1, k));
                await("a block above the signed head", Duration.ofSeconds(60), () -> seq.sequencer().headNumber() >= k + 1);
                assertEquals("BUILD", seq.sequencer().buildGateState());
            } finally {
                System.setErr(originalErr);
            }
            String log = logs.toString();
            assertTrue(log.contains("last signed block " + k), "the ready/leader log names the signed head:\n" + log);
            assertTrue(log.contains("Not building: signed-blocks has block " + k + " but the sequencer stream read so far ends at block 1"),
                    "the hold is logged:\n" + log);
            assertTrue(log.contains("Building resumes"), log);

            List<BlockPayload> stream = payloads(bs);
            assertContiguous(stream);
            BlockPayload first = stream.get(k);
            assertEquals(k + 1, first.number(), "the first block this sequencer built is the one after the signed head");
            assertEquals(lastSigned.payload().hash(), first.parentHash(), "built on the signed block " + k);
            assertNotEquals(lastSigned.payload().sequencerId(), first.sequencerId(), "built by the new sequencer, not copied");
        }
    }

    @Test
    void theLeaderHoldsAtMaxUnsignedBlocksWhileNoSignerRunsAndResumesWhenOneSigns() throws Exception {
        try (TestKafka kafka = TestKafka.start()) {
            String bs = kafka.bootstrapServers();
            try (RunningNode seq = Main.startService("sequencer", sequencerArgs(bs, "seq", "--sequencer.max-unsigned-blocks", "3"))) {
                await("the leader to hold 5 slots", Duration.ofSeconds(60), () -> seq.sequencer().slotsHeld() >= 5);
                assertEquals("SIGNER_BEHIND", seq.sequencer().buildGateState());
                assertEquals(3, seq.sequencer().headNumber(), "3 unsigned blocks, then nothing while no signer runs");
                assertEquals(0, seq.sequencer().signedHeadNumber());
                assertEquals(3, payloads(bs).size());

                try (RunningNode signer = Main.startService("signer", "--kafka.bootstrap-servers", bs, "--chain", "dev", "--test",
                        "--datadir", tmp.resolve("signer").toString())) {
                    await("building to resume", Duration.ofSeconds(60), () -> seq.sequencer().headNumber() >= 6);
                    assertTrue(seq.sequencer().signedHeadNumber() >= 3, "resumed because blocks were signed");
                }
            }
            List<BlockPayload> stream = payloads(bs);
            assertTrue(stream.size() >= 6);
            assertContiguous(stream);
        }
    }
}
