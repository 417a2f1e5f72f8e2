package org.rollupnode.execution.block;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rollupnode.execution.rlp.Rlp;
import org.rollupnode.execution.rlp.RlpItem;
import org.rollupnode.execution.testutil.Fixtures;
import org.rollupnode.execution.trie.TrieRoots;
import org.rollupnode.execution.types.Address;
import org.rollupnode.execution.types.Hash32;
import org.rollupnode.execution.types.Hex;

/**
 * Receipts roots and blooms of fixture blocks whose receipts can be written down without running
 * the EVM: blocks with a single successful transaction (its cumulative gas is the block's gas
 * used) and log1_correct, whose contract emits one log that can be read off its bytecode.
 */
class ReceiptFixtureTest {

    /**
     * log1_correct: the callee's code is PUSH32 0xff…ff, PUSH1 0, MSTORE, PUSH1 0, PUSH1 0x20,
     * PUSH1 0, LOG1, STOP, i.e. LOG1(offset 0, size 32, topic 0): one log from the callee with
     * topic zero and 32 bytes of 0xff. The fixture's header holds the resulting bloom and root.
     */
    @Test
    void log1CorrectBloomAndReceiptsRoot() {
        JsonNode header = Fixtures.read("BlockchainTests/ValidBlocks/bcValidBlockTest/log1_correct.json")
                .get("log1_correct_Cancun").get("blocks").get(0).get("blockHeader");
        byte[] data = new byte[32];
        java.util.Arrays.fill(data, (byte) 0xff);
        Log log = new Log(Address.fromHex("0x095e7baea6a6c7c4c2dfeb977efac326af552d87"), List.of(Hash32.ZERO), data);
        Receipt receipt = new Receipt(Receipt.LEGACY, true, Long.decode(header.get("gasUsed").asText()), List.of(log));

        assertEquals(header.get("bloom").asText(), Bloom.of(List.of(log)).toHex());
        assertEquals(header.get("bloom").asText(), receipt.bloom().toHex());
        assertEquals(header.get("receiptTrie").asText(), TrieRoots.ordered(List.of(receipt.encode())).toHex());
        assertEquals(receipt, Receipt.decode(receipt.encode()));
    }

    /**
     * Tests whose transactions fail: in besuBaseFeeBug the callee's code is PUSH3 0x3fffff,
     * PUSH1 0, SHA3, which hashes 4 MiB of memory and runs out of gas (gasUsed == gasLimit).
     */
    private static final java.util.Set<String> FAILING = java.util.Set.of("besuBaseFeeBug_Cancun");

    /** Blocks with no transaction or a single one and an empty bloom, from the header fixtures. */
    static Stream<Arguments> simpleBlocks() {
        List<Arguments> out = new ArrayList<>();
        for (String file : BlockchainFixtureTest.FILES) {
            for (Iterator<Map.Entry<String, JsonNode>> it = Fixtures.read(file).fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> t = it.next();
                for (JsonNode block : t.getValue().get("blocks")) {
                    JsonNode h = block.get("blockHeader");
                    if (h == null || block.get("transactions").size() > 1 || !Bloom.fromHex(h.get("bloom").asText()).isEmpty()) {
                        continue;
                    }
                    String name = t.getKey() + ":block" + Long.decode(h.get("number").asText());
                    out.add(Arguments.of(Named.of(name, block.get("rlp").asText()), h, !FAILING.contains(t.getKey())));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("simpleBlocks")
    void singleTransactionReceiptsRoot(String blockRlpHex, JsonNode header, boolean success) {
        List<RlpItem> txs = Rlp.decode(Hex.decode(blockRlpHex)).list().get(1).list();
        List<byte[]> receipts = new ArrayList<>();
        if (!txs.isEmpty()) {
            RlpItem tx = txs.get(0);
            int type = tx.isList() ? Receipt.LEGACY : tx.bytes()[0] & 0xff;
            Receipt r = new Receipt(type, success, Long.decode(header.get("gasUsed").asText()), List.of());
            receipts.add(r.encode());
        }
        assertEquals(header.get("receiptTrie").asText(), TrieRoots.ordered(receipts).toHex());
    }
}
