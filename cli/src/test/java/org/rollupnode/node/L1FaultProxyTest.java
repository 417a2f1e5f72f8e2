package org.rollupnode.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rollupnode.schemas.L1MessageQueued;
import org.rollupnode.schemas.EventCodec;
import org.rollupnode.schemas.Topics;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

/**
 * Issue 10: the L1 node is slow or answers with errors for a while, under an L2 transfer load. A
 * small HTTP proxy (the JDK's HttpServer) sits between the watcher and anvil and injects HTTP 500s,
 * JSON-RPC errors and multi-second delays. L2 blocks go on, {@code rollupNode_status} reports the
 * trouble, and afterwards every L1 message is in {@code l1-events} once, in queue order, and
 * included in L2 once; {@code rollup-node check} holds with the acknowledged L2 transfers.
 */
class L1FaultProxyTest {
    static final BigInteger ETH = BigInteger.TEN.pow(18);
    static final String RECIPIENT = "0x" + "e1".repeat(20);
    static final List<Credentials> SENDERS = DistributedDeploymentTest.SENDERS;

    enum Fault { NONE, HTTP_500, RPC_ERROR, SLOW }

    /** Forwards JSON-RPC POSTs to anvil, or fails them as told. */
    static final class FaultProxy implements AutoCloseable {
        private static final ObjectMapper JSON = new ObjectMapper();
        final HttpServer server;
        final HttpClient client = HttpClient.newHttpClient();
        final String target;
        volatile Fault fault = Fault.NONE;
        final AtomicLong injected = new AtomicLong();

        FaultProxy(String target) throws IOException {
            this.target = target;
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setExecutor(Executors.newFixedThreadPool(8));
            server.createContext("/", this::handle);
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        private void handle(HttpExchange ex) throws IOException {
            byte[] body = ex.getRequestBody().readAllBytes();
            Fault f = fault;
            try {
                switch (f) {
                    case HTTP_500 -> {
                        injected.incrementAndGet();
                        respond(ex, 500, "internal error (injected)".getBytes());
                        return;
                    }
                    case RPC_ERROR -> {
                        injected.incrementAndGet();
                        respond(ex, 200, rpcErrors(JSON.readTree(body)));
                        return;
                    }
                    case SLOW -> {
                        injected.incrementAndGet();
                        Thread.sleep(3_000);
                    }
                    default -> { }
                }
                HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(URI.create(target)).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
                respond(ex, r.statusCode(), r.body());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                respond(ex, 502, new byte[0]);
            } catch (IOException e) {
                respond(ex, 502, new byte[0]);
            }
        }

        private static byte[] rpcErrors(JsonNode request) throws IOException {
            if (request.isArray()) {
                ArrayNode out = JSON.createArrayNode();
                request.forEach(r -> out.add(rpcError(r)));
                return JSON.writeValueAsBytes(out);
            }
            return JSON.writeValueAsBytes(rpcError(request));
        }

        private static ObjectNode rpcError(JsonNode request) {
            ObjectNode e = JSON.createObjectNode().put("jsonrpc", "2.0");
            e.set("id", request.path("id"));
            e.putObject("error").put("code", -32603).put("message", "header not found (injected)");
            return e;
        }

        private static void respond(HttpExchange ex, int code, byte[] body) throws IOException {
            ex.getResponseHeaders().set("Content-Type", code == 200 ? "application/json" : "text/plain");
            ex.sendResponseHeaders(code, body.length == 0 ? -1 : body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    @TempDir
    Path tmp;

    static void await(String what, Duration timeout, BooleanSupplier c) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> l1Status(HttpService http) {
        try {
            return (Map<String, Object>) TxpoolAndControlTest.call(http, "rollupNode_status").get("l1");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static long height(Web3j web3) {
        try {
            return web3.ethBlockNumber().send().getBlockNumber().longValue();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void l2GoesOnWhileL1IsSlowOrFailingAndTheWatcherRecoversWithoutDuplicatesOrGaps() throws Exception {
        L1Anvil l1 = L1Anvil.start();
        List<String> l1Hashes = new ArrayList<>();
        try (FaultProxy proxy = new FaultProxy(l1.url())) {
            for (int i = 0; i < 2; i++) {
                l1.enqueue(RECIPIENT, ETH, 100_000, new byte[0]);
                l1Hashes.add(L1InclusionTest.l1MessageHash(i, 100_000, RECIPIENT, ETH, new byte[0]));
            }
            l1.mine(2);
            List<String> args = new ArrayList<>(List.of(DevSequencerEndToEndTest.devArgs(tmp.resolve("n"))));
            args.addAll(List.of("--l1.url", proxy.url(), "--l1.message-queue-address", l1.queue, "--sequencer.l1-inclusion-mode", "depth:2"));
            try (RunningNode node = Main.startNode(args.toArray(new String[0]))) {
                String rpc = "http://127.0.0.1:" + node.httpPort();
                HttpService http = new HttpService(rpc);
                Web3j web3 = Web3j.build(http);
                List<String> accepted = Collections.synchronizedList(new ArrayList<>());
                AtomicBoolean load = new AtomicBoolean(true);
                Thread loader = new Thread(() -> {
                    long[] nonces = new long[SENDERS.size()];
                    while (load.get()) {
                        for (int i = 0; i < SENDERS.size(); i++) {
                            try {
                                var r = web3.ethSendRawTransaction(DevSequencerEndToEndTest.signedTransfer(SENDERS.get(i), nonces[i],
                                        "0x" + "dd".repeat(20), BigInteger.ONE)).send();
                                if (r.getError() == null) {
                                    accepted.add(r.getTransactionHash());
                                    nonces[i]++;
                                }
                            } catch (IOException ignored) {
                                // not acknowledged: not counted
                            }
                        }
                        try {
                            Thread.sleep(100);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });
                loader.start();
                for (String h : l1Hashes) {
                    DevSequencerEndToEndTest.awaitReceipt(web3, h, Duration.ofSeconds(60));
                }
                await("L1 connected", Duration.ofSeconds(30), () -> Boolean.TRUE.equals(l1Status(http).get("connected")));

                // HTTP 500s, then JSON-RPC errors: messages 2 and 3 are queued on L1 meanwhile (straight to anvil).
                for (Fault f : List.of(Fault.HTTP_500, Fault.RPC_ERROR)) {
                    int index = l1Hashes.size();
                    l1.enqueue(RECIPIENT, ETH, 100_000, new byte[0]);
                    l1Hashes.add(L1InclusionTest.l1MessageHash(index, 100_000, RECIPIENT, ETH, new byte[0]));
                    l1.mine(2);
                    long injectedBefore = proxy.injected.get();
                    proxy.fault = f;
                    await("the status to report L1 trouble under " + f, Duration.ofSeconds(60), () -> {
                        Map<String, Object> s = l1Status(http);
                        return Boolean.FALSE.equals(s.get("connected")) && s.get("lastError") != null;
                    });
                    long h = height(web3);
                    await("L2 blocks to go on under " + f, Duration.ofSeconds(60), () -> height(web3) >= h + 3);
                    assertTrue(proxy.injected.get() > injectedBefore + 2, "the watcher kept retrying: " + proxy.injected.get());
                    System.out.println("L1FaultProxyTest under " + f + ": " + l1Status(http));
                    proxy.fault = Fault.NONE;
                    await("L1 connected again after " + f, Duration.ofSeconds(60), () -> Boolean.TRUE.equals(l1Status(http).get("connected")));
                }
                // Slow: every L1 request takes 3 s for a while; L2 does not wait for it.
                int index = l1Hashes.size();
                l1.enqueue(RECIPIENT, ETH, 100_000, new byte[0]);
                l1Hashes.add(L1InclusionTest.l1MessageHash(index, 100_000, RECIPIENT, ETH, new byte[0]));
                l1.mine(2);
                proxy.fault = Fault.SLOW;
                long h = height(web3);
                await("L2 blocks to go on while L1 is slow", Duration.ofSeconds(60), () -> height(web3) >= h + 5 && proxy.injected.get() > 0);
                long slowSeen = proxy.injected.get();
                await("several slow L1 answers", Duration.ofSeconds(60), () -> proxy.injected.get() >= slowSeen + 3);
                proxy.fault = Fault.NONE;

                for (String hash : l1Hashes) {
                    DevSequencerEndToEndTest.awaitReceipt(web3, hash, Duration.ofSeconds(90));
                }
                load.set(false);
                loader.join();

                // l1-events: each queue index exactly once, in order.
                List<Long> indexes = new ArrayList<>();
                for (var r : UndecodableRecordTest.readAll(node.bootstrapServers(), Topics.L1_EVENTS.name())) {
                    if (EventCodec.L1_EVENT.decode(r.value()) instanceof L1MessageQueued m) {
                        indexes.add(m.queueIndex());
                    }
                }
                assertEquals(List.of(0L, 1L, 2L, 3L, 4L), indexes, "l1-events without duplicates or gaps");

                Path hashes = tmp.resolve("acknowledged.txt");
                Files.write(hashes, new ArrayList<>(accepted));
                StringWriter out = new StringWriter();
                int code = 1;
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (System.nanoTime() < deadline) {
                    out = new StringWriter();
                    code = Main.run(new PrintWriter(out, true), new PrintWriter(out, true), "check", "--kafka.bootstrap-servers",
                            node.bootstrapServers(), "--chain", "dev", "--hashes", hashes.toString(), "--consensus.authorized-signer",
                            "0x5dacf18b826a8697f4a7ecb7bcb5effd3e0cbf3c", "--gateway", rpc);
                    if (code == 0) {
                        break;
                    }
                    Thread.sleep(1_000);
                }
                assertEquals(0, code, out.toString());
                assertTrue(accepted.size() > 50, "steady L2 load: " + accepted.size());
                System.out.printf("L1FaultProxyTest: %d L2 transfers acknowledged, %d L1 messages, %d faulty L1 answers injected, head %d%n",
                        accepted.size(), l1Hashes.size(), proxy.injected.get(), height(web3));
                web3.shutdown();
            }
        } finally {
            l1.close();
        }
    }
}
