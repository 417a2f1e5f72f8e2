package org.rollupnode.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;

/**
 * The gateway keeps only its newest blocks as objects and archives older ones on disk; through
 * JSON-RPC an archived block, its transactions and receipts read exactly as they did before.
 */
class GatewayBlockArchiveTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    static JsonNode call(HttpClient http, int port, String method, String params) throws Exception {
        String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method + "\",\"params\":" + params + "}";
        String answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()).body();
        JsonNode result = JSON.readTree(answer).path("result");
        assertFalse(result.isMissingNode() || result.isNull(), method + " " + params + " answered " + answer);
        return result;
    }

    @Test
    void anArchivedBlockIsServedExactlyAsBefore() throws Exception {
        Path archiveDir = tmp.resolve("archive");
        System.setProperty("rollupnode.gateway.blocks-in-memory", "2");
        System.setProperty("rollupnode.gateway.archive-dir", archiveDir.toString());
        RunningNode node;
        try {
            String[] base = DevSequencerEndToEndTest.devArgs(tmp.resolve("n"));
            String[] args = java.util.Arrays.copyOf(base, base.length + 1);
            args[base.length] = "--sequencer.allow-empty-blocks"; // the chain moves on without more transactions
            node = Main.startNode(args);
        } finally {
            System.clearProperty("rollupnode.gateway.blocks-in-memory");
            System.clearProperty("rollupnode.gateway.archive-dir");
        }
        try (node) {
            int port = node.httpPort();
            Web3j web3 = Web3j.build(new HttpService("http://127.0.0.1:" + port));
            String hash = web3.ethSendRawTransaction(DevSequencerEndToEndTest.signedTransfer(DevSequencerEndToEndTest.DEV0, 0,
                    "0x" + "61".repeat(20), BigInteger.valueOf(11))).send().getTransactionHash();
            TransactionReceipt r = DevSequencerEndToEndTest.awaitReceipt(web3, hash, Duration.ofSeconds(10));
            String number = "\"0x" + r.getBlockNumber().toString(16) + "\"";
            HttpClient http = HttpClient.newHttpClient();
            List<String> queries = List.of("eth_getBlockByNumber", "[" + number + ",true]", "eth_getBlockByHash",
                    "[\"" + r.getBlockHash() + "\",false]", "eth_getTransactionReceipt", "[\"" + hash + "\"]", "eth_getTransactionByHash",
                    "[\"" + hash + "\"]", "eth_getBlockReceipts", "[" + number + "]");
            JsonNode[] before = new JsonNode[queries.size() / 2];
            for (int i = 0; i < before.length; i++) {
                before[i] = call(http, port, queries.get(2 * i), queries.get(2 * i + 1));
            }
            // Two blocks stay in memory: wait until this one is three below the head.
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (web3.ethBlockNumber().send().getBlockNumber().longValue() < r.getBlockNumber().longValue() + 3) {
                assertTrue(System.nanoTime() < deadline, "the chain did not advance");
                Thread.sleep(200);
            }
            try (Stream<Path> dirs = Files.list(archiveDir)) {
                assertEquals(1, dirs.filter(d -> d.getFileName().toString().startsWith("blocks-")).count(), "the gateway's archive");
            }
            for (int i = 0; i < before.length; i++) {
                assertEquals(before[i], call(http, port, queries.get(2 * i), queries.get(2 * i + 1)),
                        queries.get(2 * i) + " of an archived block");
            }
            assertEquals(DevSequencerEndToEndTest.DEV0.getAddress(), before[3].path("from").asText(), "the sender survives the archive");
        }
        try (Stream<Path> dirs = Files.list(archiveDir)) {
            assertEquals(0, dirs.count(), "the archive is deleted when the node stops");
        }
    }
}
