package org.rollupnode.gateway;

import java.math.BigInteger;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.rollupnode.execution.crypto.Keccak;
import org.rollupnode.execution.tx.Transaction;
import org.rollupnode.execution.types.Address;
import org.rollupnode.execution.types.Hash32;
import org.rollupnode.execution.types.Hex;
import org.rollupnode.kafka.KafkaSettings;
import org.rollupnode.schemas.EventCodec;
import org.rollupnode.schemas.L1AuthorizedSigner;
import org.rollupnode.schemas.L1Event;
import org.rollupnode.schemas.L1MessageQueued;
import org.rollupnode.schemas.L1Reorg;
import org.rollupnode.schemas.L1Unwind;
import org.rollupnode.schemas.L1WatcherHeartbeat;
import org.rollupnode.schemas.Topics;
import org.rollupnode.watcher.L1View;
import org.rollupnode.watcher.L1WatcherStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's view of L1, folded from {@code l1-events} with the same {@link L1View} the
 * sequencer uses: the L1 part of {@code rollupNode_status} and {@code rollupNode_getL1MessageByIndex}
 * in the Rust node's shapes. Whether L1 itself answers is known only to the watcher: when it runs in
 * this process its live status is passed in, otherwise the watcher's last {@link L1WatcherHeartbeat}
 * in {@code l1-events} says, and a heartbeat older than {@link L1WatcherHeartbeat#STALE_AFTER_INTERVALS}
 * intervals means {@code connected: false} (the watcher is gone). Without any heartbeat yet,
 * {@code connected} is null (unknown: no watcher has run against this cluster).
 */
public final class L1StatusView implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("rollup_node::rpc");

    /** First queue index carrying a queue hash (L1MessageQueueV2), per chain (rust-node-spec.md §5.3). */
    static long queueHashStartIndex(String chain) {
        return switch (chain) {
            case "scroll-mainnet" -> 953_885L;
            case "scroll-sepolia" -> 1_062_110L;
            default -> 0L;
        };
    }

    private final KafkaSettings kafka;
    private final long queueHashStart;
    private final L1View view = new L1View();
    private final TreeMap<Long, Hash32> queueHashes = new TreeMap<>();
    private volatile Supplier<L1WatcherStatus> live;
    private volatile boolean caughtUp;
    private volatile String lastError;
    private final AtomicBoolean running = new AtomicBoolean();
    private final java.util.function.LongSupplier clock;
    private Thread thread;
    private final org.rollupnode.kafka.UndecodableRecords undecodable;

    /** @param kafka null for a view fed only through {@link #apply} (tests) */
    public L1StatusView(KafkaSettings kafka, String chain) {
        this(kafka, chain, System::currentTimeMillis);
    }

    /** @param clock wall clock in milliseconds, compared with heartbeat times */
    public L1StatusView(KafkaSettings kafka, String chain, java.util.function.LongSupplier clock) {
        this.kafka = kafka;
        this.queueHashStart = queueHashStartIndex(chain);
        this.clock = clock;
        this.undecodable = new org.rollupnode.kafka.UndecodableRecords("rpc-gateway l1 view", kafka);
    }

    /** Where this view stopped at a record that does not decode (empty when it did not). */
    public java.util.List<org.rollupnode.kafka.UndecodableRecords.Halt> undecodableHalts() {
        return undecodable.halts();
    }

    /** The watcher of this process, if any: then {@code connected} and L1's own latest block are live. */
    public void liveStatus(Supplier<L1WatcherStatus> status) {
        this.live = status;
    }

    public void start() {
        if (kafka != null && running.compareAndSet(false, true)) {
            thread = new Thread(this::run, "l1-status-view");
            thread.setDaemon(true);
            thread.start();
        }
    }

    private void run() {
        TopicPartition tp = new TopicPartition(Topics.L1_EVENTS.name(), 0);
        long next = 0;
        while (running.get()) {
            try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(kafka.readerConfig("gateway-l1-view"))) {
                c.assign(List.of(tp));
                c.seek(tp, next);
                while (running.get()) {
                    for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(100))) {
                        if (undecodable.stopped(r)) {
                            continue;
                        }
                        L1Event ev;
                        try {
                            ev = EventCodec.L1_EVENT.decode(r.value(), r.topic(), r.partition(), r.offset());
                        } catch (RuntimeException e) {
                            lastError = e.getMessage();
                            undecodable.onUndecodable(c, r, e); // stops: l1-events is never skipped
                            continue;
                        }
                        apply(ev);
                        next = r.offset() + 1;
                    }
                    if (!caughtUp && !undecodable.stopped(tp) && c.position(tp) >= c.endOffsets(List.of(tp)).get(tp)) {
                        caughtUp = true;
                    }
                }
            } catch (RuntimeException e) {
                // A record that contradicts the view stops this view, loudly; the watcher reports the same in its status.
                lastError = e.getMessage();
                LOG.error("L1 view of {} failed, retrying in 1 s: {}", Topics.L1_EVENTS.name(), e.getMessage());
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Folds one record (topic order). */
    public synchronized void apply(L1Event ev) {
        view.apply(ev);
        if (ev instanceof L1Reorg || ev instanceof L1Unwind) {
            long keep = view.nextQueueIndex().orElse(0);
            queueHashes.tailMap(keep, true).clear();
        }
    }

    /** The last authorized block signer the watcher read from L1's SystemConfig, if any. */
    public synchronized Optional<L1AuthorizedSigner> authorizedSigner() {
        return view.authorizedSigner();
    }

    /** The L1 part of {@code rollupNode_status}: the Rust node's {status, latest, finalized, processed} plus what we know more. */
    public synchronized Map<String, Object> status() {
        L1WatcherStatus w = live == null ? null : live.get();
        if (w == null) {
            w = fromHeartbeat();
        }
        Long processed = view.processed().map(L1View.BlockRef::number).orElse(null);
        Long finalized = view.finalized().map(f -> f.number()).orElse(null);
        Long safe = view.safe().map(s -> s.number()).orElse(null);
        Long latest = w != null && w.latestBlock() != null ? w.latestBlock() : processed;
        boolean synced = caughtUp && processed != null && latest != null && processed >= latest && (w == null || (w.connected() && w.synced()));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", synced ? "Synced" : "Syncing");
        m.put("latest", latest == null ? 0 : latest);
        m.put("finalized", finalized == null ? 0 : finalized);
        m.put("processed", processed == null ? 0 : processed);
        m.put("safe", safe == null ? 0 : safe);
        // null = unknown here (the watcher runs in another process); false = L1 does not answer the watcher
        m.put("connected", w == null ? null : w.connected());
        m.put("nextQueueIndex", view.nextQueueIndex().isPresent() ? view.nextQueueIndex().getAsLong() : null);
        m.put("reorgs", view.reorgCount());
        String error = w != null && w.lastError() != null && !w.connected() ? w.lastError() : lastError;
        m.put("lastError", error);
        if (w != null && w.stalled() != null) {
            m.put("stalled", w.stalled());
        }
        if (live == null) {
            view.heartbeat().ifPresent(hb -> {
                Map<String, Object> watcher = new LinkedHashMap<>();
                watcher.put("id", hb.watcherId());
                watcher.put("lastHeartbeatMillis", hb.atMillis());
                watcher.put("heartbeatIntervalMillis", hb.intervalMillis());
                watcher.put("stale", !hb.freshAt(clock.getAsLong()));
                m.put("watcher", watcher);
            });
        }
        return m;
    }

    /**
     * The watcher's status as its last heartbeat reported it; a stale heartbeat reads as
     * disconnected with an error saying so. Null when no watcher ever wrote one.
     */
    private L1WatcherStatus fromHeartbeat() {
        L1WatcherHeartbeat hb = view.heartbeat().orElse(null);
        if (hb == null) {
            return null;
        }
        long now = clock.getAsLong();
        boolean fresh = hb.freshAt(now);
        String error = fresh ? hb.lastError() : "no heartbeat from L1 watcher " + hb.watcherId() + " for " + (now - hb.atMillis())
                + " ms (it writes one every " + hb.intervalMillis() + " ms)";
        return new L1WatcherStatus(null, fresh && hb.connected(), hb.latest(), hb.safe(), hb.finalized(), hb.processed(), null, null,
                fresh && hb.synced(), hb.stalled(), error, fresh ? 0 : hb.atMillis(), 0);
    }

    /**
     * Why {@code rollupNodeAdmin_revertToL1Block(n)} cannot be asked for now, or null if it can: there
     * must be an L1 view, {@code n} must not be above L1's head (the watcher's latest, or the processed
     * block) and not below L1's finalized block (finalized L1 blocks cannot change, so unwinding below
     * them is refused rather than re-reading what cannot differ).
     */
    public synchronized String revertRefusal(long n) {
        Long processed = view.processed().map(L1View.BlockRef::number).orElse(null);
        if (processed == null) {
            return "no L1 block processed yet (is the L1 watcher running with --l1.url?)";
        }
        L1WatcherStatus w = live == null ? fromHeartbeat() : live.get();
        long head = w != null && w.latestBlock() != null ? Math.max(w.latestBlock(), processed) : processed;
        if (n > head) {
            return "block " + n + " is above the L1 head " + head;
        }
        Long finalized = view.finalized().map(f -> f.number()).orElse(null);
        if (finalized != null && n < finalized) {
            return "block " + n + " is below the finalized L1 block " + finalized + ": finalized L1 blocks are not unwound";
        }
        return null;
    }

    /**
     * {@code rollupNode_getL1MessageByIndex}: like the Rust node, the first message with a queue index
     * at or above {@code index}, as an {@code L1MessageEnvelope}, or null.
     *
     * @param l2BlockOf the L2 block holding a transaction hash, if the served chain has it
     */
    public synchronized Map<String, Object> messageByIndex(long index, Function<Hash32, Optional<Long>> l2BlockOf) {
        Map.Entry<Long, L1MessageQueued> e = view.messages().ceilingEntry(index);
        if (e == null) {
            return null;
        }
        L1MessageQueued m = e.getValue();
        Transaction tx = Transaction.l1Message(m.queueIndex(), m.gasLimit(), Address.fromHex(m.target()), new BigInteger(m.value()),
                Hex.decode(m.data()), Address.fromHex(m.sender()));
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("queueIndex", Quantity.hex(m.queueIndex()));
        t.put("gas", Quantity.hex(m.gasLimit()));
        t.put("to", m.target());
        t.put("value", Quantity.hex(new BigInteger(m.value())));
        t.put("sender", m.sender());
        t.put("input", m.data());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("transaction", t);
        out.put("l1_block_number", m.l1BlockNumber());
        out.put("l2_block_number", l2BlockOf.apply(tx.hash()).orElse(null));
        Hash32 qh = queueHash(m.queueIndex());
        out.put("queue_hash", qh == null ? null : qh.toHex());
        return out;
    }

    /**
     * Scroll's rolling queue hash (rust-node-spec.md §5.3): keccak256(previous ‖ L2 tx hash) with the
     * low 32 bits zeroed, starting from 32 zero bytes at the chain's V2 start index. Null below it or
     * when a message it depends on is not in the view.
     */
    private Hash32 queueHash(long index) {
        if (index < queueHashStart) {
            return null;
        }
        Map.Entry<Long, Hash32> known = queueHashes.floorEntry(index);
        long i = known == null ? queueHashStart : known.getKey() + 1;
        byte[] prev = known == null ? new byte[32] : known.getValue().toArray();
        if (known != null && known.getKey() == index) {
            return known.getValue();
        }
        for (; i <= index; i++) {
            Optional<L1MessageQueued> m = view.message(i);
            if (m.isEmpty()) {
                return null;
            }
            L1MessageQueued q = m.get();
            byte[] txHash = Transaction.l1Message(q.queueIndex(), q.gasLimit(), Address.fromHex(q.target()), new BigInteger(q.value()),
                    Hex.decode(q.data()), Address.fromHex(q.sender())).hash().toArray();
            byte[] in = new byte[64];
            System.arraycopy(prev, 0, in, 0, 32);
            System.arraycopy(txHash, 0, in, 32, 32);
            byte[] h = Keccak.hash256(in);
            h[28] = h[29] = h[30] = h[31] = 0;
            queueHashes.put(i, Hash32.wrap(h));
            prev = h;
        }
        return queueHashes.get(index);
    }

    @Override
    public void close() {
        running.set(false);
        if (thread != null) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
