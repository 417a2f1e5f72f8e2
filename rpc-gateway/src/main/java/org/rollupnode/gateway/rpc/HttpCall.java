package org.rollupnode.gateway.rpc;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;

/**
 * One POST body on its way through the worker pool. Parsing and running happen on a worker; the
 * event loop only arms the deadline and writes bytes. Whichever of worker and deadline comes first
 * answers; the other is ignored.
 */
final class HttpCall implements Runnable {

    private final Vertx vertx;
    private final Context eventLoop;
    private final HttpServerRequest request;
    private final JsonRpcDispatcher dispatcher;
    private final byte[] body;
    private final long receivedAt = System.nanoTime();

    private JsonRpcExchange exchange; // guarded by this
    private boolean abandoned;        // guarded by this
    private long timerId = -1;        // event loop only

    HttpCall(Vertx vertx, Context eventLoop, HttpServerRequest request, JsonRpcDispatcher dispatcher, byte[] body) {
        this.vertx = vertx;
        this.eventLoop = eventLoop;
        this.request = request;
        this.dispatcher = dispatcher;
        this.body = body;
    }

    /** Event loop: the deadline counts from now, so time spent queued for a worker counts too. */
    void armDeadline(Duration timeout) {
        long millis = Math.max(1, timeout.toMillis());
        timerId = vertx.setTimer(millis, id -> {
            timerId = -1;
            JsonRpcDispatcher.LOG.warn("JSON-RPC request timed out after {} ms", millis);
            abandon(JsonRpcException.resourceUnavailable("request timed out after " + millis + " ms"));
        });
    }

    /** Worker thread. */
    @Override
    public void run() {
        try {
            JsonRpcExchange ex = dispatcher.open(body);
            synchronized (this) {
                if (abandoned) {
                    return;
                }
                exchange = ex;
            }
            ex.run();
            if (ex.finish()) {
                send(ex.response());
            }
        } catch (RuntimeException | Error e) {
            // the dispatcher already contains handler failures; this is a bug in this layer
            JsonRpcDispatcher.LOG.error("JSON-RPC request failed outside any method", e);
            abandon(JsonRpcException.internal("internal error"));
        }
    }

    /**
     * Answers now with {@code error} for every call not finished yet: on deadline, or when no worker
     * could take the request. If the worker has not parsed the body yet, the body is parsed here so
     * the answers carry the right ids.
     */
    void abandon(JsonRpcException error) {
        JsonRpcExchange ex;
        synchronized (this) {
            ex = exchange;
            abandoned = true;
        }
        if (ex == null) {
            ex = dispatcher.open(body);
        }
        if (ex.expire(error)) {
            send(ex.response());
        }
    }

    private void send(byte[] response) {
        eventLoop.runOnContext(v -> {
            if (timerId >= 0) {
                vertx.cancelTimer(timerId);
                timerId = -1;
            }
            write(request, 200, response);
            if (JsonRpcDispatcher.LOG.isTraceEnabled()) {
                JsonRpcDispatcher.LOG.trace("answered {} bytes in {} us", response == null ? 0 : response.length,
                        (System.nanoTime() - receivedAt) / 1000);
            }
        });
    }

    /** Event loop. A null body is an empty 200, geth's answer to a body of notifications. */
    static void write(HttpServerRequest request, int status, byte[] body) {
        HttpServerResponse response = request.response();
        if (response.ended() || response.closed()) {
            return; // the client went away
        }
        response.setStatusCode(status);
        if (body == null) {
            response.end();
        } else {
            response.putHeader("Content-Type", "application/json");
            response.end(Buffer.buffer(body));
        }
    }
}
