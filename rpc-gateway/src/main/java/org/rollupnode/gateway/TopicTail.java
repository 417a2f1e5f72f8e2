package org.rollupnode.gateway;

import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.rollupnode.kafka.KafkaSettings;
import org.rollupnode.schemas.EventCodec;
import org.rollupnode.schemas.SignedBlock;
import org.rollupnode.schemas.SignedBlocksEvent;
import org.rollupnode.schemas.SignedRevert;
import org.rollupnode.schemas.Topics;

/**
 * Reads where {@code signed-blocks} ends: its committed end offset and the height its last record
 * leaves the chain at. The catching-up chain view uses it as its target. A separate consumer, so
 * the folding consumer's position is never disturbed.
 */
final class TopicTail implements AutoCloseable {
    /** The committed end offset and the height the last record leaves the chain at (0 for an empty topic). */
    record Tail(long endOffset, long height) {}

    private final TopicPartition tp = new TopicPartition(Topics.SIGNED_BLOCKS.name(), 0);
    private final KafkaConsumer<String, byte[]> consumer;

    TopicTail(KafkaSettings kafka, String clientId) {
        this.consumer = new KafkaConsumer<>(kafka.readerConfig(clientId));
        consumer.assign(List.of(tp));
    }

    Tail read() {
        long begin = consumer.beginningOffsets(List.of(tp)).get(tp);
        long end = consumer.endOffsets(List.of(tp)).get(tp);
        // Transaction markers and aborted records take offsets too: widen the window until a record shows.
        for (long window = 16; ; window *= 4) {
            long from = Math.max(begin, end - window);
            Long height = lastHeight(from, end);
            if (height != null) {
                return new Tail(end, height);
            }
            if (from == begin) {
                return new Tail(end, 0);
            }
        }
    }

    private Long lastHeight(long from, long end) {
        consumer.seek(tp, from);
        ConsumerRecord<String, byte[]> last = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (consumer.position(tp) < end && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                if (r.offset() < end) {
                    last = r;
                }
            }
        }
        if (last == null) {
            return null;
        }
        SignedBlocksEvent ev = EventCodec.SIGNED_BLOCKS.decode(last.value(), last.topic(), last.partition(), last.offset());
        return ev instanceof SignedRevert sr ? sr.revert().revertToNumber() : ((SignedBlock) ev).payload().number();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
