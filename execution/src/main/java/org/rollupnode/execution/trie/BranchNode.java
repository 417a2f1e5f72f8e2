package org.rollupnode.execution.trie;

import java.util.Arrays;
import java.util.function.BiConsumer;

/**
 * Sixteen child slots (null = empty) and an optional value for a key that ends here. Invariant:
 * at least two of the seventeen entries are present; {@link #collapse} restores it after a removal.
 */
final class BranchNode extends Node {
    private static final byte[] EMPTY_SLOT = {(byte) 0x80};

    private final Node[] children;
    private final byte[] value;

    /** Takes ownership of {@code children}; callers pass a fresh or cloned array. */
    BranchNode(Node[] children, byte[] value) {
        this.children = children;
        this.value = value;
    }

    @Override
    byte[] get(byte[] key, int pos) {
        if (pos == key.length) {
            return value;
        }
        Node child = children[key[pos]];
        return child == null ? null : child.get(key, pos + 1);
    }

    @Override
    Node put(byte[] key, int pos, byte[] newValue) {
        if (pos == key.length) {
            return Arrays.equals(value, newValue) ? this : new BranchNode(children, newValue);
        }
        int i = key[pos];
        Node old = children[i];
        Node updated = old == null
                ? new LeafNode(Nibbles.slice(key, pos + 1, key.length), newValue)
                : old.put(key, pos + 1, newValue);
        if (updated == old) {
            return this;
        }
        Node[] copy = children.clone();
        copy[i] = updated;
        return new BranchNode(copy, value);
    }

    @Override
    Node remove(byte[] key, int pos) {
        if (pos == key.length) {
            return value == null ? this : collapse(children, null);
        }
        int i = key[pos];
        Node old = children[i];
        if (old == null) {
            return this;
        }
        Node updated = old.remove(key, pos + 1);
        if (updated == old) {
            return this;
        }
        Node[] copy = children.clone();
        copy[i] = updated instanceof EmptyNode ? null : updated;
        return collapse(copy, value);
    }

    /** A branch left with a single entry is replaced by the equivalent leaf or extension. */
    private static Node collapse(Node[] children, byte[] value) {
        int count = 0;
        int last = -1;
        for (int i = 0; i < 16; i++) {
            if (children[i] != null) {
                count++;
                last = i;
            }
        }
        if (count + (value == null ? 0 : 1) >= 2) {
            return new BranchNode(children, value);
        }
        if (count == 0) {
            return value == null ? EmptyNode.INSTANCE : new LeafNode(Nibbles.EMPTY, value);
        }
        // A lone branch child becomes an extension, a lone leaf or extension absorbs the nibble.
        return children[last].withPrefix(new byte[] {(byte) last});
    }

    @Override
    void forEachChild(java.util.function.Consumer<Node> action) {
        for (Node c : children) {
            if (c != null) {
                action.accept(c);
            }
        }
    }

    @Override
    Node withPrefix(byte[] prefix) {
        return prefix.length == 0 ? this : new ExtensionNode(prefix, this);
    }

    @Override
    void forEach(byte[] prefix, BiConsumer<byte[], byte[]> action) {
        // A key ending here is a prefix of every key below, so it sorts first.
        if (value != null) {
            action.accept(Nibbles.toBytes(prefix), value.clone());
        }
        for (int i = 0; i < 16; i++) {
            if (children[i] != null) {
                children[i].forEach(Nibbles.concat(prefix, new byte[] {(byte) i}), action);
            }
        }
    }

    @Override
    byte[] encode() {
        byte[][] refs = new byte[16][];
        int payload = 0;
        for (int i = 0; i < 16; i++) {
            refs[i] = children[i] == null ? EMPTY_SLOT : children[i].ref();
            payload += refs[i].length;
        }
        byte[] v = value == null ? Nibbles.EMPTY : value;
        payload += NodeRlp.stringLength(v);
        byte[] out = NodeRlp.newList(payload);
        int pos = out.length - payload;
        for (byte[] r : refs) {
            pos = NodeRlp.writeRaw(out, pos, r);
        }
        NodeRlp.writeString(out, pos, v);
        return out;
    }
}
