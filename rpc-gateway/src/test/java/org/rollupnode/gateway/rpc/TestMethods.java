package org.rollupnode.gateway.rpc;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Toy methods shared by the tests: the "test" namespace is enabled, "admin" is registered but disabled. */
final class TestMethods {

    final AtomicInteger notified = new AtomicInteger();
    /** Deferred results of test_await, completed by test_release with the same name. */
    final Map<String, CompletableFuture<Object>> gates = new ConcurrentHashMap<>();
    final List<String> observed = new CopyOnWriteArrayList<>();

    private CompletableFuture<Object> gate(String name) {
        return gates.computeIfAbsent(name, n -> new CompletableFuture<>());
    }

    record Pair(String name, long weight) {
    }

    JsonRpcDispatcher dispatcher(Limits limits) {
        JsonRpcDispatcher d = new JsonRpcDispatcher(Set.of("TEST", "net"), limits);
        d.register("test_echo", p -> p.required(0, "value"));
        d.register("test_add", p -> {
            BigInteger a = p.requiredBigQuantity(0, "a");
            BigInteger b = p.requiredBigQuantity(1, "b");
            return "0x" + a.add(b).toString(16);
        });
        d.register("test_addLong", p -> p.requiredQuantity(0, "a") + p.requiredQuantity(1, "b"));
        d.register("test_fail", p -> {
            throw new JsonRpcException(3, "execution reverted", "0x08c379a0");
        });
        d.register("test_boom", p -> {
            throw new IllegalStateException("secret path /var/lib/db is corrupt");
        });
        d.register("test_sleep", p -> {
            long millis = p.requiredQuantity(0, "millis");
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw JsonRpcException.internal("interrupted");
            }
            return "slept";
        });
        d.register("test_notify", p -> notified.incrementAndGet());
        d.register("test_null", p -> null);
        d.register("test_pair", p -> p.requiredObject(0, "pair", Pair.class));
        d.register("test_map", p -> Map.of("flag", p.optionalBoolean(0, "flag", true)));
        // deferred results, completed by another call of the same body or from another thread
        d.register("test_await", p -> gate(p.requiredString(0, "gate")));
        d.register("test_release", p -> gate(p.requiredString(0, "gate")).complete(p.required(1, "value")));
        d.register("test_failLater", p -> gate(p.requiredString(0, "gate")).thenApply(v -> {
            throw new CompletionException(new JsonRpcException(3, "execution reverted", v));
        }));
        d.register("test_boomLater", p -> gate(p.requiredString(0, "gate")).thenApply(v -> {
            throw new IllegalStateException("secret path /var/lib/db is corrupt");
        }));
        d.register("test_later", p -> CompletableFuture.supplyAsync(() -> "later",
                CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS)));
        d.register("test_never", p -> new CompletableFuture<>());
        d.observer((method, nanos) -> observed.add(method));
        d.register("net_version", p -> "1337");
        d.register("admin_secret", p -> "should never be reachable");
        return d;
    }
}
