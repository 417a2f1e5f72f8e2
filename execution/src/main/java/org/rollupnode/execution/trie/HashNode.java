package org.rollupnode.execution.trie;

import java.util.Arrays;
import java.util.function.BiConsumer;
import org.rollupnode.execution.crypto.Keccak;

/**
 * A subtree known only by its hash, read from a {@link NodeSource} the first time it is walked.
 * Lets a trie of any size be opened from a stored root without loading it: a lookup reads only
 * the nodes on its path. The decoded node is kept once read, so the part of the trie actually
 * used stays in memory as long as a version referencing it does.
 */
final class HashNode extends Node {
    private final byte[] hash;
    private final NodeSource source;
    private volatile Node resolved;

    HashNode(byte[] hash, NodeSource source) {
        super(refOf(hash));
        this.hash = hash;
        this.source = source;
        markStored(source); // it came from the store
    }

    private static byte[] refOf(byte[] hash) {
        byte[] r = new byte[HASH_REF_LENGTH];
        r[0] = (byte) 0xa0;
        System.arraycopy(hash, 0, r, 1, 32);
        return r;
    }

    Node resolve() {
        Node n = resolved;
        if (n == null) {
            byte[] enc = source.node(hash);
            if (enc == null) {
                throw new MissingTrieNodeException(hash, "is not in the state store");
            }
            if (!Arrays.equals(Keccak.hash256(enc), hash)) {
                throw new MissingTrieNodeException(hash, "was read back with bytes that hash to something else (corrupt state store)");
            }
            n = NodeDecoder.decode(enc, source);
            n.markStored(source);
            resolved = n;
        }
        return n;
    }

    @Override
    byte[] get(byte[] key, int pos) {
        return resolve().get(key, pos);
    }

    @Override
    Node put(byte[] key, int pos, byte[] value) {
        Node r = resolve();
        Node updated = r.put(key, pos, value);
        return updated == r ? this : updated;
    }

    @Override
    Node remove(byte[] key, int pos) {
        Node r = resolve();
        Node updated = r.remove(key, pos);
        return updated == r ? this : updated;
    }

    @Override
    Node withPrefix(byte[] prefix) {
        return prefix.length == 0 ? this : resolve().withPrefix(prefix);
    }

    @Override
    void forEach(byte[] path, BiConsumer<byte[], byte[]> action) {
        resolve().forEach(path, action);
    }

    @Override
    byte[] encode() {
        return resolve().encode();
    }

    @Override
    void forEachChild(java.util.function.Consumer<Node> action) {
        resolve().forEachChild(action);
    }

    @Override
    void collectUnstored(TrieDelta delta, boolean root) {
        if (delta.store() != source) {
            super.collectUnstored(delta, root); // copying a trie between stores: walk it all
        }
    }
}
