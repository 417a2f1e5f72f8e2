package org.rollupnode.gateway.rpc;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * One request body in flight: its calls, their answers, and who gets to send the response.
 *
 * <p>Transports use it to enforce deadlines without killing handler threads: a worker calls
 * {@link #run()} then {@link #finish()}; a timer calls {@link #expire}. Calls are started in request
 * order; a method may return a deferred result, which the worker awaits after starting the rest. Exactly one of them wins
 * and sends {@link #response()}. An expired batch keeps the answers already computed and gives the
 * timeout error to the rest, like geth. Running handlers are never interrupted (an interrupt would
 * close NIO channels and RocksDB-style resources they might be using); their late answers are dropped.
 */
public final class JsonRpcExchange {

    // marks a finished call that must not be answered (a notification)
    private static final byte[] NO_ANSWER = new byte[0];

    private final JsonRpcDispatcher dispatcher;
    private final List<Call> calls;
    private final boolean batch;
    private final byte[] bodyError;
    private final AtomicReferenceArray<byte[]> answers;
    private final AtomicBoolean closed = new AtomicBoolean();
    // completed by expire(), so run() stops waiting for deferred results nobody will read
    private final CompletableFuture<Void> expired = new CompletableFuture<>();

    JsonRpcExchange(JsonRpcDispatcher dispatcher, List<Call> calls, boolean batch, byte[] bodyError) {
        this.dispatcher = dispatcher;
        this.calls = calls;
        this.batch = batch;
        this.bodyError = bodyError;
        this.answers = new AtomicReferenceArray<>(calls.size());
    }

    /** Number of calls in the body (0 when the body itself was rejected). */
    public int size() {
        return calls.size();
    }

    public boolean isBatch() {
        return batch;
    }

    /**
     * Starts the calls in order on the current thread, then waits for the deferred results among
     * them (e.g. Kafka acknowledgements), so a batch waits about as long as its slowest call, not
     * for the sum of them. Stops starting calls once expired, and stops waiting when expired or
     * after the dispatcher's method timeout; calls still unanswered then get the timeout error.
     */
    public void run() {
        long deadline = System.nanoTime() + dispatcher.limits().methodTimeout().toNanos();
        List<CompletableFuture<Void>> pending = null;
        for (int i = 0; i < calls.size() && !closed.get(); i++) {
            CompletableFuture<byte[]> answer = dispatcher.start(calls.get(i));
            int index = i;
            if (answer.isDone()) {
                record(index, answer.join());
            } else {
                if (pending == null) {
                    pending = new ArrayList<>();
                }
                pending.add(answer.thenAccept(a -> record(index, a)));
            }
        }
        if (pending != null) {
            await(pending, deadline);
        }
    }

    private void await(List<CompletableFuture<Void>> pending, long deadline) {
        CompletableFuture<Object> done = CompletableFuture.anyOf(
                CompletableFuture.allOf(pending.toArray(new CompletableFuture<?>[0])), expired);
        try {
            done.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException impossible) {
            // the answers never complete exceptionally and expired only completes normally
        } catch (TimeoutException e) {
            // answered below
        }
        long millis = dispatcher.limits().methodTimeout().toMillis();
        JsonRpcDispatcher.LOG.warn("JSON-RPC request timed out after {} ms waiting for deferred results", millis);
        JsonRpcException timeout = JsonRpcException.resourceUnavailable("request timed out after " + millis + " ms");
        for (int i = 0; i < calls.size(); i++) {
            Call call = calls.get(i);
            answers.compareAndSet(i, null, call.notification() ? NO_ANSWER : dispatcher.responses().error(call.id(), timeout));
        }
    }

    private void record(int index, byte[] answer) {
        // loses to expire(): its answers were already sent
        answers.compareAndSet(index, null, answer == null ? NO_ANSWER : answer);
    }

    /** Claims the response after {@link #run()}; false if {@link #expire} claimed it first. */
    public boolean finish() {
        return closed.compareAndSet(false, true);
    }

    /**
     * Claims the response now, answering every unfinished call with {@code error}.
     *
     * @return false if the response was already claimed
     */
    public boolean expire(JsonRpcException error) {
        if (!closed.compareAndSet(false, true)) {
            return false;
        }
        expired.complete(null);
        for (int i = 0; i < calls.size(); i++) {
            Call call = calls.get(i);
            byte[] answer;
            if (call.invalid() != null) {
                answer = dispatcher.responses().error(call.id(), call.invalid());
            } else {
                answer = call.notification() ? NO_ANSWER : dispatcher.responses().error(call.id(), error);
            }
            answers.compareAndSet(i, null, answer);
        }
        return true;
    }

    /** The response body, or null when nothing must be sent (only notifications). Call after claiming. */
    public byte[] response() {
        if (bodyError != null) {
            return bodyError;
        }
        List<byte[]> out = new ArrayList<>(calls.size());
        for (int i = 0; i < calls.size(); i++) {
            byte[] answer = answers.get(i);
            if (answer == null) {
                throw new IllegalStateException("response() before the exchange was finished or expired");
            }
            if (answer != NO_ANSWER) {
                out.add(answer);
            }
        }
        if (out.isEmpty()) {
            return null;
        }
        return batch ? Responses.array(out) : out.get(0);
    }
}
