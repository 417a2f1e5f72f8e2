package org.rollupnode.execution.block;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.rollupnode.execution.rlp.Rlp;
import org.rollupnode.execution.rlp.RlpException;
import org.rollupnode.execution.rlp.RlpItem;
import org.rollupnode.execution.types.Address;
import org.rollupnode.execution.types.Hash32;
import org.rollupnode.execution.types.Hex;

/** An event log as it appears in a receipt: {@code rlp([address, [topic, …], data])}. Immutable. */
public final class Log {
    private final Address address;
    private final List<Hash32> topics;
    private final byte[] data;

    public Log(Address address, List<Hash32> topics, byte[] data) {
        this.address = Objects.requireNonNull(address, "log address");
        this.topics = List.copyOf(topics);
        this.data = Objects.requireNonNull(data, "log data").clone();
    }

    public Address address() {
        return address;
    }

    public List<Hash32> topics() {
        return topics;
    }

    public byte[] data() {
        return data.clone();
    }

    public byte[] rlp() {
        byte[][] encodedTopics = new byte[topics.size()][];
        for (int i = 0; i < encodedTopics.length; i++) {
            encodedTopics[i] = Rlp.encodeBytes(topics.get(i).unsafeBytes());
        }
        return Rlp.encodeList(
                Rlp.encodeBytes(address.unsafeBytes()),
                Rlp.encodeList(encodedTopics),
                Rlp.encodeBytes(data));
    }

    public static Log decode(byte[] rlp) {
        return decode(Rlp.decode(rlp));
    }

    public static Log decode(RlpItem item) {
        List<RlpItem> fields = item.list();
        if (fields.size() != 3) {
            throw new RlpException("log must be a list of 3 items [address, topics, data], got " + fields.size());
        }
        List<RlpItem> topicItems = fields.get(1).list();
        List<Hash32> topics = new ArrayList<>(topicItems.size());
        for (RlpItem t : topicItems) {
            topics.add(t.asHash());
        }
        return new Log(fields.get(0).asAddress(), topics, fields.get(2).bytes());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Log l
                && address.equals(l.address)
                && topics.equals(l.topics)
                && Arrays.equals(data, l.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(address, topics, Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        return "Log[address=" + address + ", topics=" + topics + ", data=" + Hex.encode(data) + "]";
    }
}
