package org.rollupnode.kafka;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * How every service talks to Kafka. Extra client properties (TLS, SASL) pass through unchanged
 * from {@code --kafka.property key=value}; {@code onUndecodable} is {@code --kafka.on-undecodable}
 * (see {@link UndecodableRecords}).
 */
public record KafkaSettings(String bootstrapServers, Map<String, String> extra, UndecodableRecords.Policy onUndecodable) {

    public KafkaSettings {
        extra = Map.copyOf(extra);
        onUndecodable = onUndecodable == null ? UndecodableRecords.Policy.STOP : onUndecodable;
    }

    public KafkaSettings(String bootstrapServers, Map<String, String> extra) {
        this(bootstrapServers, extra, UndecodableRecords.Policy.STOP);
    }

    public static KafkaSettings of(String bootstrapServers) {
        return new KafkaSettings(bootstrapServers, Map.of());
    }

    private Map<String, Object> base() {
        Map<String, Object> m = new HashMap<>(extra);
        m.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return m;
    }

    public Map<String, Object> adminConfig() {
        Map<String, Object> m = base();
        m.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        m.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        return m;
    }

    /** Durable, idempotent producer: a hash is returned to a client only after acks=all. */
    public Map<String, Object> producerConfig(String clientId) {
        Map<String, Object> m = base();
        m.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        m.put(ProducerConfig.ACKS_CONFIG, "all");
        m.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        m.put(ProducerConfig.LINGER_MS_CONFIG, 2);
        m.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 16 * 1024 * 1024);
        m.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        m.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        m.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        m.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        m.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return m;
    }

    /** Transactional producer whose stable id fences any older instance of the same role. */
    public Map<String, Object> transactionalProducerConfig(String clientId, String transactionalId) {
        Map<String, Object> m = producerConfig(clientId);
        m.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        m.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 30_000);
        return m;
    }

    /**
     * A reader of a high-rate topic ({@code pending-transactions}): the broker answers a fetch once
     * it has 64 KiB or after 10 ms, instead of on every new record. Under load this turns thousands
     * of one-record fetches per second (each a request the broker and the client pay for) into a
     * hundred; an idle topic costs one fetch per 10 ms, and a record waits at most 10 ms more.
     */
    public Map<String, Object> bulkReaderConfig(String clientId) {
        Map<String, Object> m = readerConfig(clientId);
        // an operator's --kafka.property of the same name wins
        if (!extra.containsKey(ConsumerConfig.FETCH_MIN_BYTES_CONFIG)) {
            m.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 64 * 1024);
        }
        if (!extra.containsKey(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG)) {
            m.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
        }
        return m;
    }

    /** Consumer with manual assignment (no group), reading only committed records. */
    public Map<String, Object> readerConfig(String clientId) {
        Map<String, Object> m = base();
        m.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        String reporters = extra.get(ConsumerConfig.METRIC_REPORTER_CLASSES_CONFIG);
        m.put(ConsumerConfig.METRIC_REPORTER_CLASSES_CONFIG, reporters == null || reporters.isBlank()
                ? KafkaLagMetrics.class.getName() : reporters + "," + KafkaLagMetrics.class.getName());
        m.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        m.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        m.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        m.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        m.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024 * 1024);
        m.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024);
        m.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        m.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return m;
    }
}
