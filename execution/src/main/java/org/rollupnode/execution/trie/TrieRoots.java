package org.rollupnode.execution.trie;

import java.util.List;
import org.rollupnode.execution.rlp.Rlp;
import org.rollupnode.execution.types.Hash32;

/** Roots of the index-keyed tries in a block header (transactions, receipts, withdrawals). */
public final class TrieRoots {
    private TrieRoots() {}

    /**
     * Root of the trie mapping {@code rlp(i)} to {@code values.get(i)}. Values are the consensus
     * encodings as they are (a typed transaction or receipt is {@code type ‖ rlp}, not wrapped in
     * an RLP string).
     */
    public static Hash32 ordered(List<byte[]> values) {
        MerklePatriciaTrie trie = MerklePatriciaTrie.empty();
        for (int i = 0; i < values.size(); i++) {
            byte[] v = values.get(i);
            if (v == null || v.length == 0) {
                // Empty means delete in a trie: the root would silently skip the entry.
                throw new IllegalArgumentException("ordered trie value at index " + i + " is empty");
            }
            trie = trie.put(Rlp.encodeLong(i), v);
        }
        return trie.rootHash();
    }
}
