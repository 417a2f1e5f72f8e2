package org.rollupnode.gateway;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.rollupnode.execution.state.WorldState;
import org.rollupnode.execution.tx.Transaction;
import org.rollupnode.execution.tx.TransactionDecoder;
import org.rollupnode.execution.types.Address;
import org.rollupnode.execution.types.Hash32;
import org.rollupnode.execution.types.Hex;
import org.rollupnode.kafka.KafkaSettings;
import org.rollupnode.schemas.EventCodec;
import org.rollupnode.schemas.PendingTransaction;
import org.rollupnode.schemas.SequencerControl;
import org.rollupnode.schemas.Topics;
import org.rollupnode.schemas.TransactionOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every replica accepted and the sequencer has not included yet, folded from
 * {@code pending-transactions}, {@code transaction-outcomes} and {@code sequencer-control}. It
 * answers txpool_*, pending nonces, pending lookups by hash, and what became of a transaction.
 */
public final class PoolView implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("rollup_node::rpc");

    public record Pending(Transaction tx, Address sender, long receivedAtMillis) {}

    private final KafkaSettings kafka;
    private final Map<Hash32, Pending> pending = new ConcurrentHashMap<>();
    private final Map<Hash32, TransactionOutcome> outcomes = new ConcurrentHashMap<>();
    private volatile Boolean automaticSequencing; // null until a control command was seen
    private volatile java.util.function.Consumer<Transaction> onPending = tx -> { };

    /** Called on the pool-view thread for each transaction seen for the first time. */
    public void onPending(java.util.function.Consumer<Transaction> listener) {
        this.onPending = listener;
    }
    private final AtomicBoolean running = new AtomicBoolean();
    private Thread thread;
    private final org.rollupnode.kafka.UndecodableRecords undecodable;

    public PoolView(KafkaSettings kafka) {
        this.kafka = kafka;
        this.undecodable = new org.rollupnode.kafka.UndecodableRecords("rpc-gateway pool view", kafka);
    }

    /** Where this view stopped at a record that does not decode (empty when it did not). */
    public List<org.rollupnode.kafka.UndecodableRecords.Halt> undecodableHalts() {
        return undecodable.halts();
    }

    public void start() {
        if (running.compareAndSet(false, true)) {
            thread = new Thread(this::run, "pool-view");
            thread.setDaemon(true);
            thread.start();
        }
    }

    private void run() {
        while (running.get()) {
            try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(kafka.bulkReaderConfig("gateway-pool-view"))) {
                List<TopicPartition> tps = new ArrayList<>();
                for (String topic : List.of(Topics.PENDING_TRANSACTIONS.name(), Topics.TRANSACTION_OUTCOMES.name(), Topics.SEQUENCER_CONTROL.name())) {
                    for (PartitionInfo p : c.partitionsFor(topic)) {
                        tps.add(new TopicPartition(topic, p.partition()));
                    }
                }
                c.assign(tps);
                c.seekToBeginning(tps);
                while (running.get()) {
                    for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(100))) {
                        if (!undecodable.stopped(r)) {
                            accept(c, r);
                        }
                    }
                }
            } catch (RuntimeException e) {
                LOG.error("Pool view consumer failed, retrying in 1 s: {}", e.getMessage());
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void accept(KafkaConsumer<String, byte[]> consumer, ConsumerRecord<String, byte[]> r) {
        try {
            if (r.topic().equals(Topics.PENDING_TRANSACTIONS.name())) {
                PendingTransaction p = EventCodec.PENDING_TRANSACTION.decode(r.value(), r.topic(), r.partition(), r.offset());
                Transaction tx = TransactionDecoder.decode(Hex.decode(p.raw()));
                if (!outcomes.containsKey(tx.hash())
                        && pending.put(tx.hash(), new Pending(tx, Address.fromHex(p.sender()), p.receivedAtMillis())) == null) {
                    onPending.accept(tx);
                }
            } else if (r.topic().equals(Topics.TRANSACTION_OUTCOMES.name())) {
                TransactionOutcome o = EventCodec.TRANSACTION_OUTCOME.decode(r.value(), r.topic(), r.partition(), r.offset());
                Hash32 h = Hash32.fromHex(o.hash());
                outcomes.put(h, o);
                pending.remove(h);
            } else {
                SequencerControl c = EventCodec.SEQUENCER_CONTROL.decode(r.value(), r.topic(), r.partition(), r.offset());
                if (c.action() != SequencerControl.Action.REVERT_TO_L1_BLOCK) {
                    automaticSequencing = c.action() == SequencerControl.Action.ENABLE_AUTOMATIC_SEQUENCING;
                }
            }
        } catch (RuntimeException e) {
            // Stops this partition at the record, or moves it aside when configured and the topic allows it.
            undecodable.onUndecodable(consumer, r, e);
        }
    }

    /** Records a transaction this replica just accepted, before its own record comes back from Kafka. */
    public void acceptedLocally(Transaction tx, Address sender) {
        if (pending.putIfAbsent(tx.hash(), new Pending(tx, sender, System.currentTimeMillis())) == null) {
            onPending.accept(tx);
        }
    }

    /**
     * A revert took these blocks off the chain: their L2 transactions are back in the sequencer's
     * mempool (it re-adds them the same way), so they are pending here again until a block includes
     * them (then {@link #prune} forgets them). L1 messages are not pool transactions.
     */
    public void restore(List<org.rollupnode.chain.CanonicalChain.ChainBlock> reverted) {
        long now = System.currentTimeMillis();
        int restored = 0;
        for (var b : reverted) {
            for (var e : b.block().transactions()) {
                Transaction tx = e.transaction();
                if (!tx.isL1Message() && !outcomes.containsKey(tx.hash())
                        && pending.putIfAbsent(tx.hash(), new Pending(tx, tx.sender(), now)) == null) {
                    restored++;
                }
            }
        }
        if (restored > 0) {
            LOG.info("{} transactions of {} reverted blocks are pending again", restored, reverted.size());
        }
    }

    /** Forgets pending transactions whose nonce the head state has used (included or superseded). */
    public void prune(WorldState head) {
        // one state lookup per sender, not per transaction (a loaded pool holds hundreds per sender)
        Map<Address, Long> nonces = new java.util.HashMap<>();
        pending.values().removeIf(p -> p.tx().nonce() < nonces.computeIfAbsent(p.sender(), head::nonce));
    }

    public Pending pending(Hash32 hash) {
        return pending.get(hash);
    }

    public TransactionOutcome outcome(Hash32 hash) {
        return outcomes.get(hash);
    }

    public Boolean automaticSequencing() {
        return automaticSequencing;
    }

    /** Per sender, nonce-ordered: executable ("pending") and gapped ("queued") transactions. */
    public record Split(Map<Address, TreeMap<Long, Pending>> executable, Map<Address, TreeMap<Long, Pending>> queued) {
        public int executableCount() {
            return executable.values().stream().mapToInt(Map::size).sum();
        }

        public int queuedCount() {
            return queued.values().stream().mapToInt(Map::size).sum();
        }
    }

    public Split split(WorldState head) {
        Map<Address, TreeMap<Long, Pending>> bySender = new TreeMap<>();
        for (Pending p : pending.values()) {
            long next = head.nonce(p.sender());
            if (p.tx().nonce() >= next) {
                bySender.computeIfAbsent(p.sender(), k -> new TreeMap<>()).merge(p.tx().nonce(), p,
                        (a, b) -> a.receivedAtMillis() >= b.receivedAtMillis() ? a : b); // latest replacement wins
            }
        }
        Map<Address, TreeMap<Long, Pending>> exec = new TreeMap<>();
        Map<Address, TreeMap<Long, Pending>> queued = new TreeMap<>();
        for (var e : bySender.entrySet()) {
            long expect = head.nonce(e.getKey());
            for (var n : e.getValue().entrySet()) {
                if (n.getKey() == expect) {
                    exec.computeIfAbsent(e.getKey(), k -> new TreeMap<>()).put(n.getKey(), n.getValue());
                    expect++;
                } else {
                    queued.computeIfAbsent(e.getKey(), k -> new TreeMap<>()).put(n.getKey(), n.getValue());
                }
            }
        }
        return new Split(exec, queued);
    }

    /** The nonce after the sender's executable pending transactions. */
    public long pendingNonce(Address sender, WorldState head) {
        java.util.Set<Long> nonces = new java.util.HashSet<>();
        for (Pending p : pending.values()) {
            if (p.sender().equals(sender)) {
                nonces.add(p.tx().nonce());
            }
        }
        long nonce = head.nonce(sender);
        while (nonces.contains(nonce)) {
            nonce++;
        }
        return nonce;
    }

    @Override
    public void close() {
        running.set(false);
        if (thread != null) {
            try {
                thread.join(3_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
