package org.rollupnode.execution.trie;

import java.util.Arrays;
import java.util.function.BiConsumer;

/** The rest of one key and its value. */
final class LeafNode extends Node {
    private final byte[] path;
    private final byte[] value;

    LeafNode(byte[] path, byte[] value) {
        this.path = path;
        this.value = value;
    }

    @Override
    byte[] get(byte[] key, int pos) {
        return Nibbles.equalsSuffix(path, key, pos) ? value : null;
    }

    @Override
    Node put(byte[] key, int pos, byte[] newValue) {
        int common = Nibbles.commonPrefix(path, key, pos);
        int remaining = key.length - pos;
        if (common == path.length && common == remaining) {
            return Arrays.equals(value, newValue) ? this : new LeafNode(path, newValue);
        }
        // The keys diverge (or one ends) after `common` nibbles: a branch goes there.
        Node[] children = new Node[16];
        byte[] branchValue = null;
        if (common == path.length) {
            branchValue = value;
        } else {
            children[path[common]] = new LeafNode(Nibbles.slice(path, common + 1, path.length), value);
        }
        if (common == remaining) {
            branchValue = newValue;
        } else {
            int at = pos + common;
            children[key[at]] = new LeafNode(Nibbles.slice(key, at + 1, key.length), newValue);
        }
        Node branch = new BranchNode(children, branchValue);
        return common == 0 ? branch : new ExtensionNode(Nibbles.slice(path, 0, common), branch);
    }

    @Override
    Node remove(byte[] key, int pos) {
        return Nibbles.equalsSuffix(path, key, pos) ? EmptyNode.INSTANCE : this;
    }

    @Override
    Node withPrefix(byte[] prefix) {
        return new LeafNode(Nibbles.concat(prefix, path), value);
    }

    @Override
    void forEach(byte[] prefix, BiConsumer<byte[], byte[]> action) {
        action.accept(Nibbles.toBytes(Nibbles.concat(prefix, path)), value.clone());
    }

    @Override
    byte[] encode() {
        byte[] hp = Nibbles.hexPrefix(path, true);
        int payload = NodeRlp.stringLength(hp) + NodeRlp.stringLength(value);
        byte[] out = NodeRlp.newList(payload);
        int pos = NodeRlp.writeString(out, out.length - payload, hp);
        NodeRlp.writeString(out, pos, value);
        return out;
    }
}
