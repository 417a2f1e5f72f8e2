package org.rollupnode.execution.trie;

import java.util.function.BiConsumer;

/** The empty trie. Appears only as a root; inside a branch an absent child is a null slot. */
final class EmptyNode extends Node {
    static final EmptyNode INSTANCE = new EmptyNode();
    private static final byte[] ENCODING = {(byte) 0x80};

    private EmptyNode() {}

    @Override
    byte[] get(byte[] key, int pos) {
        return null;
    }

    @Override
    Node put(byte[] key, int pos, byte[] value) {
        return new LeafNode(Nibbles.slice(key, pos, key.length), value);
    }

    @Override
    Node remove(byte[] key, int pos) {
        return this;
    }

    @Override
    Node withPrefix(byte[] prefix) {
        return this;
    }

    @Override
    void forEach(byte[] path, BiConsumer<byte[], byte[]> action) {}

    @Override
    void collectUnstored(TrieDelta delta, boolean root) {
        // the empty root is known to everyone, nothing to store
    }

    @Override
    byte[] encode() {
        return ENCODING.clone();
    }
}
