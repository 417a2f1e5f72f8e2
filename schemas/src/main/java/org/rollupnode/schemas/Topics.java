package org.rollupnode.schemas;

import java.util.List;
import java.util.Map;

/**
 * Every topic the services share, declared once: name, partition count, what the key is, and the
 * retention rules. The block topics keep everything forever because replay starts at genesis.
 */
public final class Topics {
    private Topics() {}

    public record TopicSpec(String name, int partitions, String key, Map<String, String> configs, String schemaResource) {}

    private static final Map<String, String> KEEP_FOREVER = Map.of(
            "retention.ms", "-1",
            "retention.bytes", "-1",
            "cleanup.policy", "delete",
            // A payload must never be silently truncated by the broker.
            "max.message.bytes", String.valueOf(16 * 1024 * 1024));

    public static final TopicSpec PENDING_TRANSACTIONS = new TopicSpec("pending-transactions", 4, "sender address",
            Map.of("retention.ms", String.valueOf(7L * 24 * 3600 * 1000), "cleanup.policy", "delete"),
            "schemas/pending-transactions.schema.json");
    public static final TopicSpec SEQUENCER_STREAM = new TopicSpec("sequencer-stream", 1, "block number",
            KEEP_FOREVER, "schemas/sequencer-stream.schema.json");
    public static final TopicSpec SIGNED_BLOCKS = new TopicSpec("signed-blocks", 1, "block number",
            KEEP_FOREVER, "schemas/signed-blocks.schema.json");
    public static final TopicSpec SEQUENCER_CONTROL = new TopicSpec("sequencer-control", 1, "none",
            Map.of("retention.ms", "-1", "cleanup.policy", "delete"), "schemas/sequencer-control.schema.json");

    public static final TopicSpec TRANSACTION_OUTCOMES = new TopicSpec("transaction-outcomes", 4, "transaction hash",
            Map.of("retention.ms", String.valueOf(7L * 24 * 3600 * 1000), "cleanup.policy", "delete"),
            "schemas/transaction-outcomes.schema.json");
    /**
     * Leader election of sequencer instances: the member of the consumer group that owns this
     * topic's only partition leads. No records are ever written to it.
     */
    public static final TopicSpec SEQUENCER_LOCK = new TopicSpec("sequencer-lock", 1, "none", Map.of(), null);
    /** Everything the L1 watcher saw, in L1 order; kept forever because its restart point is this topic. */
    public static final TopicSpec L1_EVENTS = new TopicSpec("l1-events", 1, "none", KEEP_FOREVER, "schemas/l1-events.schema.json");

    /**
     * Raw copies of records a reader could not decode and went past ({@code --kafka.on-undecodable
     * dead-letter}, only for topics whose records are independent), keyed by source
     * {@code topic-partition@offset}, with the source and the error in headers. Kept forever: evidence.
     */
    public static final TopicSpec DEAD_LETTERS = new TopicSpec("dead-letters", 1, "source topic-partition@offset", KEEP_FOREVER, null);

    public static final List<TopicSpec> ALL = List.of(PENDING_TRANSACTIONS, SEQUENCER_STREAM, SIGNED_BLOCKS, SEQUENCER_CONTROL,
            TRANSACTION_OUTCOMES, SEQUENCER_LOCK, L1_EVENTS, DEAD_LETTERS);
}
