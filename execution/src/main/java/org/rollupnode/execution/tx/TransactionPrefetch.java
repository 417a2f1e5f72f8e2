package org.rollupnode.execution.tx;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Does the per-transaction work that does not depend on state (sender recovery, hash, the L1 fee's
 * compressed size) on other cores, so the sequential execution of a block only does state work.
 * Every result is a pure function of the transaction's bytes, kept in the transaction or in a
 * memo keyed by its hash, so doing it here, later or twice never changes a result.
 *
 * <p>{@link #start} hands the list to the common pool's workers; {@link #finish} makes the
 * calling thread take the transactions no worker has claimed yet and then waits only for the ones
 * being prepared. A caller can therefore start the next block's prefetch, execute the current
 * block, and the workers' progress is never wasted nor waited for. A failure (an unrecoverable
 * signature, anything else) is left for the executor to meet again and report at its place in
 * the block.
 */
public final class TransactionPrefetch {
    /** Below this, handing work to another thread costs more than it saves. */
    static final int MIN_PARALLEL = 64;

    private static final Consumer<Transaction> NOTHING_MORE = tx -> {};

    /** Raw inputs to decode, or null when the transactions were given decoded. */
    private final List<?> raw;
    private final Function<Object, Transaction> decoder;
    /** Slot i: the i-th transaction once decoded (written before its count-down, read after the wait). */
    private final Transaction[] transactions;
    private final Consumer<Transaction> alsoPrepare;
    private final AtomicInteger next = new AtomicInteger();
    private final CountDownLatch remaining;
    private volatile boolean undecodable;

    private TransactionPrefetch(List<?> raw, Function<Object, Transaction> decoder, Transaction[] transactions,
                                Consumer<Transaction> alsoPrepare) {
        this.raw = raw;
        this.decoder = decoder;
        this.transactions = transactions;
        this.alsoPrepare = alsoPrepare == null ? NOTHING_MORE : alsoPrepare;
        this.remaining = new CountDownLatch(transactions.length);
    }

    /**
     * Starts preparing {@code transactions} on the common pool: each one's sender and hash, then
     * {@code alsoPrepare} (for example the L1 fee calculator's state-independent part).
     */
    public static TransactionPrefetch start(List<Transaction> transactions, Consumer<Transaction> alsoPrepare) {
        return fork(new TransactionPrefetch(null, null, transactions.toArray(new Transaction[0]), alsoPrepare));
    }

    /**
     * As {@link #start}, decoding each of {@code raw} with {@code decoder} first (on whichever thread
     * prepares it). If any does not decode, {@link #transactions()} is null after {@link #finish()}
     * and the caller decodes them itself, meeting the error where it reports errors.
     */
    @SuppressWarnings("unchecked")
    public static <R> TransactionPrefetch decodeAndStart(List<R> raw, Function<R, Transaction> decoder,
                                                         Consumer<Transaction> alsoPrepare) {
        List<R> copy = List.copyOf(raw);
        return fork(new TransactionPrefetch(copy, (Function<Object, Transaction>) decoder, new Transaction[copy.size()], alsoPrepare));
    }

    private static TransactionPrefetch fork(TransactionPrefetch p) {
        int helpers = Math.min(ForkJoinPool.getCommonPoolParallelism(), Runtime.getRuntime().availableProcessors() - 1);
        if (p.transactions.length >= MIN_PARALLEL) {
            for (int i = 0; i < helpers; i++) {
                ForkJoinPool.commonPool().execute(p::work);
            }
        }
        return p;
    }

    /** Prepares, on this thread, every transaction nobody has claimed, then waits for the rest. */
    public void finish() {
        work();
        boolean interrupted = false;
        while (true) {
            try {
                remaining.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // a claimed transaction is microseconds from done: keep waiting
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** After {@link #finish()}: the transactions in order, or null if one of the raw inputs did not decode. */
    public List<Transaction> transactions() {
        return undecodable ? null : List.of(transactions);
    }

    private void work() {
        int n = transactions.length;
        for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
            try {
                Transaction tx;
                if (raw == null) {
                    tx = transactions[i];
                } else {
                    try {
                        tx = decoder.apply(raw.get(i));
                    } catch (RuntimeException e) {
                        undecodable = true;
                        continue;
                    }
                    transactions[i] = tx;
                }
                prepare(tx, alsoPrepare);
            } finally {
                remaining.countDown();
            }
        }
    }

    private static void prepare(Transaction tx, Consumer<Transaction> alsoPrepare) {
        try {
            tx.sender();
            tx.hash();
            alsoPrepare.accept(tx);
        } catch (RuntimeException ignored) {
            // Deterministic: the executor meets the same failure and reports it in block order.
        }
    }
}
