package org.rollupnode.execution.types;

import java.util.Arrays;

/** A 20-byte account address. Immutable; the byte array never escapes without a copy. */
public final class Address implements Comparable<Address> {
    public static final int LENGTH = 20;
    public static final Address ZERO = new Address(new byte[LENGTH]);

    private final byte[] bytes;
    private final int hash;
    /**
     * keccak256 of the address (its key in the state trie), computed on first use: an account is
     * looked up and then written in the same block through the same Address object, and each
     * hash was ~a fifth of the Keccak time of executing a block. Racing threads compute the same
     * bytes; volatile publishes the array's contents with the reference.
     */
    private volatile byte[] keccak;

    private Address(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    public static Address wrap(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("address must be 20 bytes, got " + bytes.length);
        }
        return new Address(bytes.clone());
    }

    /**
     * The address in {@code src[offset..offset+20)}, copied once straight from {@code src}.
     *
     * <p>Why not {@code wrap(Arrays.copyOfRange(...))}: on JDK 17 (seen on 17.0.15) C2 can
     * miscompile a copy of a freshly copied array and read zeros from it in the same compiled
     * method, so the constructor hashed 20 zero bytes while the array held the real address. The
     * Address then sat in a different HashMap bucket from its equals, and a block builder's
     * overlay lost balance updates of that account (a state root its own re-execution did not
     * give). Copying once from the caller's long-lived array avoids the pattern.
     */
    public static Address wrap(byte[] src, int offset) {
        if (offset < 0 || offset > src.length - LENGTH) {
            throw new IllegalArgumentException("address needs 20 bytes at offset " + offset + " of " + src.length);
        }
        return new Address(Arrays.copyOfRange(src, offset, offset + LENGTH));
    }

    public static Address fromHex(String hex) {
        byte[] b = Hex.decode(hex);
        if (b.length != LENGTH) {
            throw new IllegalArgumentException("address must be 20 bytes (40 hex digits), got " + b.length + " bytes");
        }
        return new Address(b);
    }

    public byte[] toArray() {
        return bytes.clone();
    }

    /** Internal access without copying; callers must not modify the result. */
    public byte[] unsafeBytes() {
        return bytes;
    }

    /** keccak256 of the address, computed once per object; callers must not modify the result. */
    public byte[] unsafeKeccak() {
        byte[] k = keccak;
        if (k == null) {
            k = org.rollupnode.execution.crypto.Keccak.hash256(bytes);
            keccak = k;
        }
        return k;
    }

    public String toHex() {
        return Hex.encode(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Address a && Arrays.equals(bytes, a.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public int compareTo(Address o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public String toString() {
        return toHex();
    }
}
