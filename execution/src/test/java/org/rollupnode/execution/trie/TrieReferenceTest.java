package org.rollupnode.execution.trie;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
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
 * Random updates checked against a deliberately naive reference: the root recomputed from scratch
 * out of a sorted map, straight from the yellow paper's definition, sharing no code with the trie.
 */
class TrieReferenceTest {

    /** Keys over a tiny alphabet of random short lengths, so prefixes, branch values and deep collapses are common. */
    private static final byte[] ALPHABET = {0x00, 0x01, 0x10, 0x11, (byte) 0xff};

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void randomUpdatesMatchReference(int seed) {
        Random rnd = new Random(seed);
        TreeMap<byte[], byte[]> model = new TreeMap<>(Arrays::compareUnsigned);
        MerklePatriciaTrie trie = MerklePatriciaTrie.empty();
        List<MerklePatriciaTrie> versions = new ArrayList<>();
        List<Hash32> versionRoots = new ArrayList<>();
        for (int step = 0; step < 400; step++) {
            byte[] key = randomKey(rnd, model);
            if (rnd.nextInt(10) < 6) {
                byte[] value = randomValue(rnd);
                model.put(key, value);
                trie = trie.put(key, value);
            } else {
                model.remove(key);
                trie = rnd.nextBoolean() ? trie.remove(key) : trie.put(key, new byte[0]);
            }
            assertEquals(referenceRoot(model), trie.rootHash(), "root after step " + step);
            assertEquals(model.isEmpty(), trie.isEmpty());
            if (step % 20 == 0) {
                assertContents(model, trie);
                versions.add(trie);
                versionRoots.add(trie.rootHash());
            }
        }
        // Older versions are untouched by everything that came after them.
        for (int i = 0; i < versions.size(); i++) {
            assertEquals(versionRoots.get(i), versions.get(i).rootHash());
        }
    }

    @Test
    void secureKeysThenDeleteEverything() {
        TreeMap<byte[], byte[]> model = new TreeMap<>(Arrays::compareUnsigned);
        MerklePatriciaTrie trie = MerklePatriciaTrie.empty();
        for (int i = 0; i < 2000; i++) {
            byte[] key = Keccak.hash256(Rlp.encodeLong(i));
            byte[] value = Rlp.encodeLong(i * 1_000_003L);
            model.put(key, value);
            trie = trie.put(key, value);
        }
        assertEquals(referenceRoot(model), trie.rootHash());
        assertContents(model, trie);
        for (byte[] key : new ArrayList<>(model.keySet())) {
            trie = trie.remove(key);
        }
        assertEquals(MerklePatriciaTrie.EMPTY_ROOT, trie.rootHash());
        assertSame(MerklePatriciaTrie.empty(), trie);
    }

    @Test
    void unchangedOperationsReturnTheSameInstance() {
        MerklePatriciaTrie t = MerklePatriciaTrie.empty().put(new byte[] {1, 2}, new byte[] {3});
        assertSame(t, t.put(new byte[] {1, 2}, new byte[] {3}));
        assertSame(t, t.remove(new byte[] {1}));
        assertSame(t, t.remove(new byte[] {1, 2, 3}));
        assertNull(t.get(new byte[] {1}));
    }

    @Test
    void valuesAreCopied() {
        byte[] value = {7};
        MerklePatriciaTrie t = MerklePatriciaTrie.empty().put(new byte[] {1}, value);
        value[0] = 8;
        t.get(new byte[] {1})[0] = 9;
        assertArrayEquals(new byte[] {7}, t.get(new byte[] {1}));
    }

    @Test
    void emptyRootConstantAndNullChecks() {
        assertEquals("0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421",
                MerklePatriciaTrie.EMPTY_ROOT.toHex());
        assertEquals(MerklePatriciaTrie.EMPTY_ROOT, MerklePatriciaTrie.empty().rootHash());
        assertEquals(MerklePatriciaTrie.EMPTY_ROOT, TrieRoots.ordered(List.of()));
        assertThrows(NullPointerException.class, () -> MerklePatriciaTrie.empty().put(new byte[] {1}, null));
        assertThrows(IllegalArgumentException.class, () -> TrieRoots.ordered(List.of(new byte[0])));
    }

    /** Ordered roots over 0..n-1: rlp(0) = 0x80 sorts after rlp(1..127), the classic trap. */
    @Test
    void orderedRootMatchesReference() {
        List<byte[]> values = new ArrayList<>();
        TreeMap<byte[], byte[]> model = new TreeMap<>(Arrays::compareUnsigned);
        for (int i = 0; i < 300; i++) {
            byte[] v = Keccak.hash256(Rlp.encodeLong(i));
            values.add(v);
            model.put(Rlp.encodeLong(i), v);
        }
        assertEquals(referenceRoot(model), TrieRoots.ordered(values));
    }

    private static void assertContents(TreeMap<byte[], byte[]> model, MerklePatriciaTrie trie) {
        for (Map.Entry<byte[], byte[]> e : model.entrySet()) {
            assertArrayEquals(e.getValue(), trie.get(e.getKey()));
        }
        List<byte[]> keys = new ArrayList<>();
        List<byte[]> values = new ArrayList<>();
        trie.forEach((k, v) -> {
            keys.add(k);
            values.add(v);
        });
        assertEquals(model.size(), keys.size());
        int i = 0;
        for (Map.Entry<byte[], byte[]> e : model.entrySet()) {
            assertArrayEquals(e.getKey(), keys.get(i), "key order at " + i);
            assertArrayEquals(e.getValue(), values.get(i));
            i++;
        }
    }

    private static byte[] randomKey(Random rnd, TreeMap<byte[], byte[]> model) {
        if (!model.isEmpty() && rnd.nextInt(3) == 0) {
            List<byte[]> keys = new ArrayList<>(model.keySet());
            return keys.get(rnd.nextInt(keys.size()));
        }
        byte[] k = new byte[rnd.nextInt(5)];
        for (int i = 0; i < k.length; i++) {
            k[i] = ALPHABET[rnd.nextInt(ALPHABET.length)];
        }
        return k;
    }

    private static byte[] randomValue(Random rnd) {
        // Short values keep nodes under 32 bytes (embedded); long ones force hashing.
        byte[] v = new byte[1 + rnd.nextInt(rnd.nextBoolean() ? 3 : 40)];
        rnd.nextBytes(v);
        return v;
    }

    // ---- reference implementation ----

    static Hash32 referenceRoot(TreeMap<byte[], byte[]> model) {
        List<byte[][]> entries = new ArrayList<>();
        for (Map.Entry<byte[], byte[]> e : model.entrySet()) {
            entries.add(new byte[][] {toNibbles(e.getKey()), e.getValue()});
        }
        byte[] root = entries.isEmpty() ? Rlp.EMPTY_STRING : node(entries, 0);
        return Hash32.wrap(Keccak.hash256(root));
    }

    private static byte[] node(List<byte[][]> entries, int depth) {
        if (entries.size() == 1) {
            byte[] rest = Arrays.copyOfRange(entries.get(0)[0], depth, entries.get(0)[0].length);
            return Rlp.encodeList(Rlp.encodeBytes(compact(rest, true)), Rlp.encodeBytes(entries.get(0)[1]));
        }
        int common = Integer.MAX_VALUE;
        byte[] first = entries.get(0)[0];
        for (byte[][] e : entries) {
            int c = 0;
            while (depth + c < first.length && depth + c < e[0].length && first[depth + c] == e[0][depth + c]) {
                c++;
            }
            common = Math.min(common, c);
        }
        if (common > 0) {
            byte[] shared = Arrays.copyOfRange(first, depth, depth + common);
            return Rlp.encodeList(Rlp.encodeBytes(compact(shared, false)), ref(node(entries, depth + common)));
        }
        byte[][] items = new byte[17][];
        items[16] = Rlp.EMPTY_STRING;
        for (int n = 0; n < 16; n++) {
            List<byte[][]> sub = new ArrayList<>();
            for (byte[][] e : entries) {
                if (e[0].length > depth && e[0][depth] == n) {
                    sub.add(e);
                }
            }
            items[n] = sub.isEmpty() ? Rlp.EMPTY_STRING : ref(node(sub, depth + 1));
        }
        for (byte[][] e : entries) {
            if (e[0].length == depth) {
                items[16] = Rlp.encodeBytes(e[1]);
            }
        }
        return Rlp.encodeList(items);
    }

    private static byte[] ref(byte[] encoded) {
        return encoded.length < 32 ? encoded : Rlp.encodeBytes(Keccak.hash256(encoded));
    }

    private static byte[] toNibbles(byte[] key) {
        byte[] n = new byte[key.length * 2];
        for (int i = 0; i < key.length; i++) {
            n[2 * i] = (byte) ((key[i] & 0xff) / 16);
            n[2 * i + 1] = (byte) ((key[i] & 0xff) % 16);
        }
        return n;
    }

    /** Hex-prefix, written the long way: flag nibbles then the path, packed in pairs. */
    private static byte[] compact(byte[] nibbles, boolean leaf) {
        int flags = (leaf ? 2 : 0) + (nibbles.length % 2);
        byte[] all = new byte[nibbles.length % 2 == 1 ? nibbles.length + 1 : nibbles.length + 2];
        all[0] = (byte) flags;
        System.arraycopy(nibbles, 0, all, all.length - nibbles.length, nibbles.length);
        byte[] out = new byte[all.length / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) (all[2 * i] * 16 + all[2 * i + 1]);
        }
        return out;
    }
}
