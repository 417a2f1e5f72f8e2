package org.rollupnode.gateway.rpc;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * One request body in flight: its calls, their answers, and who gets to send the response.
 *
 * <p>Transports use it to enforce deadlines without killing handler threads: a worker calls
 * {@link #run()} then {@link #finish()}; a timer calls {@link #expire}. Exactly one of them wins
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

    /** Runs the calls in order on the current thread; stops early once expired. */
    public void run() {
        for (int i = 0; i < calls.size() && !closed.get(); i++) {
            byte[] answer = dispatcher.invoke(calls.get(i));
            answers.compareAndSet(i, null, answer == null ? NO_ANSWER : answer);
        }
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
