package org.rollupnode.execution.trie;

import org.rollupnode.execution.types.Hex;

/**
 * A trie node referenced by hash could not be read back: absent from the store, or its bytes do
 * not hash to the reference (a corrupt store). Never answered with a guess: the state is unusable.
 */
public final class MissingTrieNodeException extends RuntimeException {
    private final byte[] hash;

    MissingTrieNodeException(byte[] hash, String why) {
        super("trie node " + Hex.encode(hash) + " " + why);
        this.hash = hash.clone();
    }

    public byte[] hash() {
        return hash.clone();
    }
}
