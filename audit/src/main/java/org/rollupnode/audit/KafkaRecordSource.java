package org.rollupnode.audit;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.rollupnode.kafka.KafkaSettings;

/**
 * Reads topics from the beginning to their end as of {@link #open}, read_committed, without a
 * consumer group, one fetch at a time.
 */
public final class KafkaRecordSource implements RecordSource {
    /** A pass that gets nothing for this long while records remain fails instead of hanging. */
    static final Duration STALL_LIMIT = Duration.ofSeconds(60);

    private final KafkaSettings kafka;

    public KafkaRecordSource(KafkaSettings kafka) {
        this.kafka = kafka;
    }

    @Override
    public Records open(String topic) {
        KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(kafka.readerConfig("audit"));
        try {
            List<TopicPartition> tps = partitions(c, topic);
            // assigned before asking: a read_committed consumer records the last stable offsets it
            // is given and warns about partitions it does not hold
            c.assign(tps);
            // the pass's end is fixed now, before anything is read (an auditor checks a prefix of a live chain)
            Map<TopicPartition, Long> end = c.endOffsets(tps);
            return new Pass(c, topic, tps, end);
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    @Override
    public long count(String topic) {
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(kafka.readerConfig("audit"))) {
            List<TopicPartition> tps = partitions(c, topic);
            c.assign(tps);
            Map<TopicPartition, Long> begin = c.beginningOffsets(tps);
            Map<TopicPartition, Long> end = c.endOffsets(tps);
            return tps.stream().mapToLong(tp -> end.get(tp) - begin.get(tp)).sum();
        }
    }

    private List<TopicPartition> partitions(KafkaConsumer<String, byte[]> c, String topic) {
        List<PartitionInfo> infos = c.partitionsFor(topic, Duration.ofSeconds(30));
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("topic " + topic + " does not exist on " + kafka.bootstrapServers());
        }
        return infos.stream().map(p -> new TopicPartition(topic, p.partition())).sorted(Comparator.comparingInt(TopicPartition::partition))
                .toList();
    }

    /** Partition after partition, each from its beginning to the end offset taken at open. */
    private final class Pass implements Records {
        private final KafkaConsumer<String, byte[]> consumer;
        private final String topic;
        private final List<TopicPartition> partitions;
        private final Map<TopicPartition, Long> end;
        private final ArrayDeque<TopicRecord> fetched = new ArrayDeque<>();
        private int current = -1;
        private boolean closed;

        Pass(KafkaConsumer<String, byte[]> consumer, String topic, List<TopicPartition> partitions, Map<TopicPartition, Long> end) {
            this.consumer = consumer;
            this.topic = topic;
            this.partitions = new ArrayList<>(partitions);
            this.end = end;
        }

        @Override
        public boolean hasNext() {
            while (fetched.isEmpty()) {
                if (closed) {
                    return false;
                }
                if (current >= 0 && consumer.position(partitions.get(current)) < end.get(partitions.get(current))) {
                    fetch(partitions.get(current));
                } else if (current + 1 < partitions.size()) {
                    TopicPartition tp = partitions.get(++current);
                    consumer.assign(List.of(tp));
                    consumer.seekToBeginning(List.of(tp));
                } else {
                    close();
                    return false;
                }
            }
            return true;
        }

        private void fetch(TopicPartition tp) {
            long limit = end.get(tp);
            long deadline = System.nanoTime() + STALL_LIMIT.toNanos();
            while (fetched.isEmpty() && consumer.position(tp) < limit) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.offset() < limit) {
                        fetched.add(new TopicRecord(r.topic(), r.partition(), r.offset(), r.key(), r.value()));
                    }
                }
                if (fetched.isEmpty() && consumer.position(tp) < limit && System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("reading " + topic + "-" + tp.partition() + " from " + kafka.bootstrapServers()
                            + ": nothing received for " + STALL_LIMIT.toSeconds() + " s at offset " + consumer.position(tp) + " of " + limit);
                }
            }
        }

        @Override
        public TopicRecord next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return fetched.poll();
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                consumer.close(Duration.ofSeconds(5));
            }
        }
    }
}
