package org.rollupnode.watcher;

import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.rollupnode.kafka.KafkaSettings;
import org.rollupnode.schemas.EventCodec;
import org.rollupnode.schemas.L1Event;
import org.rollupnode.schemas.Topics;

/**
 * Reads {@code l1-events} ({@code read_committed}, from the beginning) into an {@link L1View}.
 * Any reader can use it: {@link #readToEnd} once, then {@link #poll} to follow.
 */
public final class L1EventsReader implements AutoCloseable {
    private static final TopicPartition PARTITION = new TopicPartition(Topics.L1_EVENTS.name(), 0);

    private final KafkaConsumer<String, byte[]> consumer;
    private final org.rollupnode.kafka.UndecodableRecords undecodable;

    public L1EventsReader(KafkaSettings kafka, String clientId) {
        undecodable = new org.rollupnode.kafka.UndecodableRecords(clientId, kafka);
        consumer = new KafkaConsumer<>(kafka.readerConfig(clientId));
        consumer.assign(List.of(PARTITION));
        consumer.seekToBeginning(List.of(PARTITION));
    }

    /** Folds every committed record up to the topic's current end. */
    public void readToEnd(L1View view) {
        long end = consumer.endOffsets(List.of(PARTITION)).get(PARTITION);
        while (consumer.position(PARTITION) < end) {
            poll(view, Duration.ofMillis(200));
        }
    }

    /** Folds what one poll returns; a record that does not decode or contradicts the view throws, naming its offset. */
    public int poll(L1View view, Duration timeout) {
        int n = 0;
        for (ConsumerRecord<String, byte[]> r : consumer.poll(timeout)) {
            // A skipped l1-events record could be an L1 message: a queue gap. Never skipped.
            L1Event event = undecodable.decodeOrStop(EventCodec.L1_EVENT, r);
            try {
                view.apply(event);
            } catch (L1WatcherException e) {
                throw new L1WatcherException(e.code(), "record at " + r.topic() + "-" + r.partition() + "@" + r.offset()
                        + ": " + e.getMessage(), e);
            }
            n++;
        }
        return n;
    }

    /** Reads the whole topic once into a new view. */
    public static L1View readAll(KafkaSettings kafka, String clientId) {
        L1View view = new L1View();
        try (L1EventsReader reader = new L1EventsReader(kafka, clientId)) {
            reader.readToEnd(view);
        }
        return view;
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
