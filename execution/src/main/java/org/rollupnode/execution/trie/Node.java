package org.rollupnode.execution.trie;

import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.rollupnode.execution.crypto.Keccak;

/**
 * An immutable trie node. Updates return new nodes and share every untouched subtree, so a trie
 * version is just its root and old versions stay valid for concurrent readers.
 *
 * <p>Keys arrive as nibble arrays with a position: recursion advances the position instead of
 * slicing the key, so a lookup or update allocates only the nodes it creates.
 */
abstract sealed class Node permits EmptyNode, LeafNode, ExtensionNode, BranchNode, HashNode {
    /** Length of {@code 0xa0 ‖ keccak}: a reference that is not an embedded node. */
    static final int HASH_REF_LENGTH = 33;

    /**
     * How a parent refers to this node, computed at most once per node (racing threads compute
     * the same bytes, so the unsynchronised double computation is harmless; volatile makes the
     * array contents visible with the reference).
     */
    private volatile byte[] ref;

    /**
     * The store this node's encoding is known to be in (written to, or read from), or null. A
     * store identity rather than a flag: nodes are shared between versions and may be reachable
     * from states persisted to different stores (two services in one JVM, a rebuilt store).
     */
    private volatile Object storedIn;

    Node() {}

    /** For a node whose reference is known up front (one read back by hash). */
    Node(byte[] ref) {
        this.ref = ref;
    }

    final void markStored(Object store) {
        storedIn = store;
    }

    /** Calls {@code action} on each child node (not on embedded values). */
    void forEachChild(Consumer<Node> action) {}

    /**
     * Adds to {@code delta} every node of this subtree that a store keyed by hash still lacks.
     * Stops at nodes already in that store: nodes are immutable and stores append-only, so
     * everything below such a node is there too, and the walk costs only what changed since the last write. Embedded nodes (shorter
     * than a hash) are part of their parent's encoding and are never stored on their own, except
     * a root, which is always referenced by its hash.
     */
    void collectUnstored(TrieDelta delta, boolean root) {
        if (storedIn == delta.store()) {
            return;
        }
        byte[] r = ref();
        if (r.length != HASH_REF_LENGTH && !root) {
            return;
        }
        delta.add(this, hash(), encode());
        forEachChild(c -> c.collectUnstored(delta, false));
    }

    /** The value stored at exactly {@code key[pos..]}, or null. */
    abstract byte[] get(byte[] key, int pos);

    /** This subtree with {@code key[pos..]} set to a non-empty value; {@code this} when unchanged. */
    abstract Node put(byte[] key, int pos, byte[] value);

    /** This subtree without {@code key[pos..]}; {@code this} when the key was absent. */
    abstract Node remove(byte[] key, int pos);

    /** The node equivalent to this one with {@code prefix} prepended to every path below it. */
    abstract Node withPrefix(byte[] prefix);

    /** Visits values in key order; {@code path} is the nibble path from the root to this node. */
    abstract void forEach(byte[] path, BiConsumer<byte[], byte[]> action);

    /** The node's RLP encoding. Not cached: only the reference (usually a hash) is kept. */
    abstract byte[] encode();

    /**
     * The yellow paper's c(J, i): the node itself when its RLP is shorter than 32 bytes, otherwise
     * the RLP string of its keccak hash.
     */
    final byte[] ref() {
        byte[] r = ref;
        if (r == null) {
            byte[] enc = encode();
            if (enc.length < 32) {
                r = enc;
            } else {
                r = new byte[HASH_REF_LENGTH];
                r[0] = (byte) 0xa0;
                System.arraycopy(Keccak.hash256(enc), 0, r, 1, 32);
            }
            ref = r;
        }
        return r;
    }

    /** Keccak of the encoding; a root is always hashed, even when it is short enough to embed. */
    final byte[] hash() {
        byte[] r = ref();
        if (r.length == HASH_REF_LENGTH) {
            byte[] h = new byte[32];
            System.arraycopy(r, 1, h, 0, 32);
            return h;
        }
        return Keccak.hash256(r);
    }
}
