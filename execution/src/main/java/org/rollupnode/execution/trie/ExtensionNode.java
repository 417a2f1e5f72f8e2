package org.rollupnode.execution.trie;

import java.util.function.BiConsumer;

/** A shared run of nibbles in front of a branch. Its child is always a {@link BranchNode} (or a {@link HashNode} of one). */
final class ExtensionNode extends Node {
    private final byte[] path;
    private final Node child;

    ExtensionNode(byte[] path, Node child) {
        this.path = path;
        this.child = child;
    }

    @Override
    byte[] get(byte[] key, int pos) {
        return Nibbles.startsWith(key, pos, path) ? child.get(key, pos + path.length) : null;
    }

    @Override
    Node put(byte[] key, int pos, byte[] value) {
        int common = Nibbles.commonPrefix(path, key, pos);
        if (common == path.length) {
            Node newChild = child.put(key, pos + common, value);
            return newChild == child ? this : new ExtensionNode(path, newChild);
        }
        // Split the extension where the new key leaves it.
        Node[] children = new Node[16];
        byte[] branchValue = null;
        children[path[common]] = common + 1 == path.length
                ? child
                : new ExtensionNode(Nibbles.slice(path, common + 1, path.length), child);
        int at = pos + common;
        if (at == key.length) {
            branchValue = value;
        } else {
            children[key[at]] = new LeafNode(Nibbles.slice(key, at + 1, key.length), value);
        }
        Node branch = new BranchNode(children, branchValue);
        return common == 0 ? branch : new ExtensionNode(Nibbles.slice(path, 0, common), branch);
    }

    @Override
    Node remove(byte[] key, int pos) {
        if (!Nibbles.startsWith(key, pos, path)) {
            return this;
        }
        Node newChild = child.remove(key, pos + path.length);
        if (newChild == child) {
            return this;
        }
        // The branch below may have collapsed into a leaf or extension; absorb it.
        return newChild.withPrefix(path);
    }

    @Override
    void forEachChild(java.util.function.Consumer<Node> action) {
        action.accept(child);
    }

    @Override
    Node withPrefix(byte[] prefix) {
        return new ExtensionNode(Nibbles.concat(prefix, path), child);
    }

    @Override
    void forEach(byte[] prefix, BiConsumer<byte[], byte[]> action) {
        child.forEach(Nibbles.concat(prefix, path), action);
    }

    @Override
    byte[] encode() {
        byte[] hp = Nibbles.hexPrefix(path, false);
        byte[] childRef = child.ref();
        int payload = NodeRlp.stringLength(hp) + childRef.length;
        byte[] out = NodeRlp.newList(payload);
        int pos = NodeRlp.writeString(out, out.length - payload, hp);
        NodeRlp.writeRaw(out, pos, childRef);
        return out;
    }
}
