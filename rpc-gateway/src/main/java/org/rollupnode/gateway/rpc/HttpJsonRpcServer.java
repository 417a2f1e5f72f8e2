package org.rollupnode.gateway.rpc;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import java.net.BindException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JSON-RPC over HTTP on Vert.x. The event loop only moves bytes: bodies are parsed and methods run
 * on a bounded worker pool, because methods may block (state reads; a worker also waits for the
 * deferred results of its body, e.g. the Kafka acknowledgements of a batch). When the
 * pool and its queue are full a request is answered -32005 "server busy" at once, so overload
 * shows up as fast errors, not as unbounded memory and latency.
 */
public final class HttpJsonRpcServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("rollup_node::rpc");
    private static final byte[] HEALTHY = "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8);
    private static final int INITIAL_BODY_BUFFER = 64 * 1024;

    /**
     * Worker pool size. Threads mostly wait on I/O (Kafka acks, state reads), so the default is
     * generous; the queue bounds how much work may wait behind them.
     */
    public record Workers(int threads, int queueCapacity) {

        public Workers {
            if (threads < 1 || queueCapacity < 1) {
                throw new IllegalArgumentException("threads and queueCapacity must be >= 1");
            }
        }

        public static Workers defaults() {
            return new Workers(Math.max(16, 4 * Runtime.getRuntime().availableProcessors()), 1024);
        }
    }

    private final Vertx vertx;
    private final boolean ownsVertx;
    private final JsonRpcDispatcher dispatcher;
    private final String host;
    private final int port;
    private final Limits limits;
    private final CorsPolicy cors;
    private final Workers workerConfig;

    private volatile HttpServer server;
    private volatile ThreadPoolExecutor workers;

    public HttpJsonRpcServer(Vertx vertx, JsonRpcDispatcher dispatcher, String host, int port, Limits limits,
            List<String> corsOrigins) {
        this(vertx, dispatcher, host, port, limits, corsOrigins, Workers.defaults());
    }

    /**
     * @param vertx a shared instance, or null to create (and later close) one
     * @param limits the body size and per-request deadline enforced here; parsing limits come from
     *     the dispatcher's own {@link Limits}
     * @param corsOrigins allowed browser origins; "*" allows any; empty sends no CORS headers
     */
    public HttpJsonRpcServer(Vertx vertx, JsonRpcDispatcher dispatcher, String host, int port, Limits limits,
            List<String> corsOrigins, Workers workers) {
        this.ownsVertx = vertx == null;
        this.vertx = vertx == null ? Vertx.vertx() : vertx;
        this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
        this.host = Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        this.port = port;
        this.limits = Objects.requireNonNull(limits, "limits");
        this.cors = new CorsPolicy(corsOrigins);
        this.workerConfig = Objects.requireNonNull(workers, "workers");
    }

    /**
     * Binds and blocks until the server listens.
     *
     * @return the bound port (the ephemeral one when constructed with port 0)
     * @throws IllegalStateException if the address cannot be bound
     */
    public synchronized int start() {
        if (server != null) {
            throw new IllegalStateException("HTTP JSON-RPC server already started");
        }
        workers = newWorkerPool(workerConfig);
        HttpServerOptions options = new HttpServerOptions()
                .setHost(host)
                .setPort(port)
                // we answer 100-continue ourselves, after checking Content-Length
                .setHandle100ContinueAutomatically(false);
        HttpServer created = vertx.createHttpServer(options).requestHandler(this::onRequest);
        try {
            created.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            workers.shutdownNow();
            throw bindFailure(e.getCause());
        } catch (TimeoutException e) {
            workers.shutdownNow();
            throw new IllegalStateException("cannot bind HTTP JSON-RPC to " + host + ":" + port + ": timed out", e);
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while binding HTTP JSON-RPC", e);
        }
        server = created;
        LOG.info("HTTP JSON-RPC listening on {}:{} (namespaces {})", host, created.actualPort(),
                dispatcher.enabledNamespaces());
        return created.actualPort();
    }

    /** The bound port, or -1 before {@link #start()}. */
    public int port() {
        HttpServer s = server;
        return s == null ? -1 : s.actualPort();
    }

    @Override
    public synchronized void close() {
        HttpServer s = server;
        server = null;
        try {
            if (s != null) {
                s.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
            if (workers != null) {
                workers.shutdown();
                // let running methods finish their answers; they are never interrupted mid-write
                if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
                    workers.shutdownNow();
                }
            }
            if (ownsVertx) {
                vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("HTTP JSON-RPC server did not close cleanly", e);
        }
    }

    private void onRequest(HttpServerRequest request) {
        cors.decorate(request);
        HttpMethod method = request.method();
        if (HttpMethod.POST.equals(method)) {
            readBody(request);
        } else if (HttpMethod.OPTIONS.equals(method)) {
            cors.preflight(request);
        } else if (HttpMethod.GET.equals(method) && "/health".equals(request.path())) {
            HttpCall.write(request, 200, HEALTHY);
        } else {
            request.response().putHeader("Allow", "POST, OPTIONS");
            HttpCall.write(request, 405, dispatcher.errorResponse(JsonRpcException.invalidRequest(
                    "HTTP method " + method.name() + " not allowed: send JSON-RPC requests with POST")));
        }
    }

    private void readBody(HttpServerRequest request) {
        long limit = limits.maxBodyBytes();
        String declared = request.getHeader("Content-Length");
        if (declared != null && parseLength(declared) > limit) {
            rejectTooLarge(request);
            return;
        }
        if ("100-continue".equalsIgnoreCase(request.getHeader("Expect"))) {
            request.response().writeContinue();
        }
        // Content-Length is only a claim: reserving it up front would let a few hundred clients that
        // declare 5 MiB and then stall exhaust the heap. The buffer grows with what actually arrives.
        Buffer body = Buffer.buffer(declared == null ? 1024 : (int) Math.min(Math.max(0, parseLength(declared)), INITIAL_BODY_BUFFER));
        boolean[] tooLarge = {false}; // event loop only
        request.handler(chunk -> {
            if (tooLarge[0]) {
                return;
            }
            // checked per chunk, so a chunked upload never grows past the limit in memory
            if (body.length() + (long) chunk.length() > limit) {
                tooLarge[0] = true;
                rejectTooLarge(request);
                return;
            }
            body.appendBuffer(chunk);
        });
        request.exceptionHandler(e -> LOG.debug("HTTP JSON-RPC request stream failed", e));
        request.endHandler(v -> {
            if (!tooLarge[0]) {
                dispatch(request, body.getBytes());
            }
        });
    }

    private void dispatch(HttpServerRequest request, byte[] body) {
        Context eventLoop = vertx.getOrCreateContext();
        HttpCall call = new HttpCall(vertx, eventLoop, request, dispatcher, body);
        try {
            workers.execute(call);
        } catch (RejectedExecutionException e) {
            LOG.warn("JSON-RPC worker pool saturated ({} threads, queue {}): answering server busy",
                    workerConfig.threads(), workerConfig.queueCapacity());
            call.abandon(JsonRpcException.limitExceeded("server busy"));
            return;
        }
        // armed after execute() so a rejected call never leaves a timer behind; both run on this
        // event loop, so the timer cannot fire before timerId is set
        call.armDeadline(limits.methodTimeout());
    }

    /**
     * 413 at once, then discard (not buffer) whatever the client still sends, so it can read our
     * answer before the connection closes; a client that keeps sending is cut off.
     */
    private void rejectTooLarge(HttpServerRequest request) {
        boolean http1 = request.version() != HttpVersion.HTTP_2;
        if (http1) {
            request.response().putHeader("Connection", "close");
        }
        HttpCall.write(request, 413, dispatcher.errorResponse(JsonRpcException.invalidRequest(
                "request body too large: limit " + limits.maxBodyBytes() + " bytes")));
        if (!http1) {
            return;
        }
        long[] discarded = {0};
        long discardLimit = Math.max(limits.maxBodyBytes() * 4, 1 << 20);
        request.handler(chunk -> {
            discarded[0] += chunk.length();
            if (discarded[0] > discardLimit) {
                request.connection().close();
            }
        });
        request.endHandler(v -> request.connection().close());
    }

    private static long parseLength(String header) {
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1; // Vert.x rejects a malformed Content-Length before we see it; be lenient
        }
    }

    private IllegalStateException bindFailure(Throwable cause) {
        String text = cause == null ? "" : String.valueOf(cause.getMessage());
        if (cause instanceof BindException || text.toLowerCase().contains("address already in use")) {
            return new IllegalStateException(
                    "cannot bind HTTP JSON-RPC to " + host + ":" + port + ": address already in use", cause);
        }
        return new IllegalStateException("cannot bind HTTP JSON-RPC to " + host + ":" + port + ": " + text, cause);
    }

    private static ThreadPoolExecutor newWorkerPool(Workers config) {
        AtomicInteger counter = new AtomicInteger();
        ThreadFactory threads = runnable -> {
            Thread t = new Thread(runnable, "rpc-worker-" + counter.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        ThreadPoolExecutor pool = new ThreadPoolExecutor(config.threads(), config.threads(), 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(config.queueCapacity()), threads, new ThreadPoolExecutor.AbortPolicy());
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
