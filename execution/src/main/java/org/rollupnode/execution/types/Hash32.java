package org.rollupnode.execution.types;

import java.util.Arrays;

/** A 32-byte hash (block hash, transaction hash, trie root, storage word). Immutable. */
public final class Hash32 implements Comparable<Hash32> {
    public static final int LENGTH = 32;
    public static final Hash32 ZERO = new Hash32(new byte[LENGTH]);

    private final byte[] bytes;
    private final int hash;

    private Hash32(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    public static Hash32 wrap(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("hash must be 32 bytes, got " + bytes.length);
        }
        return new Hash32(bytes.clone());
    }

    /**
     * The hash in {@code src[offset..offset+32)}, copied once straight from {@code src} (see
     * {@link Address#wrap(byte[], int)} for the JDK 17 C2 miscompilation this avoids).
     */
    public static Hash32 wrap(byte[] src, int offset) {
        if (offset < 0 || offset > src.length - LENGTH) {
            throw new IllegalArgumentException("hash needs 32 bytes at offset " + offset + " of " + src.length);
        }
        return new Hash32(Arrays.copyOfRange(src, offset, offset + LENGTH));
    }

    public static Hash32 fromHex(String hex) {
        byte[] b = Hex.decode(hex);
        if (b.length != LENGTH) {
            throw new IllegalArgumentException("hash must be 32 bytes (64 hex digits), got " + b.length + " bytes");
        }
        return new Hash32(b);
    }

    public byte[] toArray() {
        return bytes.clone();
    }

    /** Internal access without copying; callers must not modify the result. */
    public byte[] unsafeBytes() {
        return bytes;
    }

    public String toHex() {
        return Hex.encode(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Hash32 h && Arrays.equals(bytes, h.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public int compareTo(Hash32 o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public String toString() {
        return toHex();
    }
}
