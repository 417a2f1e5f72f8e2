package org.rollupnode.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.junit.jupiter.api.Test;
import org.rollupnode.schemas.Topics;

class EmbeddedKafkaBrokerTest {

    @Test
    void committedRecordsSurviveABrokerRestartAndAbortedOnesStayInvisible() throws Exception {
        Path dir = Files.createTempDirectory("broker-restart-");
        try {
            String firstAddress;
            try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dir).start()) {
                firstAddress = broker.bootstrapServers();
                KafkaSettings s = KafkaSettings.of(firstAddress);
                TopicAdmin.ensureTopics(s, Topics.ALL);
                try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(s.transactionalProducerConfig("t", "tx-test"))) {
                    p.initTransactions();
                    p.beginTransaction();
                    p.send(new ProducerRecord<>(Topics.SIGNED_BLOCKS.name(), "1", "one".getBytes())).get();
                    p.commitTransaction();
                    p.beginTransaction();
                    p.send(new ProducerRecord<>(Topics.SIGNED_BLOCKS.name(), "2", "aborted".getBytes())).get();
                    p.abortTransaction();
                }
            }
            try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dir).start()) {
                assertEquals(firstAddress, broker.bootstrapServers(), "ports are kept for a data directory");
                KafkaSettings s = KafkaSettings.of(broker.bootstrapServers());
                TopicAdmin.ensureTopics(s, Topics.ALL); // idempotent on existing topics
                assertEquals(List.of("one"), readAll(s, Topics.SIGNED_BLOCKS.name()));
            }
        } finally {
            TestKafka.deleteRecursively(dir);
        }
    }

    @Test
    void aSecondProducerWithTheSameTransactionalIdFencesTheFirst() throws Exception {
        try (TestKafka kafka = TestKafka.start()) {
            KafkaSettings s = kafka.settings();
            TopicAdmin.ensureTopics(s, Topics.ALL);
            try (KafkaProducer<String, byte[]> zombie = new KafkaProducer<>(s.transactionalProducerConfig("a", "sequencer"));
                 KafkaProducer<String, byte[]> leader = new KafkaProducer<>(s.transactionalProducerConfig("b", "sequencer"))) {
                zombie.initTransactions();
                zombie.beginTransaction();
                zombie.send(new ProducerRecord<>(Topics.SEQUENCER_STREAM.name(), "1", "zombie".getBytes())).get();
                leader.initTransactions();
                assertThrows(ProducerFencedException.class, zombie::commitTransaction);
                leader.beginTransaction();
                leader.send(new ProducerRecord<>(Topics.SEQUENCER_STREAM.name(), "1", "leader".getBytes())).get();
                leader.commitTransaction();
            }
            assertEquals(List.of("leader"), readAll(s, Topics.SEQUENCER_STREAM.name()));
        }
    }

    static List<String> readAll(KafkaSettings s, String topic) {
        TopicPartition tp = new TopicPartition(topic, 0);
        List<String> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(s.readerConfig("reader"))) {
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long end = c.endOffsets(List.of(tp)).get(tp);
            while (c.position(tp) < end) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    out.add(new String(r.value()));
                }
            }
        }
        return out;
    }
}
