package org.rollupnode.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.rollupnode.schemas.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a reader does with a record that does not decode ({@code --kafka.on-undecodable}).
 *
 * <p>{@link Policy#STOP} (the default): the reader stops at the record. Its partition is sought
 * back to the record and paused, so nothing after it is applied and nothing is skipped; the
 * service stays up (RPC, /health) and reports the stop in {@link #halts()} (readiness, {@code
 * rollupNode_status}). After the record is repaired or the policy changed, a restart resumes there.
 *
 * <p>{@link Policy#DEAD_LETTER}: the raw record (key, value, headers) is copied to
 * {@code dead-letters} with its source topic/partition/offset, the error and the reader as headers,
 * and the reader goes past it. Only topics whose records are independent of each other allow this:
 * {@code pending-transactions} and {@code transaction-outcomes}. The chain topics
 * ({@code sequencer-stream}, {@code signed-blocks}), {@code l1-events} (a skipped L1 message is a
 * queue gap) and {@code sequencer-control} (a skipped operator command) always stop: skipping one
 * record there would make readers disagree about the chain. If the copy cannot be written the
 * reader stops too: a record is never skipped without its copy.
 */
public final class UndecodableRecords implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("rollup_node::kafka");
    /** Topics whose records may be moved aside; see the class comment for why only these. */
    public static final Set<String> DEAD_LETTER_ALLOWED = Set.of(Topics.PENDING_TRANSACTIONS.name(), Topics.TRANSACTION_OUTCOMES.name());
    public static final String HEADER_TOPIC = "dead-letter.source-topic";
    public static final String HEADER_PARTITION = "dead-letter.source-partition";
    public static final String HEADER_OFFSET = "dead-letter.source-offset";
    public static final String HEADER_ERROR = "dead-letter.error";
    public static final String HEADER_READER = "dead-letter.reader";


    public enum Policy {
        STOP, DEAD_LETTER;

        /** {@code stop} or {@code dead-letter}. */
        public static Policy parse(String s) {
            return switch (s == null ? "" : s.strip().toLowerCase(Locale.ROOT)) {
                case "stop" -> STOP;
                case "dead-letter" -> DEAD_LETTER;
                default -> throw new IllegalArgumentException("invalid --kafka.on-undecodable '" + s + "': expected stop or dead-letter");
            };
        }

        public String flagValue() {
            return this == STOP ? "stop" : "dead-letter";
        }
    }

    /** A reader stopped at a record. */
    public record Halt(String reader, String topic, int partition, long offset, String error) {
        public String describe() {
            return reader + " stopped at undecodable record " + topic + "-" + partition + "@" + offset + ": " + error;
        }
    }

    private final String reader;
    private final KafkaSettings kafka;
    private final Set<TopicPartition> stopped = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final List<Halt> halts = new CopyOnWriteArrayList<>();
    private KafkaProducer<String, byte[]> deadLetters;

    public UndecodableRecords(String reader, KafkaSettings kafka) {
        this.reader = reader;
        this.kafka = kafka;
    }

    /** Where this reader stopped (for readiness and {@code rollupNode_status}). */
    public List<Halt> halts() {
        return List.copyOf(halts);
    }

    /** True when this reader stopped at a record of the record's partition (skip the rest of a polled batch). */
    public boolean stopped(ConsumerRecord<?, ?> r) {
        return stopped.contains(new TopicPartition(r.topic(), r.partition()));
    }

    public boolean stopped(TopicPartition tp) {
        return stopped.contains(tp);
    }

    public boolean anyStopped() {
        return !stopped.isEmpty();
    }

    /**
     * Handles a record that does not decode. Returns true when it was moved aside and the reader
     * may go on past it; false when the reader stopped at it (its partition is paused at the record).
     */
    public boolean onUndecodable(Consumer<?, ?> consumer, ConsumerRecord<String, byte[]> r, Exception error) {
        if (kafka != null && kafka.onUndecodable() == Policy.DEAD_LETTER && DEAD_LETTER_ALLOWED.contains(r.topic())) {
            String failure = moveAside(r, error);
            if (failure == null) {
                return true;
            }
            stop(consumer, r, error.getMessage() + " (and it could not be moved aside: " + failure + ")");
            return false;
        }
        stop(consumer, r, error.getMessage());
        return false;
    }

    /**
     * Decodes a record of a chain topic, which is never skipped: one that does not decode is recorded
     * as this reader's stop and the decode error is rethrown, ending the caller's loop there.
     */
    public <T> T decodeOrStop(org.rollupnode.schemas.EventCodec<T> codec, ConsumerRecord<String, byte[]> r) {
        try {
            return codec.decode(r.value(), r.topic(), r.partition(), r.offset());
        } catch (RuntimeException e) {
            stopAndRecord(r, e);
            throw e;
        }
    }

    /** Stops at the record without pausing: for readers that end their loop themselves by rethrowing. */
    public void stopAndRecord(ConsumerRecord<String, byte[]> r, Exception error) {
        stop(null, r, error.getMessage());
    }

    private void stop(Consumer<?, ?> consumer, ConsumerRecord<String, byte[]> r, String error) {
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        if (consumer != null) {
            consumer.seek(tp, r.offset());
            consumer.pause(List.of(tp));
        }
        if (stopped.add(tp)) {
            Halt h = new Halt(reader, r.topic(), r.partition(), r.offset(), error);
            halts.add(h);
            String why = DEAD_LETTER_ALLOWED.contains(r.topic())
                    ? "; restart with --kafka.on-undecodable dead-letter to move it aside and go on"
                    : "; " + r.topic() + " records are never skipped, repair the topic or restore it from a replica";
            LOG.error("{}: not reading {}-{} past it{}", h.describe(), r.topic(), r.partition(), why);
        }
    }

    private String moveAside(ConsumerRecord<String, byte[]> r, Exception error) {
        RecordHeaders headers = new RecordHeaders();
        for (Header h : r.headers()) {
            headers.add(h);
        }
        headers.add(HEADER_TOPIC, bytes(r.topic()));
        headers.add(HEADER_PARTITION, bytes(Integer.toString(r.partition())));
        headers.add(HEADER_OFFSET, bytes(Long.toString(r.offset())));
        headers.add(HEADER_ERROR, bytes(String.valueOf(error.getMessage())));
        headers.add(HEADER_READER, bytes(reader));
        // Keyed by the source coordinates: several readers of one topic each leave a copy, recognisably the same record.
        String key = r.topic() + "-" + r.partition() + "@" + r.offset();
        try {
            if (deadLetters == null) {
                deadLetters = new KafkaProducer<>(kafka.producerConfig(reader + "-dead-letters"));
            }
            deadLetters.send(new ProducerRecord<>(Topics.DEAD_LETTERS.name(), null, key, r.value(), headers)).get(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (Exception e) {
            return e.getMessage();
        }
        LOG.error("{} moved undecodable record {} to {} and goes on: {}", reader, key, Topics.DEAD_LETTERS.name(), error.getMessage());
        return null;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        if (deadLetters != null) {
            deadLetters.close(Duration.ofSeconds(5));
        }
    }
}
