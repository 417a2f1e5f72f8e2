package org.rollupnode.execution.evm;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * Nested calls recurse on the Java stack; 1024 EVM frames do not fit the default thread stack.
 * A frame that gets deep hands the rest of its subtree to a thread with a large stack (reserved,
 * not committed, memory) and waits; shallow transactions never pay for the hand-off.
 */
final class BigStack {
    static final int HANDOFF_DEPTH = 48;
    private static final long STACK_BYTES = 512L << 20;
    private static final ThreadLocal<Boolean> ON_BIG_STACK = ThreadLocal.withInitial(() -> false);
    private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(null, () -> {
            ON_BIG_STACK.set(true);
            r.run();
        }, "evm-deep-call", STACK_BYTES);
        t.setDaemon(true);
        return t;
    });

    private BigStack() {}

    static boolean needed(int depth) {
        return depth >= HANDOFF_DEPTH && !ON_BIG_STACK.get();
    }

    static <T> T run(Supplier<T> work) {
        Future<T> f = POOL.submit(work::get);
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during a deep EVM call", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
