package org.rollupnode.gateway.rpc;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes JSON-RPC 2.0 bodies to registered methods. Transport-independent: HTTP and WebSocket
 * hand it bytes and send back whatever it returns. Thread-safe; {@link #register} is meant for
 * start-up but may be called at any time.
 */
public final class JsonRpcDispatcher {

    static final Logger LOG = LoggerFactory.getLogger("rollup_node::rpc");

    private final Map<String, JsonRpcMethod> methods = new ConcurrentHashMap<>();
    private final Set<String> enabledNamespaces;
    private final Limits limits;
    private final ObjectMapper mapper;
    private final RequestParser parser;
    private final Responses responses;

    /**
     * @param enabledNamespaces the {@code --http.api} list, any case (e.g. "eth", "NET", "rollupNode")
     */
    public JsonRpcDispatcher(Collection<String> enabledNamespaces, Limits limits) {
        this.enabledNamespaces = enabledNamespaces.stream()
                .map(ns -> ns.trim().toLowerCase(Locale.ROOT))
                .filter(ns -> !ns.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
        this.limits = Objects.requireNonNull(limits, "limits");
        this.mapper = JsonRpcMapper.create(limits.maxJsonDepth());
        this.parser = new RequestParser(mapper, limits);
        this.responses = new Responses(mapper);
    }

    /**
     * @param fullMethodName e.g. "eth_chainId"; the namespace is the part before the first '_'
     * @throws IllegalArgumentException if the name is blank or already registered
     */
    public JsonRpcDispatcher register(String fullMethodName, JsonRpcMethod method) {
        if (fullMethodName == null || fullMethodName.isBlank()) {
            throw new IllegalArgumentException("method name must not be blank");
        }
        Objects.requireNonNull(method, "method");
        if (methods.putIfAbsent(fullMethodName, method) != null) {
            throw new IllegalArgumentException("method " + fullMethodName + " is already registered");
        }
        return this;
    }

    public static String namespaceOf(String fullMethodName) {
        int underscore = fullMethodName.indexOf('_');
        return underscore < 0 ? fullMethodName : fullMethodName.substring(0, underscore);
    }

    public boolean isNamespaceEnabled(String namespace) {
        return enabledNamespaces.contains(namespace.toLowerCase(Locale.ROOT));
    }

    /** Names of the registered methods a client can call (e.g. for {@code rpc_modules}). */
    public Set<String> availableMethods() {
        Set<String> names = new TreeSet<>();
        for (String name : methods.keySet()) {
            if (isNamespaceEnabled(namespaceOf(name))) {
                names.add(name);
            }
        }
        return Collections.unmodifiableSet(names);
    }

    public Set<String> enabledNamespaces() {
        return enabledNamespaces;
    }

    public Limits limits() {
        return limits;
    }

    /** The mapper used for requests and results; methods may use it to build JsonNode results. */
    public ObjectMapper mapper() {
        return mapper;
    }

    /** Runs the body on the calling thread; no timeout. Null when nothing must be sent. */
    public byte[] handle(byte[] body) {
        JsonRpcExchange exchange = open(body);
        exchange.run();
        exchange.finish();
        return exchange.response();
    }

    public String handle(String body) {
        byte[] response = handle(body.getBytes(StandardCharsets.UTF_8));
        return response == null ? null : new String(response, StandardCharsets.UTF_8);
    }

    /** Parses the body without running anything; for transports that enforce deadlines. */
    public JsonRpcExchange open(byte[] body) {
        RequestParser.Parsed parsed = parser.parse(body);
        byte[] bodyError = parsed.bodyError() == null ? null : responses.error(null, parsed.bodyError());
        return new JsonRpcExchange(this, parsed.calls(), parsed.batch(), bodyError);
    }

    /** An error response with id null, for transport-level failures (body too large, wrong HTTP verb). */
    public byte[] errorResponse(JsonRpcException error) {
        return responses.error(null, error);
    }

    Responses responses() {
        return responses;
    }

    /** Sees every call's method name (or "unknown") and duration, e.g. for metrics. */
    @FunctionalInterface
    public interface CallObserver {
        void observe(String method, long nanos);
    }

    private volatile CallObserver observer = (m, n) -> { };

    public void observer(CallObserver o) {
        this.observer = o;
    }

    /**
     * Starts one call. The future is already complete unless the method returned a deferred result
     * ({@link java.util.concurrent.CompletionStage}); it then completes with the answer once that
     * result does, on the thread that completes it. It never completes exceptionally: failures are
     * answered as errors. Its value is the serialized answer, or null for a notification.
     */
    CompletableFuture<byte[]> start(Call call) {
        if (call.invalid() != null) {
            return CompletableFuture.completedFuture(responses.error(call.id(), call.invalid()));
        }
        long started = System.nanoTime();
        JsonRpcMethod method = lookup(call.method());
        Object result;
        try {
            if (method == null) {
                throw JsonRpcException.methodNotFound(call.method());
            }
            result = method.call(new JsonRpcParams(call.params(), mapper));
        } catch (Exception | StackOverflowError e) {
            return CompletableFuture.completedFuture(answer(call, method != null, null, e, started));
        }
        if (result instanceof CompletionStage<?> deferred) {
            CompletableFuture<byte[]> answer = new CompletableFuture<>();
            deferred.whenComplete((value, failure) -> answer.complete(answer(call, true, value, failure, started)));
            return answer;
        }
        return CompletableFuture.completedFuture(answer(call, true, result, null, started));
    }

    /** Serializes a call's outcome and reports its duration; never throws. */
    private byte[] answer(Call call, boolean known, Object result, Throwable failure, long started) {
        try {
            Throwable cause = unwrap(failure);
            if (cause == null) {
                return call.notification() ? null : responses.success(call.id(), result);
            }
            if (cause instanceof JsonRpcException e) {
                LOG.debug("{} answered error {}: {}", call.method(), e.code(), e.getMessage());
                return call.notification() ? null : responses.error(call.id(), e);
            }
            // A bug or an unexpected failure: the stack goes to the log, the client learns nothing
            // about our internals.
            LOG.error("internal error in JSON-RPC method {}", call.method(), cause);
            return call.notification() ? null : responses.error(call.id(), JsonRpcException.internal("internal error"));
        } catch (Exception | StackOverflowError e) {
            // the result could not be serialized
            LOG.error("internal error in JSON-RPC method {}", call.method(), e);
            return call.notification() ? null : responses.error(call.id(), JsonRpcException.internal("internal error"));
        } finally {
            long took = System.nanoTime() - started;
            if (LOG.isTraceEnabled()) {
                LOG.trace("{} took {} us", call.method(), took / 1000);
            }
            observer.observe(known ? call.method() : "unknown", took);
        }
    }

    /** A deferred result's failure arrives wrapped when it went through a dependent stage. */
    private static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private JsonRpcMethod lookup(String name) {
        // a disabled namespace must look exactly like an unknown method, so nothing leaks
        return isNamespaceEnabled(namespaceOf(name)) ? methods.get(name) : null;
    }
}
