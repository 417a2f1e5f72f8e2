package org.rollupnode.audit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.rollupnode.kafka.KafkaSettings;

/** Reads topics from the beginning to their end as of the call, read_committed, without a consumer group. */
public final class KafkaRecordSource implements RecordSource {
    private final KafkaSettings kafka;

    public KafkaRecordSource(KafkaSettings kafka) {
        this.kafka = kafka;
    }

    @Override
    public List<TopicRecord> read(String topic) {
        List<TopicRecord> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(kafka.readerConfig("audit"))) {
            List<PartitionInfo> infos = c.partitionsFor(topic, Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " does not exist on " + kafka.bootstrapServers());
            }
            List<TopicPartition> tps = infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            c.assign(tps);
            c.seekToBeginning(tps);
            Map<TopicPartition, Long> end = c.endOffsets(tps);
            while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
                    if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition()))) {
                        out.add(new TopicRecord(r.topic(), r.partition(), r.offset(), r.key(), r.value()));
                    }
                }
            }
        }
        out.sort(Comparator.comparingInt(TopicRecord::partition).thenComparingLong(TopicRecord::offset));
        return out;
    }
}
