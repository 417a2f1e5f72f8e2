package org.rollupnode.audit;

/** One record of a topic, wherever it came from (a live cluster or an export file). */
public record TopicRecord(String topic, int partition, long offset, String key, byte[] value) {}
