package org.rollupnode.execution.block;

import java.util.Arrays;
import java.util.List;
import org.rollupnode.execution.crypto.Keccak;
import org.rollupnode.execution.types.Address;
import org.rollupnode.execution.types.Hash32;
import org.rollupnode.execution.types.Hex;

/**
 * The 2048-bit logs bloom of receipts and headers (yellow paper, section 4.3.1). Immutable:
 * {@link #add} and {@link #or} return new blooms. Accumulating many logs goes through a
 * {@link Builder}, which sets bits in place instead of copying 256 bytes per entry.
 */
public final class Bloom {
    public static final int BYTES = 256;
    public static final Bloom EMPTY = new Bloom(new byte[BYTES]);

    private final byte[] bits;

    private Bloom(byte[] bits) {
        this.bits = bits;
    }

    public static Bloom fromBytes(byte[] bytes) {
        if (bytes.length != BYTES) {
            throw new IllegalArgumentException("logs bloom must be 256 bytes, got " + bytes.length);
        }
        return new Bloom(bytes.clone());
    }

    public static Bloom fromHex(String hex) {
        return fromBytes(Hex.decode(hex));
    }

    /** Bloom of a receipt's (or a block's) logs: each log's address and each of its topics. */
    public static Bloom of(List<Log> logs) {
        if (logs.isEmpty()) {
            return EMPTY; // most receipts (plain transfers): one shared instance, not 256 zero bytes each
        }
        Builder b = builder();
        for (Log log : logs) {
            b.add(log);
        }
        return b.build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A new bloom that also holds {@code data}. */
    public Bloom add(byte[] data) {
        byte[] copy = bits.clone();
        set(copy, Keccak.hash256(data));
        return new Bloom(copy);
    }

    public Bloom or(Bloom other) {
        byte[] copy = bits.clone();
        orInto(copy, other.bits);
        return new Bloom(copy);
    }

    /** False means {@code data} was certainly never added; true may be a false positive. */
    public boolean mightContain(byte[] data) {
        byte[] h = Keccak.hash256(data);
        for (int i = 0; i < 6; i += 2) {
            int bit = bitIndex(h, i);
            if ((bits[BYTES - 1 - (bit >>> 3)] & (1 << (bit & 7))) == 0) {
                return false;
            }
        }
        return true;
    }

    /** True when every bit set in {@code other} is also set here (block bloom vs. filter bloom). */
    public boolean includes(Bloom other) {
        for (int i = 0; i < BYTES; i++) {
            if ((bits[i] & other.bits[i]) != other.bits[i]) {
                return false;
            }
        }
        return true;
    }

    public boolean isEmpty() {
        return equals(EMPTY);
    }

    public byte[] toArray() {
        return bits.clone();
    }

    /** Internal access without copying; callers must not modify the result. */
    public byte[] unsafeBytes() {
        return bits;
    }

    public String toHex() {
        return Hex.encode(bits);
    }

    /**
     * M3:2048: three 11-bit indices from the first six bytes of keccak(data), each counted from
     * the low-order end of the 2048-bit big-endian number.
     */
    private static void set(byte[] target, byte[] hash) {
        for (int i = 0; i < 6; i += 2) {
            int bit = bitIndex(hash, i);
            target[BYTES - 1 - (bit >>> 3)] |= (byte) (1 << (bit & 7));
        }
    }

    private static int bitIndex(byte[] hash, int i) {
        return (((hash[i] & 0xff) << 8) | (hash[i + 1] & 0xff)) & 0x7ff;
    }

    private static void orInto(byte[] target, byte[] source) {
        for (int i = 0; i < BYTES; i++) {
            target[i] |= source[i];
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bloom b && Arrays.equals(bits, b.bits);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bits);
    }

    @Override
    public String toString() {
        return toHex();
    }

    /** Mutable accumulator; not thread-safe. {@link #build} copies, so it can keep accumulating. */
    public static final class Builder {
        private final byte[] bits = new byte[BYTES];

        private Builder() {}

        public Builder add(byte[] data) {
            set(bits, Keccak.hash256(data));
            return this;
        }

        public Builder add(Log log) {
            add(log.address().unsafeBytes());
            for (Hash32 topic : log.topics()) {
                add(topic.unsafeBytes());
            }
            return this;
        }

        public Builder add(Address address) {
            return add(address.unsafeBytes());
        }

        public Builder or(Bloom other) {
            orInto(bits, other.bits);
            return this;
        }

        public Bloom build() {
            return new Bloom(bits.clone());
        }
    }
}
