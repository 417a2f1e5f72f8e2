package org.rollupnode.execution.trie;

import java.util.Objects;
import java.util.function.BiConsumer;
import org.rollupnode.execution.crypto.Keccak;
import org.rollupnode.execution.rlp.Rlp;
import org.rollupnode.execution.types.Hash32;

/**
 * Ethereum's hexary Merkle-Patricia trie (yellow paper, appendix D) as a persistent value: every
 * update returns a new trie sharing all untouched nodes with the old one. Nodes cache their
 * hash reference, so after updating a large trie only the nodes on changed paths are re-hashed,
 * and any number of threads may read any version while another thread builds the next one.
 *
 * <p>Keys are used as given; a "secure" trie (state, storage) is this trie over keccak(key).
 * Values handed in and out are copied, so callers may reuse their arrays.
 */
public final class MerklePatriciaTrie {
    /** Root of the empty trie: keccak256 of the RLP empty string. */
    public static final Hash32 EMPTY_ROOT = Hash32.wrap(Keccak.hash256(Rlp.EMPTY_STRING));

    private static final MerklePatriciaTrie EMPTY = new MerklePatriciaTrie(EmptyNode.INSTANCE);

    private final Node root;
    private volatile Hash32 rootHash;

    private MerklePatriciaTrie(Node root) {
        this.root = root;
    }

    public static MerklePatriciaTrie empty() {
        return EMPTY;
    }

    /**
     * The trie with this root hash, read lazily from {@code source}: nodes are fetched as lookups
     * and updates reach them. A node missing from the source surfaces as a
     * {@link MissingTrieNodeException} when it is needed, never as an absent key.
     */
    public static MerklePatriciaTrie load(Hash32 root, NodeSource source) {
        Objects.requireNonNull(source, "node source");
        if (root.equals(EMPTY_ROOT)) {
            return EMPTY;
        }
        MerklePatriciaTrie t = new MerklePatriciaTrie(new HashNode(root.toArray(), source));
        t.rootHash = root;
        return t;
    }

    /** Adds the nodes of this version that are not stored yet (see {@link TrieDelta}). */
    public void collectUnstored(TrieDelta delta) {
        root.collectUnstored(delta, true);
    }

    public boolean isEmpty() {
        return root instanceof EmptyNode;
    }

    /** The value under {@code key}, or null when absent. */
    public byte[] get(byte[] key) {
        Objects.requireNonNull(key, "trie key");
        byte[] v = root.get(Nibbles.fromBytes(key), 0);
        return v == null ? null : v.clone();
    }

    /**
     * The trie with {@code key} set to {@code value}. An empty value deletes the key, as in
     * Ethereum, where an empty value and an absent one are the same thing.
     */
    public MerklePatriciaTrie put(byte[] key, byte[] value) {
        Objects.requireNonNull(key, "trie key");
        Objects.requireNonNull(value, "trie value (use an empty array or remove() to delete)");
        if (value.length == 0) {
            return remove(key);
        }
        return with(root.put(Nibbles.fromBytes(key), 0, value.clone()));
    }

    /** The trie without {@code key}; this same instance when the key is absent. */
    public MerklePatriciaTrie remove(byte[] key) {
        Objects.requireNonNull(key, "trie key");
        return with(root.remove(Nibbles.fromBytes(key), 0));
    }

    private MerklePatriciaTrie with(Node newRoot) {
        if (newRoot == root) {
            return this;
        }
        return newRoot instanceof EmptyNode ? EMPTY : new MerklePatriciaTrie(newRoot);
    }

    public Hash32 rootHash() {
        Hash32 h = rootHash;
        if (h == null) {
            h = Hash32.wrap(root.hash());
            rootHash = h;
        }
        return h;
    }

    /** Calls {@code action(key, value)} for every entry in ascending unsigned key order. */
    public void forEach(BiConsumer<byte[], byte[]> action) {
        Objects.requireNonNull(action, "action");
        root.forEach(Nibbles.EMPTY, action);
    }

    @Override
    public String toString() {
        return "MerklePatriciaTrie[" + rootHash() + "]";
    }
}
