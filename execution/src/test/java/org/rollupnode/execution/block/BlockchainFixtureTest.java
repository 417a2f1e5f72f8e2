package org.rollupnode.execution.block;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
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
import org.rollupnode.execution.rlp.Rlp;
import org.rollupnode.execution.rlp.RlpItem;
import org.rollupnode.execution.testutil.Fixtures;
import org.rollupnode.execution.testutil.RlpReencoder;
import org.rollupnode.execution.trie.TrieRoots;
import org.rollupnode.execution.types.Hex;

/**
 * Header hashing and body roots against ethereum/tests BlockchainTests (Cancun headers, which
 * carry all four post-London optional fields). Receipts roots need execution, except for blocks
 * whose receipts can be written down by hand; those are in {@link ReceiptFixtureTest}.
 */
class BlockchainFixtureTest {
    static final List<String> FILES = List.of(
            "BlockchainTests/ValidBlocks/bcExample/basefeeExample.json",
            "BlockchainTests/ValidBlocks/bcExample/mergeExample.json",
            "BlockchainTests/ValidBlocks/bcExample/optionsTest.json",
            "BlockchainTests/ValidBlocks/bcExample/shanghaiExample.json",
            "BlockchainTests/ValidBlocks/bcEIP1559/besuBaseFeeBug.json",
            "BlockchainTests/ValidBlocks/bcEIP1559/burnVerify.json",
            "BlockchainTests/ValidBlocks/bcEIP1559/transType.json",
            "BlockchainTests/ValidBlocks/bcValidBlockTest/SimpleTx.json",
            "BlockchainTests/ValidBlocks/bcValidBlockTest/eip2930.json",
            "BlockchainTests/ValidBlocks/bcValidBlockTest/log1_correct.json");

    /** One case per block, genesis included: (name, block RLP hex, expected header JSON). */
    static Stream<Arguments> blocks() {
        List<Arguments> out = new ArrayList<>();
        for (String file : FILES) {
            String shortFile = file.substring(file.lastIndexOf('/') + 1);
            for (Iterator<Map.Entry<String, JsonNode>> it = Fixtures.read(file).fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> t = it.next();
                JsonNode test = t.getValue();
                out.add(Arguments.of(Named.of(shortFile + ":" + t.getKey() + ":genesis",
                        test.get("genesisRLP").asText()), test.get("genesisBlockHeader"), null));
                for (JsonNode block : test.get("blocks")) {
                    if (!block.has("blockHeader")) {
                        continue; // an invalid block, rejected by execution; nothing to hash
                    }
                    String number = block.get("blockHeader").get("number").asText();
                    out.add(Arguments.of(Named.of(shortFile + ":" + t.getKey() + ":block" + Long.decode(number),
                            block.get("rlp").asText()), block.get("blockHeader"), block.get("withdrawals")));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("blocks")
    void headerHashAndRoots(String blockRlpHex, JsonNode expected, JsonNode withdrawalsJson) {
        byte[] blockRlp = Hex.decode(blockRlpHex);
        byte[] headerRlp = firstListElement(blockRlp);

        BlockHeader header = BlockHeader.decode(headerRlp);
        assertEquals(expected.get("hash").asText(), header.hash().toHex(), "block hash");
        assertArrayEquals(headerRlp, header.rlp(), "re-encoded header");
        assertFields(expected, header);
        assertEquals(header, header.toBuilder().build(), "toBuilder round trip");

        List<RlpItem> block = Rlp.decode(blockRlp).list();
        List<byte[]> txs = new ArrayList<>();
        for (RlpItem tx : block.get(1).list()) {
            // A typed transaction sits in the body as a string holding type ‖ payload; a legacy
            // one as a list whose encoding is the transaction itself.
            txs.add(tx.isList() ? RlpReencoder.encode(tx) : tx.bytes());
        }
        assertEquals(expected.get("transactionsTrie").asText(), TrieRoots.ordered(txs).toHex(), "transactions root");

        if (block.size() > 3) {
            List<byte[]> withdrawals = new ArrayList<>();
            for (RlpItem w : block.get(3).list()) {
                withdrawals.add(RlpReencoder.encode(w));
            }
            assertEquals(withdrawalsJson == null ? 0 : withdrawalsJson.size(), withdrawals.size());
            assertEquals(expected.get("withdrawalsRoot").asText(), TrieRoots.ordered(withdrawals).toHex(),
                    "withdrawals root");
        }
    }

    /** Decoding must put every field where the fixture's JSON says it is. */
    private static void assertFields(JsonNode e, BlockHeader h) {
        assertEquals(e.get("parentHash").asText(), h.parentHash().toHex());
        assertEquals(e.get("uncleHash").asText(), h.ommersHash().toHex());
        assertEquals(e.get("coinbase").asText(), h.coinbase().toHex());
        assertEquals(e.get("stateRoot").asText(), h.stateRoot().toHex());
        assertEquals(e.get("transactionsTrie").asText(), h.transactionsRoot().toHex());
        assertEquals(e.get("receiptTrie").asText(), h.receiptsRoot().toHex());
        assertEquals(e.get("bloom").asText(), h.logsBloom().toHex());
        assertEquals(big(e, "difficulty"), h.difficulty());
        assertEquals(big(e, "number"), BigInteger.valueOf(h.number()));
        assertEquals(big(e, "gasLimit"), BigInteger.valueOf(h.gasLimit()));
        assertEquals(big(e, "gasUsed"), BigInteger.valueOf(h.gasUsed()));
        assertEquals(big(e, "timestamp"), BigInteger.valueOf(h.timestamp()));
        assertEquals(e.get("extraData").asText(), Hex.encode(h.extraData()));
        assertEquals(e.get("mixHash").asText(), h.mixHash().toHex());
        assertEquals(big(e, "nonce"), new BigInteger(Long.toUnsignedString(h.nonce())));
        assertEquals(big(e, "baseFeePerGas"), h.baseFeePerGas());
        assertEquals(text(e, "withdrawalsRoot"), h.withdrawalsRoot() == null ? null : h.withdrawalsRoot().toHex());
        assertEquals(big(e, "blobGasUsed"), h.blobGasUsed() == null ? null : BigInteger.valueOf(h.blobGasUsed()));
        assertEquals(big(e, "excessBlobGas"), h.excessBlobGas() == null ? null : BigInteger.valueOf(h.excessBlobGas()));
        assertEquals(text(e, "parentBeaconBlockRoot"),
                h.parentBeaconBlockRoot() == null ? null : h.parentBeaconBlockRoot().toHex());
    }

    private static BigInteger big(JsonNode e, String field) {
        String s = text(e, field);
        return s == null ? null : new BigInteger(s.substring(2), 16);
    }

    private static String text(JsonNode e, String field) {
        JsonNode n = e.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }

    /** Raw bytes of the first item inside an RLP list (the header inside a block). */
    static byte[] firstListElement(byte[] listRlp) {
        int b = listRlp[0] & 0xff;
        int start = b < 0xf8 ? 1 : 1 + (b - 0xf7);
        int len = Rlp.itemLength(listRlp, start);
        return Arrays.copyOfRange(listRlp, start, start + len);
    }
}
