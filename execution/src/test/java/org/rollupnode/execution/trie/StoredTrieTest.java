package org.rollupnode.execution.trie;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rollupnode.execution.crypto.Keccak;
import org.rollupnode.execution.rlp.Rlp;
import org.rollupnode.execution.types.Hash32;

/**
 * A trie written node by node into a hash-keyed store and opened again from its root: same root,
 * same contents, and updates on the reopened trie (which resolve nodes lazily) still agree with
 * the naive reference root.
 */
class StoredTrieTest {
    private static final byte[] ALPHABET = {0x00, 0x01, 0x10, 0x11, (byte) 0xff};

    /** A store is a map from hash to encoding; the test counts reads to show laziness. */
    private static final class MapStore implements NodeSource {
        final Map<String, byte[]> nodes = new HashMap<>();
        int reads;

        @Override
        public byte[] node(byte[] hash) {
            reads++;
            byte[] n = nodes.get(Arrays.toString(hash));
            return n == null ? null : n.clone();
        }

        int write(MerklePatriciaTrie t) {
            TrieDelta d = new TrieDelta(this);
            t.collectUnstored(d);
            d.forEach((h, enc) -> {
                assertArrayEquals(h, Keccak.hash256(enc), "a node is stored under the hash of its encoding");
                nodes.put(Arrays.toString(h), enc);
            });
            d.markStored();
            return d.size();
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6})
    void reopenedTrieKeepsRootContentsAndUpdates(int seed) {
        Random rnd = new Random(seed);
        MapStore store = new MapStore();
        TreeMap<byte[], byte[]> model = new TreeMap<>(Arrays::compareUnsigned);
        MerklePatriciaTrie trie = MerklePatriciaTrie.empty();
        for (int step = 0; step < 600; step++) {
            byte[] key = new byte[rnd.nextInt(5)];
            for (int i = 0; i < key.length; i++) {
                key[i] = ALPHABET[rnd.nextInt(ALPHABET.length)];
            }
            if (rnd.nextInt(10) < 6) {
                byte[] v = new byte[1 + rnd.nextInt(rnd.nextBoolean() ? 3 : 40)];
                rnd.nextBytes(v);
                model.put(key, v);
                trie = trie.put(key, v);
            } else {
                model.remove(key);
                trie = trie.remove(key);
            }
            if (step % 25 == 24) {
                store.write(trie);
                Hash32 root = trie.rootHash();
                trie = MerklePatriciaTrie.load(root, store);
                assertEquals(root, trie.rootHash());
            }
            assertEquals(TrieReferenceTest.referenceRoot(model), trie.rootHash(), "root after step " + step);
        }
        for (Map.Entry<byte[], byte[]> e : model.entrySet()) {
            assertArrayEquals(e.getValue(), trie.get(e.getKey()));
        }
        List<byte[]> keys = new ArrayList<>();
        trie.forEach((k, v) -> keys.add(k));
        assertEquals(model.size(), keys.size());
    }

    @Test
    void secondWriteStoresOnlyTheChangedPathAndReadsAreLazy() {
        MapStore store = new MapStore();
        MerklePatriciaTrie t = MerklePatriciaTrie.empty();
        for (int i = 0; i < 5000; i++) {
            t = t.put(Keccak.hash256(Rlp.encodeLong(i)), Rlp.encodeLong(i + 1));
        }
        int first = store.write(t);
        assertTrue(first > 5000, "every leaf (none embeds: 32-byte keys) and branch written, got " + first);
        assertEquals(0, store.write(t), "nothing new the second time");

        MerklePatriciaTrie loaded = MerklePatriciaTrie.load(t.rootHash(), store);
        assertEquals(0, store.reads, "opening reads nothing");
        byte[] key = Keccak.hash256(Rlp.encodeLong(77));
        assertArrayEquals(Rlp.encodeLong(78), loaded.get(key));
        int pathReads = store.reads;
        assertTrue(pathReads >= 2 && pathReads <= 6, "a lookup reads only its path, read " + pathReads);

        MerklePatriciaTrie next = loaded.put(key, Rlp.encodeLong(1_000_000));
        int written = store.write(next);
        assertTrue(written >= 2 && written <= 6, "one changed path, wrote " + written);
        MerklePatriciaTrie reference = t.put(key, Rlp.encodeLong(1_000_000));
        assertEquals(reference.rootHash(), next.rootHash());
        assertArrayEquals(Rlp.encodeLong(1_000_000), MerklePatriciaTrie.load(next.rootHash(), store).get(key));
        // The old version is still complete in the store: nothing was overwritten.
        assertArrayEquals(Rlp.encodeLong(78), MerklePatriciaTrie.load(t.rootHash(), store).get(key));
    }

    @Test
    void aSecondStoreGetsEveryNodeEvenWhenTheyAreSharedWithTheFirst() {
        MapStore a = new MapStore();
        MapStore b = new MapStore();
        MerklePatriciaTrie t = MerklePatriciaTrie.empty();
        for (int i = 0; i < 300; i++) {
            t = t.put(Keccak.hash256(Rlp.encodeLong(i)), Rlp.encodeLong(i));
        }
        int all = a.write(t);
        assertEquals(all, b.write(t), "nodes marked for store a are still written to store b");
        // a trie opened from a is copied whole into b
        MapStore c = new MapStore();
        assertEquals(all, c.write(MerklePatriciaTrie.load(t.rootHash(), a)));
        assertArrayEquals(Rlp.encodeLong(9), MerklePatriciaTrie.load(t.rootHash(), c).get(Keccak.hash256(Rlp.encodeLong(9))));
    }

    @Test
    void smallRootIsStoredUnderItsHash() {
        MapStore store = new MapStore();
        MerklePatriciaTrie t = MerklePatriciaTrie.empty().put(new byte[] {1}, new byte[] {2});
        assertEquals(1, store.write(t));
        MerklePatriciaTrie loaded = MerklePatriciaTrie.load(t.rootHash(), store);
        assertArrayEquals(new byte[] {2}, loaded.get(new byte[] {1}));
        assertNull(loaded.get(new byte[] {3}));
        assertEquals(0, store.write(MerklePatriciaTrie.empty()));
        assertTrue(MerklePatriciaTrie.load(MerklePatriciaTrie.EMPTY_ROOT, store).isEmpty());
    }

    @Test
    void missingOrCorruptNodeIsAnErrorNotAnAbsentKey() {
        MapStore store = new MapStore();
        MerklePatriciaTrie built = MerklePatriciaTrie.empty();
        for (int i = 0; i < 100; i++) {
            built = built.put(Keccak.hash256(Rlp.encodeLong(i)), Rlp.encodeLong(i + 1));
        }
        MerklePatriciaTrie t = built;
        store.write(t);
        byte[] key = Keccak.hash256(Rlp.encodeLong(5));

        MissingTrieNodeException missing = assertThrows(MissingTrieNodeException.class,
                () -> MerklePatriciaTrie.load(Hash32.wrap(Keccak.hash256(new byte[] {9})), store).get(key));
        assertTrue(missing.getMessage().contains("is not in the state store"), missing.getMessage());

        String rootKey = Arrays.toString(t.rootHash().toArray());
        byte[] enc = store.nodes.get(rootKey).clone();
        enc[enc.length - 1] ^= 1;
        store.nodes.put(rootKey, enc);
        MissingTrieNodeException corrupt = assertThrows(MissingTrieNodeException.class,
                () -> MerklePatriciaTrie.load(t.rootHash(), store).get(key));
        assertTrue(corrupt.getMessage().contains("corrupt"), corrupt.getMessage());
    }
}
