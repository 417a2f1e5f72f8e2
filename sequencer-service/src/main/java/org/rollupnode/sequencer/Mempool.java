package org.rollupnode.sequencer;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;
import org.rollupnode.execution.builder.BlockBuilder;
import org.rollupnode.execution.builder.TransactionRejected;
import org.rollupnode.execution.state.WorldState;
import org.rollupnode.execution.tx.Transaction;
import org.rollupnode.execution.types.Address;
import org.rollupnode.execution.types.Hash32;

/**
 * Transactions waiting for a block, per sender in nonce order. Pure data structure: the
 * sequencer service feeds it from {@code pending-transactions} and drains it into blocks.
 */
public final class Mempool {
    /** A pending transaction; {@code seq} is arrival order, the tie-breaker between equal tips. */
    public record Entry(Transaction tx, Address sender, long seq) {}

    /** What happened to a transaction that was tried and will never be included. */
    public record Dropped(Entry entry, TransactionRejected.Reason reason, String message) {}

    public record Fill(List<Entry> included, List<Dropped> dropped, boolean timedOut) {}

    public enum AddResult { ADDED, ALREADY_KNOWN, REPLACED, UNDERPRICED_REPLACEMENT, SENDER_LIMIT, POOL_FULL }

    /**
     * What adding a transaction did: its own result, the transaction it replaced (if any) and the
     * transactions evicted to make room. Every one of them needs a recorded outcome.
     */
    public record Admission(AddResult result, Entry replaced, List<Entry> evicted) {
        static Admission of(AddResult r) {
            return new Admission(r, null, List.of());
        }
    }

    private final Map<Address, TreeMap<Long, Entry>> bySender = new HashMap<>();
    private final Map<Hash32, Entry> byHash = new HashMap<>();
    private final int maxTransactions;
    private final int maxPerSender;
    private long seq;

    public Mempool() {
        this(50_000, 256);
    }

    public Mempool(int maxTransactions, int maxPerSender) {
        this.maxTransactions = maxTransactions;
        this.maxPerSender = maxPerSender;
    }

    public int size() {
        return byHash.size();
    }

    public boolean contains(Hash32 hash) {
        return byHash.containsKey(hash);
    }

    public Admission add(Transaction tx, Address sender) {
        if (byHash.containsKey(tx.hash())) {
            return Admission.of(AddResult.ALREADY_KNOWN);
        }
        TreeMap<Long, Entry> queue = bySender.computeIfAbsent(sender, k -> new TreeMap<>());
        Entry existing = queue.get(tx.nonce());
        Entry e = new Entry(tx, sender, seq++);
        if (existing != null) {
            // Same rule as geth: a replacement must raise both fee fields by at least 10 %.
            if (!bumpedByTenPercent(existing.tx(), tx)) {
                return Admission.of(AddResult.UNDERPRICED_REPLACEMENT);
            }
            byHash.remove(existing.tx().hash());
            queue.put(tx.nonce(), e);
            byHash.put(tx.hash(), e);
            return new Admission(AddResult.REPLACED, existing, List.of());
        }
        if (queue.size() >= maxPerSender) {
            if (queue.isEmpty()) {
                bySender.remove(sender);
            }
            return Admission.of(AddResult.SENDER_LIMIT);
        }
        List<Entry> evicted = new ArrayList<>();
        if (byHash.size() >= maxTransactions) {
            // Evict the cheapest tail (highest nonce of some sender) so no sender is left with a gap,
            // unless the newcomer is cheaper still.
            Entry victim = cheapestTail();
            if (victim == null || feeOf(victim.tx()).compareTo(feeOf(tx)) >= 0) {
                if (queue.isEmpty()) {
                    bySender.remove(sender);
                }
                return Admission.of(AddResult.POOL_FULL);
            }
            remove(victim);
            evicted.add(victim);
            queue = bySender.computeIfAbsent(sender, k -> new TreeMap<>());
        }
        queue.put(tx.nonce(), e);
        byHash.put(tx.hash(), e);
        return new Admission(AddResult.ADDED, null, evicted);
    }

    private Entry cheapestTail() {
        Entry best = null;
        for (TreeMap<Long, Entry> q : bySender.values()) {
            if (q.isEmpty()) {
                continue; // the newcomer's own, still empty, queue
            }
            Entry tail = q.lastEntry().getValue();
            if (best == null || feeOf(tail.tx()).compareTo(feeOf(best.tx())) < 0) {
                best = tail;
            }
        }
        return best;
    }

    private static BigInteger feeOf(Transaction tx) {
        return tx.maxPriorityFeePerGas().min(tx.maxFeePerGas());
    }

    /** Pending transactions in pool order, for inspection (txpool RPC, tests). */
    public List<Entry> entries() {
        List<Entry> out = new ArrayList<>(byHash.values());
        out.sort(Comparator.comparingLong(Entry::seq));
        return out;
    }

    private static boolean bumpedByTenPercent(Transaction old, Transaction neu) {
        BigInteger ten = BigInteger.TEN;
        BigInteger h = BigInteger.valueOf(100);
        return neu.maxFeePerGas().multiply(h).compareTo(old.maxFeePerGas().multiply(h.add(ten))) >= 0
                && neu.maxPriorityFeePerGas().multiply(h).compareTo(old.maxPriorityFeePerGas().multiply(h.add(ten))) >= 0;
    }

    public void remove(Entry e) {
        byHash.remove(e.tx().hash());
        TreeMap<Long, Entry> q = bySender.get(e.sender());
        if (q != null) {
            q.remove(e.tx().nonce(), e);
            if (q.isEmpty()) {
                bySender.remove(e.sender());
            }
        }
    }

    /** Drops transactions whose nonce is already used in {@code state} (included in a block). */
    public List<Entry> pruneIncluded(WorldState state) {
        List<Entry> removed = new ArrayList<>();
        Iterator<Map.Entry<Address, TreeMap<Long, Entry>>> it = bySender.entrySet().iterator();
        while (it.hasNext()) {
            var senderQueue = it.next();
            long next = state.nonce(senderQueue.getKey());
            var stale = senderQueue.getValue().headMap(next, false);
            for (Entry e : stale.values()) {
                byHash.remove(e.tx().hash());
                removed.add(e);
            }
            stale.clear();
            if (senderQueue.getValue().isEmpty()) {
                it.remove();
            }
        }
        return removed;
    }

    /**
     * Fills {@code builder} with the best executable transactions until the block is full or the
     * deadline passes: highest effective tip first, each sender's transactions in nonce order.
     * Included and permanently rejected transactions leave the pool. The deadline stops building
     * only once the block holds a transaction: a build that the clock (a cold JIT, a GC pause, a
     * slow start of the slot) cuts off before its first transaction would otherwise discard the
     * slot while transactions wait; one transaction past the deadline costs far less.
     */
    public Fill fill(BlockBuilder builder, long deadlineNanos) {
        BigInteger baseFee = builder.env().baseFee();
        // Each candidate's tip is computed once when it becomes ready, not on every heap comparison
        // (BigInteger arithmetic per comparison showed in the sequencer's profile under load).
        PriorityQueue<Ready> ready = new PriorityQueue<>(READY_ORDER);
        for (var q : bySender.entrySet()) {
            Entry first = q.getValue().get(builder.nextNonce(q.getKey()));
            if (first != null) {
                ready.add(new Ready(first, tip(first.tx(), baseFee)));
            }
        }
        List<Entry> included = new ArrayList<>();
        List<Dropped> dropped = new ArrayList<>();
        boolean timedOut = false;
        while (!ready.isEmpty() && builder.gasRemaining() >= 21_000) {
            if (builder.transactionCount() > 0 && System.nanoTime() >= deadlineNanos) {
                timedOut = true;
                break;
            }
            Entry e = ready.poll().entry();
            try {
                builder.add(e.tx());
                included.add(e);
                Entry next = bySender.get(e.sender()).get(e.tx().nonce() + 1);
                if (next != null) {
                    ready.add(new Ready(next, tip(next.tx(), baseFee)));
                }
            } catch (TransactionRejected r) {
                if (r.permanent()) {
                    dropped.add(new Dropped(e, r.reason(), r.getMessage()));
                }
                // Not permanent (block full for this one, fee cap below base fee, funds): try it next block.
            }
        }
        included.forEach(this::remove);
        dropped.forEach(d -> remove(d.entry()));
        return new Fill(included, dropped, timedOut);
    }

    private record Ready(Entry entry, BigInteger tip) {}

    /** Highest effective tip first, then arrival order. */
    private static final Comparator<Ready> READY_ORDER = Comparator.comparing(Ready::tip, Comparator.reverseOrder())
            .thenComparingLong(r -> r.entry().seq());

    private static BigInteger tip(Transaction tx, BigInteger baseFee) {
        return tx.effectiveGasPrice(baseFee).subtract(baseFee);
    }
}
