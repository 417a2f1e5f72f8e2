package org.rollupnode.audit;

import java.util.List;

/** The committed records of the topics an audit reads, each list in offset order. */
public interface RecordSource {
    List<TopicRecord> read(String topic);
}
