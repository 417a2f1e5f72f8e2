package org.rollupnode.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rollupnode.kafka.KafkaSettings;
import org.rollupnode.schemas.EventCodec;
import org.rollupnode.schemas.L1Event;
import org.rollupnode.schemas.L1MessageQueued;
import org.rollupnode.schemas.L1Unwind;
import org.rollupnode.schemas.SequencerControl;
import org.rollupnode.schemas.SequencerRevert;
import org.rollupnode.schemas.SignedRevert;
import org.rollupnode.schemas.Topics;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;

/**
 * {@code rollupNodeAdmin_revertToL1Block} end to end with a real L1 (anvil) and the whole node: the
 * request goes through {@code sequencer-control}; the watcher unwinds {@code l1-events} and re-reads
 * L1; the sequencer reverts the L2 blocks holding L1 messages from above the block with an explicit
 * revert record that the signer, the gateway and replay apply; the messages and the reverted L2
 * transaction are included again; nothing is repeated after a restart. Bad input gets clear errors.
 */
class RevertToL1BlockTest {
    private static final BigInteger ETH = L1InclusionTest.ETH;
    private static final String RECIPIENT = L1InclusionTest.RECIPIENT;

    @TempDir
    Path tmp;

    /** The raw JSON-RPC response (result or error). */
    static JsonNode call(int port, String method, Object... params) throws Exception {
        String body = L1InclusionTest.JSON.writeValueAsString(Map.of("jsonrpc", "2.0", "id", 1, "method", method, "params", List.of(params)));
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        return L1InclusionTest.JSON.readTree(r.body());
    }

    private static void assertRefused(int port, Object param, int code, String text) throws Exception {
        JsonNode r = call(port, "rollupNodeAdmin_revertToL1Block", param);
        assertTrue(r.has("error"), "refused: " + param + " -> " + r);
        assertEquals(code, r.path("error").path("code").asInt(), r.toString());
        assertTrue(r.path("error").path("message").asText().contains(text), r.toString());
    }

    @Test
    void revertToL1BlockUnwindsL1AndRevertsL2ExplicitlyRefusesBadInputAndIsNotRepeatedAfterRestart() throws Exception {
        L1Anvil l1 = L1Anvil.start(); // the queue contract is L1 block 1
        Path datadir = tmp.resolve("n");
        String[] args = L1InclusionTest.args(datadir, l1, "depth:1", null);
        try {
            l1.enqueue(RECIPIENT, ETH, 100_000, new byte[0]);                    // queue index 0, L1 block 2
            l1.enqueue(RECIPIENT, ETH.multiply(BigInteger.TWO), 100_000, new byte[0]); // queue index 1, L1 block 3
            l1.mine(1); // head 4, finalized 2 (--slots-in-an-epoch 1)
            String h0 = L1InclusionTest.l1MessageHash(0, 100_000, RECIPIENT, ETH, new byte[0]);
            String h1 = L1InclusionTest.l1MessageHash(1, 100_000, RECIPIENT, ETH.multiply(BigInteger.TWO), new byte[0]);
            long b1;
            String oldBlockHashB1;
            TransactionReceipt l2;
            String bootstrap;
            try (RunningNode node = Main.startNode(args)) {
                int port = node.httpPort();
                bootstrap = node.bootstrapServers();
                Web3j web3 = Web3j.build(new HttpService("http://127.0.0.1:" + port));
                TransactionReceipt r1 = DevSequencerEndToEndTest.awaitReceipt(web3, h1, Duration.ofSeconds(40));
                b1 = r1.getBlockNumber().longValueExact();
                long b0 = L1InclusionTest.receipt(web3, h0).orElseThrow().getBlockNumber().longValueExact();
                oldBlockHashB1 = r1.getBlockHash();
                l2 = L1InclusionTest.l2Transfer(web3, 0); // an L2 transaction at or above b1
                assertTrue(l2.getBlockNumber().longValueExact() >= b1);
                assertEquals(ETH.multiply(BigInteger.valueOf(3)), L1InclusionTest.balance(web3, RECIPIENT));
                L1InclusionTest.await("the gateway to see L1 head 4 and finalized 2", Duration.ofSeconds(20),
                        () -> L1InclusionTest.rpc(port, "rollupNode_status").path("l1"),
                        s -> s.path("processed").asLong() >= 4 && s.path("finalized").asLong() >= 2);
                long finalized = L1InclusionTest.rpc(port, "rollupNode_status").path("l1").path("finalized").asLong();

                // Bad input: negative, not a number, above the L1 head, below finalized.
                assertRefused(port, -1, -32602, "non-negative integer L1 block number");
                assertRefused(port, "latest", -32602, "blockNumber");
                assertRefused(port, 1_000, -32602, "Failed to revert to L1 block 1000: block 1000 is above the L1 head");
                assertRefused(port, finalized - 1, -32602, "below the finalized L1 block " + finalized);
                JsonNode none = call(port, "rollupNodeAdmin_revertToL1Block");
                assertEquals(-32602, none.path("error").path("code").asInt(), none.toString());
                assertEquals(List.of(), controlRecords(bootstrap), "refused requests write nothing");

                // Unwind to L1 block 2: message 1 (L1 block 3) left L2 with its block and comes back after the re-read.
                assertTrue(L1InclusionTest.rpc(port, "rollupNodeAdmin_revertToL1Block", 2).asBoolean());
                SequencerRevert rv = L1InclusionTest.await("a revert record in the sequencer stream", Duration.ofSeconds(30),
                        () -> reverts(bootstrap).stream().findFirst().orElse(null), r -> true);
                assertEquals(b1 - 1, rv.revertToNumber(), rv.toString());
                assertEquals(1, rv.firstRemovedQueueIndex());
                assertEquals(3, rv.l1BlockNumber(), "message 1 was queued in L1 block 3");
                assertEquals(b0 == b1 ? 0 : 1, rv.nextL1QueueIndex(), "message 0 goes too when it shared the block");
                assertTrue(rv.reason().contains("rollupNodeAdmin_revertToL1Block(2)"), rv.reason());

                TransactionReceipt again = L1InclusionTest.await("message 1 included again", Duration.ofSeconds(30),
                        () -> L1InclusionTest.receipt(web3, h1).orElse(null), r -> !r.getBlockHash().equals(oldBlockHashB1));
                assertTrue(again.getBlockNumber().longValueExact() >= b1);
                TransactionReceipt l2again = L1InclusionTest.await("the reverted L2 transfer included again", Duration.ofSeconds(30),
                        () -> L1InclusionTest.receipt(web3, l2.getTransactionHash()).orElse(null),
                        r -> !r.getBlockHash().equals(l2.getBlockHash()));
                assertTrue(l2again.getBlockNumber().longValueExact() >= b1);
                assertNotEquals(oldBlockHashB1, web3.ethGetBlockByNumber(DefaultBlockParameter.valueOf(BigInteger.valueOf(b1)), false)
                        .send().getBlock().getHash());
                assertEquals(ETH.multiply(BigInteger.valueOf(3)), L1InclusionTest.balance(web3, RECIPIENT), "each deposit credited once");
                JsonNode lastRevert = L1InclusionTest.rpc(port, "rollupNode_status").path("lastRevert");
                assertEquals(b1 - 1, lastRevert.path("revertToNumber").asLong(), lastRevert.toString());

                // The audit trail: the request, the watcher's unwind naming it, the re-read, the signer's copy of the revert.
                List<ConsumerRecord<String, byte[]>> control = L1InclusionTest.readAll(kafka(bootstrap), Topics.SEQUENCER_CONTROL.name());
                List<SequencerControl> requests = controlRecords(bootstrap);
                assertEquals(1, requests.size());
                assertEquals(2L, requests.get(0).l1BlockNumber());
                long requestOffset = control.get(control.size() - 1).offset();
                List<L1Event> l1Events = l1Events(bootstrap);
                List<L1Unwind> unwinds = l1Events.stream().filter(e -> e instanceof L1Unwind).map(e -> (L1Unwind) e).toList();
                assertEquals(1, unwinds.size(), String.valueOf(unwinds));
                assertEquals(2, unwinds.get(0).toNumber());
                assertEquals(requestOffset, unwinds.get(0).controlOffset());
                assertEquals(l1.web3j.ethGetBlockByNumber(DefaultBlockParameter.valueOf(BigInteger.TWO), false).send().getBlock().getHash(),
                        unwinds.get(0).toHash());
                List<Long> reread = l1Events.subList(l1Events.indexOf(unwinds.get(0)), l1Events.size()).stream()
                        .filter(e -> e instanceof L1MessageQueued).map(e -> ((L1MessageQueued) e).queueIndex()).toList();
                assertEquals(List.of(1L), reread, "the watcher re-read L1 from block 3");
                L1InclusionTest.await("the signer's copy of the revert", Duration.ofSeconds(20), () -> signedReverts(bootstrap),
                        l -> l.equals(List.of(rv)));
                web3.shutdown();
            }

            // Restart: the request is carried out already (sequencer offset in its transaction, watcher offset in l1-events).
            try (RunningNode node = Main.startNode(args)) {
                int port = node.httpPort();
                Web3j web3 = Web3j.build(new HttpService("http://127.0.0.1:" + port));
                TransactionReceipt after = L1InclusionTest.l2Transfer(web3, 1);
                assertTrue(after.getBlockNumber().longValueExact() > b1);
                l1.enqueue(RECIPIENT, ETH, 100_000, new byte[0]); // queue index 2, L1 block 5
                l1.mine(1);
                DevSequencerEndToEndTest.awaitReceipt(web3, L1InclusionTest.l1MessageHash(2, 100_000, RECIPIENT, ETH, new byte[0]),
                        Duration.ofSeconds(30));
                assertEquals(1, reverts(node.bootstrapServers()).size(), "no second revert after the restart");
                assertEquals(1, l1Events(node.bootstrapServers()).stream().filter(e -> e instanceof L1Unwind).count(), "no second unwind");
                assertEquals(ETH.multiply(BigInteger.valueOf(4)), L1InclusionTest.balance(web3, RECIPIENT));
                web3.shutdown();

                StringWriter out = new StringWriter();
                int code = Main.run(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true), "replay", "--kafka.bootstrap-servers",
                        node.bootstrapServers(), "--chain", "dev", "--report", tmp.resolve("replay.json").toString());
                assertEquals(0, code, out.toString());
            }
        } finally {
            l1.close();
        }
    }

    private static KafkaSettings kafka(String bootstrap) {
        return new KafkaSettings(bootstrap, Map.of());
    }

    static List<SequencerRevert> reverts(String bootstrap) {
        List<SequencerRevert> out = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : L1InclusionTest.readAll(kafka(bootstrap), Topics.SEQUENCER_STREAM.name())) {
            if (EventCodec.SEQUENCER_STREAM.decode(r.value()) instanceof SequencerRevert rv) {
                out.add(rv);
            }
        }
        return out;
    }

    static List<SequencerRevert> signedReverts(String bootstrap) {
        List<SequencerRevert> out = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : L1InclusionTest.readAll(kafka(bootstrap), Topics.SIGNED_BLOCKS.name())) {
            if (EventCodec.SIGNED_BLOCKS.decode(r.value()) instanceof SignedRevert sr) {
                out.add(sr.revert());
            }
        }
        return out;
    }

    static List<SequencerControl> controlRecords(String bootstrap) {
        return L1InclusionTest.readAll(kafka(bootstrap), Topics.SEQUENCER_CONTROL.name()).stream()
                .map(r -> EventCodec.SEQUENCER_CONTROL.decode(r.value()))
                .filter(c -> c.action() == SequencerControl.Action.REVERT_TO_L1_BLOCK).toList();
    }

    static List<L1Event> l1Events(String bootstrap) {
        return L1InclusionTest.readAll(kafka(bootstrap), Topics.L1_EVENTS.name()).stream().map(r -> EventCodec.L1_EVENT.decode(r.value()))
                .toList();
    }
}
