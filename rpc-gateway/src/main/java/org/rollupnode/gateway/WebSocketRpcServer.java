package org.rollupnode.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.rollupnode.chain.CanonicalChain;
import org.rollupnode.execution.block.Log;
import org.rollupnode.execution.builder.ExecutedTransaction;
import org.rollupnode.execution.tx.Transaction;
import org.rollupnode.gateway.rpc.JsonRpcDispatcher;
import org.rollupnode.gateway.rpc.JsonRpcException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JSON-RPC over WebSocket ({@code --ws}): every method of the enabled namespaces, plus
 * {@code eth_subscribe} (newHeads, logs, newPendingTransactions) and {@code eth_unsubscribe}.
 * Notifications are written from the chain and pool views' threads; a client that cannot keep up
 * (its write queue is full) is disconnected rather than buffered without bound.
 */
public final class WebSocketRpcServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("rollup_node::rpc");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    static final int MAX_SUBSCRIPTIONS_PER_CONNECTION = 128;

    private enum Kind { NEW_HEADS, LOGS, NEW_PENDING_TRANSACTIONS }

    private record Subscription(String id, Kind kind, LogFilter filter) {}

    private static final class Session {
        final ServerWebSocket socket;
        final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();

        Session(ServerWebSocket socket) {
            this.socket = socket;
        }
    }

    private final Vertx vertx;
    private final JsonRpcDispatcher dispatcher;
    private final String host;
    private final int port;
    private final long maxMessageBytes;
    private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
    private final ExecutorService workers = new ThreadPoolExecutor(4, 16, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(1024),
            r -> {
                Thread t = new Thread(r, "ws-worker");
                t.setDaemon(true);
                return t;
            });
    private HttpServer server;

    public WebSocketRpcServer(JsonRpcDispatcher dispatcher, String host, int port, long maxMessageBytes) {
        this.vertx = Vertx.vertx();
        this.dispatcher = dispatcher;
        this.host = host;
        this.port = port;
        this.maxMessageBytes = maxMessageBytes;
    }

    public int start() {
        HttpServerOptions options = new HttpServerOptions().setHost(host).setPort(port)
                .setMaxWebSocketMessageSize((int) Math.min(Integer.MAX_VALUE, maxMessageBytes))
                .setMaxWebSocketFrameSize(65_536);
        server = vertx.createHttpServer(options).webSocketHandler(this::onConnect);
        try {
            server.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("cannot bind WebSocket JSON-RPC to " + host + ":" + port + ": " + cause.getMessage(), cause);
        }
        LOG.info("WebSocket JSON-RPC listening on {}:{}", host, server.actualPort());
        return server.actualPort();
    }

    public int port() {
        return server == null ? -1 : server.actualPort();
    }

    private void onConnect(ServerWebSocket ws) {
        Session s = new Session(ws);
        sessions.add(s);
        ws.closeHandler(v -> sessions.remove(s));
        ws.exceptionHandler(e -> LOG.debug("WebSocket error: {}", e.getMessage()));
        ws.textMessageHandler(text -> onMessage(s, text));
        ws.binaryMessageHandler(buf -> onMessage(s, buf.toString(StandardCharsets.UTF_8)));
    }

    private void onMessage(Session s, String text) {
        try {
            workers.execute(() -> {
                String reply = handle(s, text);
                if (reply != null) {
                    send(s, reply);
                }
            });
        } catch (RejectedExecutionException e) {
            send(s, "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32005,\"message\":\"server busy\"}}");
        }
    }

    private String handle(Session s, String text) {
        JsonNode req = null;
        try {
            req = JSON.readTree(text);
        } catch (Exception notJsonOrBatch) {
            // the dispatcher answers parse errors in the standard way
        }
        if (req != null && req.isObject() && req.has("method")) {
            String method = req.get("method").asText();
            if (method.equals("eth_subscribe") || method.equals("eth_unsubscribe")) {
                JsonNode id = req.get("id");
                try {
                    Object result = method.equals("eth_subscribe") ? subscribe(s, req.get("params")) : unsubscribe(s, req.get("params"));
                    ObjectNode out = JSON.createObjectNode().put("jsonrpc", "2.0");
                    out.set("id", id);
                    out.set("result", JSON.valueToTree(result));
                    return out.toString();
                } catch (JsonRpcException e) {
                    ObjectNode out = JSON.createObjectNode().put("jsonrpc", "2.0");
                    out.set("id", id);
                    out.putObject("error").put("code", e.code()).put("message", e.getMessage());
                    return out.toString();
                }
            }
        }
        byte[] answer = dispatcher.handle(text.getBytes(StandardCharsets.UTF_8));
        return answer == null ? null : new String(answer, StandardCharsets.UTF_8);
    }

    private Object subscribe(Session s, JsonNode params) throws JsonRpcException {
        if (!dispatcher.isNamespaceEnabled("eth")) {
            throw JsonRpcException.methodNotFound("eth_subscribe");
        }
        if (params == null || !params.isArray() || params.isEmpty()) {
            throw JsonRpcException.invalidParams("eth_subscribe needs a subscription type: newHeads, logs or newPendingTransactions");
        }
        if (s.subscriptions.size() >= MAX_SUBSCRIPTIONS_PER_CONNECTION) {
            throw JsonRpcException.limitExceeded("at most " + MAX_SUBSCRIPTIONS_PER_CONNECTION + " subscriptions per connection");
        }
        String type = params.get(0).asText();
        Kind kind = switch (type) {
            case "newHeads" -> Kind.NEW_HEADS;
            case "logs" -> Kind.LOGS;
            case "newPendingTransactions" -> Kind.NEW_PENDING_TRANSACTIONS;
            default -> throw JsonRpcException.invalidParams("unsupported subscription type '" + type
                    + "': expected newHeads, logs or newPendingTransactions");
        };
        LogFilter filter = kind == Kind.LOGS ? LogFilter.parse(params.size() > 1 ? params.get(1) : null) : null;
        byte[] idBytes = new byte[16];
        RANDOM.nextBytes(idBytes);
        String id = "0x" + HexFormat.of().formatHex(idBytes);
        s.subscriptions.put(id, new Subscription(id, kind, filter));
        return id;
    }

    private Object unsubscribe(Session s, JsonNode params) throws JsonRpcException {
        if (params == null || !params.isArray() || params.isEmpty() || !params.get(0).isTextual()) {
            throw JsonRpcException.invalidParams("eth_unsubscribe needs a subscription id");
        }
        return s.subscriptions.remove(params.get(0).asText()) != null;
    }

    /** Called for every new block the chain view accepts. */
    public void onBlock(CanonicalChain.ChainBlock b) {
        if (sessions.isEmpty()) {
            return;
        }
        Map<String, Object> head = null;
        for (Session s : sessions) {
            for (Subscription sub : s.subscriptions.values()) {
                if (sub.kind() == Kind.NEW_HEADS) {
                    if (head == null) {
                        head = RpcFormat.block(b, false);
                        head.remove("transactions");
                        head.remove("uncles");
                        head.remove("size");
                        head.remove("totalDifficulty");
                    }
                    notify(s, sub, head);
                } else if (sub.kind() == Kind.LOGS && sub.filter().mayMatch(b.block().header().logsBloom())) {
                    for (ExecutedTransaction e : b.block().transactions()) {
                        @SuppressWarnings("unchecked")
                        var logs = (java.util.List<Map<String, Object>>) RpcFormat.receipt(e, b).get("logs");
                        for (int i = 0; i < e.receipt().logs().size(); i++) {
                            Log l = e.receipt().logs().get(i);
                            if (sub.filter().matches(l)) {
                                notify(s, sub, logs.get(i));
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * A revert took these blocks (lowest first) off the chain: {@code logs} subscribers get their
     * matching logs again with {@code removed: true}, oldest first, as geth sends them after a
     * reorg. {@code newHeads} subscribers get the replacement heads as they are imported.
     */
    public void onRevert(java.util.List<CanonicalChain.ChainBlock> reverted) {
        if (sessions.isEmpty()) {
            return;
        }
        for (CanonicalChain.ChainBlock b : reverted) {
            for (Session s : sessions) {
                for (Subscription sub : s.subscriptions.values()) {
                    if (sub.kind() != Kind.LOGS || !sub.filter().mayMatch(b.block().header().logsBloom())) {
                        continue;
                    }
                    for (ExecutedTransaction e : b.block().transactions()) {
                        @SuppressWarnings("unchecked")
                        var logs = (java.util.List<Map<String, Object>>) RpcFormat.receipt(e, b).get("logs");
                        for (int i = 0; i < e.receipt().logs().size(); i++) {
                            if (sub.filter().matches(e.receipt().logs().get(i))) {
                                Map<String, Object> removed = new java.util.LinkedHashMap<>(logs.get(i));
                                removed.put("removed", true);
                                notify(s, sub, removed);
                            }
                        }
                    }
                }
            }
        }
    }

    /** Called for every transaction that enters the pool view. */
    public void onPendingTransaction(Transaction tx) {
        for (Session s : sessions) {
            for (Subscription sub : s.subscriptions.values()) {
                if (sub.kind() == Kind.NEW_PENDING_TRANSACTIONS) {
                    notify(s, sub, tx.hash().toHex());
                }
            }
        }
    }

    private void notify(Session s, Subscription sub, Object result) {
        ObjectNode n = JSON.createObjectNode().put("jsonrpc", "2.0").put("method", "eth_subscription");
        ObjectNode params = n.putObject("params");
        params.put("subscription", sub.id());
        params.set("result", JSON.valueToTree(result));
        send(s, n.toString());
    }

    private void send(Session s, String text) {
        if (s.socket.writeQueueFull()) {
            LOG.warn("Closing a WebSocket client that does not read its messages (write queue full)");
            sessions.remove(s);
            s.socket.close((short) 1008, "too slow");
            return;
        }
        s.socket.writeTextMessage(text);
    }

    @Override
    public void close() {
        try {
            if (server != null) {
                server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
        } catch (Exception ignored) {
            // shutting down
        }
        workers.shutdownNow();
        vertx.close();
    }
}
