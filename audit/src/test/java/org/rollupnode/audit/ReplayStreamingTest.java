package org.rollupnode.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rollupnode.kafka.KafkaSettings;
import org.rollupnode.kafka.TestKafka;
import org.rollupnode.kafka.TopicAdmin;
import org.rollupnode.schemas.BlockPayload;
import org.rollupnode.schemas.Topics;

/**
 * A replay reads its topics as it goes, so an auditor replaying a long chain holds a window of
 * it, not every record: the stream is read at most one payload ahead of the block being applied,
 * a pass over a cluster ends where the topic ended when it began, and an export file is read line
 * by line, one topic at a time.
 */
class ReplayStreamingTest {

    /** Hands out another source's records and counts how many of the stream it has handed out. */
    static final class Counting implements RecordSource {
        final RecordSource inner;
        final AtomicInteger streamRead = new AtomicInteger();

        Counting(RecordSource inner) {
            this.inner = inner;
        }

        @Override
        public Records open(String topic) {
            Records r = inner.open(topic);
            if (!topic.equals(Topics.SEQUENCER_STREAM.name())) {
                return r;
            }
            return Records.of(new java.util.Iterator<>() {
                @Override
                public boolean hasNext() {
                    return r.hasNext();
                }

                @Override
                public TopicRecord next() {
                    streamRead.incrementAndGet();
                    return r.next();
                }
            }, r::close);
        }
    }

    @Test
    void theStreamIsReadAtMostOnePayloadAheadOfTheBlockBeingApplied() throws Exception {
        int blocks = 6;
        Counting source = new Counting(ReplayTest.honest(ReplayTest.chain(blocks)));
        List<Integer> readWhenApplied = new ArrayList<>();
        ReplayReport r = new Replay(ReplayTest.DEV, null).run(source, 1, Long.MAX_VALUE,
                (done, total, elapsed) -> readWhenApplied.add(source.streamRead.get()));
        assertTrue(r.ok(), String.valueOf(r.divergence()));
        assertEquals(blocks, readWhenApplied.size());
        for (int i = 0; i < blocks; i++) {
            int block = i + 1;
            assertTrue(readWhenApplied.get(i) <= block + 1, "when block " + block + " was applied " + readWhenApplied.get(i)
                    + " stream records had been read");
        }
        assertEquals(blocks, source.streamRead.get());
    }

    @Test
    void aReplayUpToAHeightStopsReadingThere() throws Exception {
        Counting source = new Counting(ReplayTest.honest(ReplayTest.chain(8)));
        ReplayReport r = new Replay(ReplayTest.DEV, null).run(source, 1, 3, null);
        assertTrue(r.ok(), String.valueOf(r.divergence()));
        assertEquals(3, r.to());
        assertTrue(source.streamRead.get() <= 4, "read " + source.streamRead.get() + " of 8 payloads to replay 3");
    }

    @Test
    void aPassOverAClusterEndsWhereTheTopicEndedWhenItBegan() throws Exception {
        List<BlockPayload> c = ReplayTest.chain(3);
        try (TestKafka kafka = TestKafka.start()) {
            KafkaSettings s = kafka.settings();
            TopicAdmin.ensureTopics(s, Topics.ALL);
            String topic = Topics.SEQUENCER_STREAM.name();
            try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(s.producerConfig("t"))) {
                for (int i = 0; i < 2; i++) {
                    p.send(new ProducerRecord<>(topic, 0, null, org.rollupnode.schemas.EventCodec.SEQUENCER_STREAM.encode(c.get(i)))).get();
                }
                KafkaRecordSource source = new KafkaRecordSource(s);
                assertEquals(2, source.count(topic));
                try (RecordSource.Records pass = source.open(topic)) {
                    p.send(new ProducerRecord<>(topic, 0, null, org.rollupnode.schemas.EventCodec.SEQUENCER_STREAM.encode(c.get(2)))).get();
                    List<Long> offsets = new ArrayList<>();
                    pass.forEachRemaining(r -> offsets.add(r.offset()));
                    assertEquals(List.of(0L, 1L), offsets, "the record written after the pass began is left for the next pass");
                }
                assertEquals(3, source.read(topic).size());
            }
            IllegalStateException missing = assertThrows(IllegalStateException.class, () -> new KafkaRecordSource(s).open("no-such-topic"));
            assertTrue(missing.getMessage().contains("no-such-topic"), missing.getMessage());
        }
    }

    @Test
    void anExportIsReadOneTopicAtATimeAndABrokenLineIsNamed(@TempDir Path tmp) throws Exception {
        List<BlockPayload> c = ReplayTest.chain(3);
        Path export = tmp.resolve("chain.jsonl");
        assertEquals(6, ExportFile.write(export, ReplayTest.honest(c), List.of(Topics.SEQUENCER_STREAM.name(), Topics.SIGNED_BLOCKS.name())));
        ExportFile file = ExportFile.open(export);
        assertEquals(3, file.count(Topics.SEQUENCER_STREAM.name()));
        assertEquals(0, file.count(Topics.L1_EVENTS.name()));
        assertTrue(new Replay(ReplayTest.DEV, null).run(file, 1, Long.MAX_VALUE, null).ok());

        // A line whose fields come in another order (written by another tool) is still found.
        List<String> lines = new ArrayList<>(Files.readAllLines(export));
        String moved = lines.get(1).replaceFirst("^\\{\"topic\":\"([^\"]*)\",", "{") ;
        moved = moved.substring(0, moved.length() - 1) + ",\"topic\":\"" + Topics.SEQUENCER_STREAM.name() + "\"}";
        assertFalse(moved.startsWith("{\"topic\""));
        lines.set(1, moved);
        Files.write(export, lines, StandardCharsets.UTF_8);
        assertTrue(new Replay(ReplayTest.DEV, null).run(ExportFile.open(export), 1, Long.MAX_VALUE, null).ok());

        // Windows line ends and no line break after the last line read the same.
        Files.writeString(export, String.join("\r\n", lines), StandardCharsets.UTF_8);
        ReplayReport crlf = new Replay(ReplayTest.DEV, null).run(ExportFile.open(export), 1, Long.MAX_VALUE, null);
        assertTrue(crlf.ok(), crlf.toString());
        assertEquals(3, ExportFile.open(export).count(Topics.SEQUENCER_STREAM.name()));

        lines.set(3, "{\"topic\":\"" + Topics.SEQUENCER_STREAM.name() + "\", truncated");
        Files.write(export, lines, StandardCharsets.UTF_8);
        UncheckedIOException broken = assertThrows(UncheckedIOException.class,
                () -> new Replay(ReplayTest.DEV, null).run(ExportFile.open(export), 1, Long.MAX_VALUE, null));
        assertTrue(broken.getMessage().contains("line 4 is not JSON"), broken.getMessage());

        Files.writeString(export, "not an export\n");
        java.io.IOException notExport = assertThrows(java.io.IOException.class, () -> ExportFile.open(export));
        assertTrue(notExport.getMessage().contains("is not a rollup-node export"), notExport.getMessage());
    }
}
