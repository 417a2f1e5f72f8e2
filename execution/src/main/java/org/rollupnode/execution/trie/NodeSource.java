package org.rollupnode.execution.trie;

/**
 * Where trie nodes that are not in memory are read from: a persistent store keyed by node hash.
 * Implementations must be safe for concurrent readers.
 */
@FunctionalInterface
public interface NodeSource {
    /** The RLP encoding of the node with this keccak hash, or null when the store does not have it. */
    byte[] node(byte[] hash);
}
