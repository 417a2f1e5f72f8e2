package org.rollupnode.schemas;

/** A topic record that does not decode. Carries where it was, so an operator can find it. */
public class RecordDecodeException extends RuntimeException {
    private final String topic;
    private final int partition;
    private final long offset;

    public RecordDecodeException(String topic, int partition, long offset, Throwable cause) {
        super("record at " + topic + "-" + partition + "@" + offset + " does not decode: " + cause.getMessage(), cause);
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
    }

    public String topic() {
        return topic;
    }

    public int partition() {
        return partition;
    }

    public long offset() {
        return offset;
    }
}
