package org.rollupnode.audit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Topics held in memory, one partition each, offsets in the order records were added: what a
 * cluster or an export file would hold, for replaying records built in the same process (tests,
 * the replay benchmark).
 */
public final class InMemoryRecords implements RecordSource {
    private final Map<String, List<TopicRecord>> topics = new HashMap<>();

    /** Appends a record (no key) to {@code topic}, at the next offset. */
    public void add(String topic, byte[] value) {
        List<TopicRecord> l = topics.computeIfAbsent(topic, k -> new ArrayList<>());
        l.add(new TopicRecord(topic, 0, l.size(), null, value));
    }

    @Override
    public Records open(String topic) {
        return Records.of(topics.getOrDefault(topic, List.of()));
    }

    /** The topic's own list, not a copy: a test may replace a record to forge it. */
    @Override
    public List<TopicRecord> read(String topic) {
        return topics.getOrDefault(topic, new ArrayList<>());
    }

    @Override
    public long count(String topic) {
        return topics.getOrDefault(topic, List.of()).size();
    }
}
