package org.rollupnode.audit;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The committed records of the topics an audit reads. A pass over a topic is read as it is
 * iterated, so a replay of a long chain holds a window of it, never the whole topic.
 */
public interface RecordSource {
    /**
     * Starts a pass over {@code topic}'s records in offset order (partition by partition). Where
     * the topic is still being written, the pass ends at its end as of this call. Close it when done.
     */
    Records open(String topic);

    /** The whole topic in memory: for small topics and tests. */
    default List<TopicRecord> read(String topic) {
        List<TopicRecord> out = new ArrayList<>();
        try (Records r = open(topic)) {
            r.forEachRemaining(out::add);
        }
        return out;
    }

    /** How many records a pass over {@code topic} will give, or -1 if that is not known without reading them (sizes progress only). */
    default long count(String topic) {
        return -1;
    }

    /** One pass over a topic. Reading may fail with an unchecked exception naming the record it could not read. */
    interface Records extends Iterator<TopicRecord>, AutoCloseable {
        @Override
        void close();

        /** A pass over records already in memory. */
        static Records of(List<TopicRecord> records) {
            return of(records.iterator(), () -> {});
        }

        /** A pass over {@code it} that runs {@code onClose} when closed. */
        static Records of(Iterator<TopicRecord> it, Runnable onClose) {
            return new Records() {
                @Override
                public boolean hasNext() {
                    return it.hasNext();
                }

                @Override
                public TopicRecord next() {
                    return it.next();
                }

                @Override
                public void close() {
                    onClose.run();
                }
            };
        }
    }
}
