package org.rollupnode.execution.state;

import org.rollupnode.execution.trie.MerklePatriciaTrie;
import org.rollupnode.execution.trie.NodeSource;
import org.rollupnode.execution.types.Hash32;

/** A persistent store a {@link WorldState} is read from lazily: trie nodes by hash and code by code hash. */
public interface StateSource extends NodeSource {
    /** The bytecode with this hash, or null when the store does not have it. */
    byte[] code(Hash32 codeHash);

    /** The storage trie with this root; a store may hand out a cached instance (tries are immutable). */
    default MerklePatriciaTrie storageTrie(Hash32 root) {
        return MerklePatriciaTrie.load(root, this);
    }
}
