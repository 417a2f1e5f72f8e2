package org.rollupnode.execution.trie;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The nodes of one or more tries that a persistent store does not have yet, gathered after a
 * block so they can be written in one batch. Call {@link #markStored()} only once the batch is
 * durable: the next collection then skips them.
 */
public final class TrieDelta {
    private final Object store;
    private final List<Node> nodes = new ArrayList<>();
    private final List<byte[]> hashes = new ArrayList<>();
    private final List<byte[]> encodings = new ArrayList<>();

    /** @param store the identity of the store the nodes are collected for (its nodes are skipped) */
    public TrieDelta(Object store) {
        this.store = java.util.Objects.requireNonNull(store, "store");
    }

    Object store() {
        return store;
    }

    void add(Node node, byte[] hash, byte[] encoding) {
        nodes.add(node);
        hashes.add(hash);
        encodings.add(encoding);
    }

    /** Calls {@code action(hash, encoding)} for each collected node. */
    public void forEach(BiConsumer<byte[], byte[]> action) {
        for (int i = 0; i < nodes.size(); i++) {
            action.accept(hashes.get(i), encodings.get(i));
        }
    }

    public int size() {
        return nodes.size();
    }

    public void markStored() {
        for (Node n : nodes) {
            n.markStored(store);
        }
    }
}
