package org.rollupnode.execution.trie;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rollupnode.execution.crypto.Keccak;
import org.rollupnode.execution.testutil.Fixtures;
import org.rollupnode.execution.types.Hex;

/** ethereum/tests TrieTests: the root after applying each fixture's inserts and deletes. */
class TrieFixtureTest {

    static Stream<Arguments> rootCases() {
        List<Arguments> out = new ArrayList<>();
        for (String file : List.of("trietest.json", "trieanyorder.json", "trietest_secureTrie.json",
                "trieanyorder_secureTrie.json", "hex_encoded_securetrie_test.json")) {
            boolean secure = file.contains("secure");
            JsonNode tests = Fixtures.read("TrieTests/" + file);
            for (Iterator<Map.Entry<String, JsonNode>> it = tests.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> t = it.next();
                out.add(Arguments.of(Named.of(file + ":" + t.getKey(), t.getValue()), secure));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rootCases")
    void root(JsonNode test, boolean secure) {
        boolean hexEncoded = test.path("hexEncoded").asBoolean(false);
        List<byte[][]> ops = new ArrayList<>();
        JsonNode in = test.get("in");
        if (in.isArray()) {
            // Ordered list of [key, value]; a null value deletes.
            for (JsonNode pair : in) {
                ops.add(new byte[][] {bytes(pair.get(0), hexEncoded), bytes(pair.get(1), hexEncoded)});
            }
        } else {
            for (Iterator<Map.Entry<String, JsonNode>> it = in.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                ops.add(new byte[][] {text(e.getKey(), hexEncoded), bytes(e.getValue(), hexEncoded)});
            }
        }
        MerklePatriciaTrie trie = MerklePatriciaTrie.empty();
        for (byte[][] op : ops) {
            byte[] key = secure ? Keccak.hash256(op[0]) : op[0];
            trie = op[1] == null ? trie.remove(key) : trie.put(key, op[1]);
        }
        assertEquals(test.get("root").asText(), trie.rootHash().toHex());
    }

    /**
     * trietestnextprev.json asks for the neighbours of a key in key order; it checks the order
     * of {@link MerklePatriciaTrie#forEach}, the only ordered access the trie offers.
     */
    static Stream<Arguments> nextPrevCases() {
        JsonNode basic = Fixtures.read("TrieTests/trietestnextprev.json").get("basic");
        List<Arguments> out = new ArrayList<>();
        for (JsonNode t : basic.get("tests")) {
            out.add(Arguments.of(Named.of("nextprev:" + t.get(0).asText(), t), basic.get("in")));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nextPrevCases")
    void nextPrev(JsonNode t, JsonNode keys) {
        MerklePatriciaTrie trie = MerklePatriciaTrie.empty();
        for (JsonNode k : keys) {
            byte[] kb = k.asText().getBytes(StandardCharsets.UTF_8);
            trie = trie.put(kb, kb);
        }
        List<byte[]> ordered = new ArrayList<>();
        trie.forEach((k, v) -> ordered.add(k));
        byte[] probe = t.get(0).asText().getBytes(StandardCharsets.UTF_8);
        String prev = "";
        String next = "";
        for (byte[] k : ordered) {
            int c = Arrays.compareUnsigned(k, probe);
            if (c < 0) {
                prev = new String(k, StandardCharsets.UTF_8);
            } else if (c > 0 && next.isEmpty()) {
                next = new String(k, StandardCharsets.UTF_8);
            }
        }
        assertEquals(t.get(1).asText(), prev, "previous key");
        assertEquals(t.get(2).asText(), next, "next key");
    }

    private static byte[] bytes(JsonNode n, boolean hexEncoded) {
        return n == null || n.isNull() ? null : text(n.asText(), hexEncoded);
    }

    /** Fixture convention: "0x…" is hex, anything else is the string's own bytes. */
    private static byte[] text(String s, boolean hexEncoded) {
        if (hexEncoded || s.startsWith("0x")) {
            return Hex.decode(s);
        }
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
