package org.rollupnode.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivex.disposables.Disposable;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthFeeHistory;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;
import org.web3j.protocol.websocket.WebSocketService;

/** Gateway methods beyond the basics, over HTTP and WebSocket, with web3j and raw HTTP. */
class GatewayApiTest {
    @TempDir
    Path tmp;

    @Test
    void webSocketSubscriptionsFeeHistoryLogsAndRpcErrors() throws Exception {
        String[] base = DevSequencerEndToEndTest.devArgs(tmp.resolve("n"));
        String[] extra = {"--ws", "--ws.addr", "127.0.0.1", "--ws.port", "0", "--ws.api", "eth,net,web3", "--metrics", "127.0.0.1:0"};
        String[] args = java.util.Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        try (RunningNode node = Main.startNode(args)) {
            Web3j http = Web3j.build(new HttpService("http://127.0.0.1:" + node.httpPort()));
            WebSocketService wsService = new WebSocketService("ws://127.0.0.1:" + node.gateway().webSocketPort(), false);
            wsService.connect();
            Web3j ws = Web3j.build(wsService);
            assertEquals(1337L, ws.ethChainId().send().getChainId().longValue(), "plain methods work over WebSocket");

            List<String> heads = new CopyOnWriteArrayList<>();
            List<String> pending = new CopyOnWriteArrayList<>();
            Disposable h = ws.newHeadsNotifications().subscribe(n -> heads.add(n.getParams().getResult().getHash()));
            Disposable p = wsService.subscribe(new org.web3j.protocol.core.Request<>("eth_subscribe", List.of("newPendingTransactions"),
                    wsService, org.web3j.protocol.core.methods.response.EthSubscribe.class), "eth_unsubscribe",
                    org.web3j.protocol.websocket.events.PendingTransactionNotification.class)
                    .subscribe(n -> pending.add(n.getParams().getResult()));
            String hash = http.ethSendRawTransaction(DevSequencerEndToEndTest.signedTransfer(DevSequencerEndToEndTest.DEV0, 0,
                    "0x" + "51".repeat(20), BigInteger.TWO)).send().getTransactionHash();
            TransactionReceipt r = DevSequencerEndToEndTest.awaitReceipt(http, hash, Duration.ofSeconds(10));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while ((heads.isEmpty() || pending.isEmpty()) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(heads.contains(r.getBlockHash()), "newHeads announced the block: " + heads);
            assertTrue(pending.contains(hash), "newPendingTransactions announced the hash: " + pending);
            h.dispose();
            p.dispose();

            EthFeeHistory.FeeHistory fh = http.ethFeeHistory(4, DefaultBlockParameterName.LATEST, List.of(50.0)).send().getFeeHistory();
            assertEquals(Math.min(r.getBlockNumber().intValue() + 1, 4) + 1, fh.getBaseFeePerGas().size(),
                    "one base fee per block plus the next one");
            BigInteger lastBaseFee = http.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false).send().getBlock().getBaseFeePerGas();
            assertEquals(lastBaseFee, fh.getBaseFeePerGas().get(fh.getBaseFeePerGas().size() - 2));
            assertEquals(BigInteger.valueOf(1_000), fh.getReward().get(fh.getReward().size() - 1).get(0), "the transfer's tip");

            // No contract emits logs yet (EVM pending): the filter machinery answers and limits apply.
            assertTrue(http.ethGetLogs(new EthFilter(DefaultBlockParameter.valueOf(BigInteger.ZERO), DefaultBlockParameterName.LATEST,
                    "0x" + "51".repeat(20))).send().getLogs().isEmpty());
            var tooWide = http.ethGetLogs(new EthFilter(DefaultBlockParameter.valueOf(BigInteger.ZERO),
                    DefaultBlockParameter.valueOf(BigInteger.valueOf(20_000)), List.of())).send();
            assertNotNull(tooWide.getError());
            assertTrue(tooWide.getError().getMessage().contains("max block range"), tooWide.getError().getMessage());

            // JSON-RPC framing errors through the real server.
            HttpClient client = HttpClient.newHttpClient();
            URI uri = URI.create("http://127.0.0.1:" + node.httpPort());
            assertTrue(post(client, uri, "{not json").contains("-32700"));
            assertTrue(post(client, uri, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"debug_traceTransaction\",\"params\":[]}").contains("-32601"),
                    "a namespace not enabled answers method not found");
            assertTrue(post(client, uri, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_getBalance\",\"params\":[\"0x12\"]}").contains("-32602"));
            String batch = post(client, uri, "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\"},{\"jsonrpc\":\"2.0\",\"id\":\"two\",\"method\":\"net_version\"}]");
            assertTrue(batch.contains("\"0x539\"") && batch.contains("\"1337\"") && batch.contains("\"two\""), batch);
            String invalidSender = post(client, uri, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_sendRawTransaction\",\"params\":[\"0x02f86b820539808203e8847735940082520894"
                    + "51".repeat(20) + "0280c080a0" + "00".repeat(32) + "a0" + "11".repeat(32) + "\"]}");
            assertTrue(invalidSender.contains("error"), invalidSender);
            // Prometheus metrics and readiness of every service in this process.
            URI metrics = URI.create("http://127.0.0.1:" + node.metricsPort());
            String scrape = client.send(HttpRequest.newBuilder(metrics.resolve("/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(scrape.contains("sequencer_blocks_built_total"), "blocks built counter");
            assertTrue(scrape.contains("rpc_request_seconds_count{gateway="), "RPC latency by method");
            assertTrue(scrape.contains("method=\"eth_sendRawTransaction\""), "RPC methods are labelled");
            assertTrue(scrape.contains("jvm_memory_used_bytes"), "JVM metrics");
            assertTrue(sample(scrape, "signer_blocks_signed_total") >= r.getBlockNumber().doubleValue(), "blocks signed\n" + scrape);
            assertTrue(sample(scrape, "signer_signing_seconds_count") >= r.getBlockNumber().doubleValue(), "signing latency");
            assertTrue(sample(scrape, "signer_head_block") >= r.getBlockNumber().doubleValue(), "signer head");
            assertEquals(0.0, sample(scrape, "sequencer_l1_messages_pending"), "no L1 configured: nothing pending");
            assertEquals(0.0, sample(scrape, "l1_connected"), "no L1 configured");
            double gatewayLag = sample(scrape, "kafka_consumer_records_lag{client_id=\"gateway-chain-view\",partition=\"0\",topic=\"signed-blocks\"}");
            assertTrue(gatewayLag >= 0 && gatewayLag < 5, "the gateway's chain view keeps up with signed-blocks: " + gatewayLag);
            // The gateway takes the blocks its own process's sequencer executed instead of executing them twice.
            assertTrue(sampleWith(scrape, "gateway_blocks_imported_total{", "execution=\"reused\"") >= r.getBlockNumber().doubleValue(),
                    "blocks taken from the sequencer in this process\n" + scrape);
            assertEquals(0.0, sampleWith(scrape, "gateway_blocks_imported_total{", "execution=\"reexecuted\""), "none executed twice");
            HttpResponse<String> ready = client.send(HttpRequest.newBuilder(metrics.resolve("/ready")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ready.statusCode(), ready.body());
            assertTrue(ready.body().contains("\"sequencer\":true") && ready.body().contains("\"rpc-gateway\":true"), ready.body());
            wsService.close();
            http.shutdown();
        }
    }

    /** The value of one Prometheus sample, by its name and labels as written in the scrape. */
    static double sample(String scrape, String nameAndLabels) {
        for (String line : scrape.split("\n")) {
            if (line.startsWith(nameAndLabels + " ")) {
                return Double.parseDouble(line.substring(nameAndLabels.length() + 1).trim());
            }
        }
        throw new AssertionError("no sample " + nameAndLabels + " in the scrape");
    }

    /** The value of the one sample whose name and labels start with {@code prefix} and contain {@code label}. */
    static double sampleWith(String scrape, String prefix, String label) {
        for (String line : scrape.split("\n")) {
            if (line.startsWith(prefix) && line.contains(label)) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1).trim());
            }
        }
        throw new AssertionError("no sample " + prefix + "…" + label + "… in the scrape");
    }

    static String post(HttpClient c, URI uri, String body) throws Exception {
        return c.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
