package org.rollupnode.sequencer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.rollupnode.chain.ChainFolder;
import org.rollupnode.chain.Payloads;
import org.rollupnode.execution.block.BlockHeader;
import org.rollupnode.execution.builder.BaseFee;
import org.rollupnode.execution.builder.BlockBuilder;
import org.rollupnode.execution.builder.BlockEnv;
import org.rollupnode.execution.builder.BuiltBlock;
import org.rollupnode.execution.builder.ExecutedTransaction;
import org.rollupnode.execution.builder.InvalidBlockException;
import org.rollupnode.execution.chain.ChainSpec;
import org.rollupnode.execution.tx.Transaction;
import org.rollupnode.execution.tx.TransactionDecoder;
import org.rollupnode.execution.types.Hex;
import org.rollupnode.kafka.KafkaSettings;
import org.rollupnode.schemas.BlockPayload;
import org.rollupnode.schemas.EventCodec;
import org.rollupnode.schemas.PendingTransaction;
import org.rollupnode.schemas.L1MessageQueued;
import org.rollupnode.schemas.SequencerControl;
import org.rollupnode.schemas.SequencerRevert;
import org.rollupnode.schemas.SequencerStreamEvent;
import org.rollupnode.schemas.Topics;
import org.rollupnode.schemas.TransactionOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sequencer-service: folds {@code pending-transactions} into a mempool, follows the sequencer
 * stream, and, while it is the leader, builds a payload every slot and appends it to the stream,
 * one Kafka transaction per block (payload + outcomes of dropped transactions).
 *
 * <p>Any number of instances may run. The leader is the member of a Kafka consumer group that owns
 * the single partition of {@code sequencer-lock}; the others are warm standbys following the
 * stream. Promotion order matters (architecture §4): first claim the producer identity, which fences
 * the old leader, then read the stream to its end, then build on that head.
 */
public final class SequencerService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("rollup_node::sequencer");
    static final String TRANSACTIONAL_ID = "rollup-node-sequencer";
    static final String LEADER_GROUP = "rollup-node-sequencer-leader";
    private static final int MAX_BUFFERED_OUTCOMES = 100_000;

    private final SequencerConfig config;
    private final ChainSpec spec;
    private final KafkaSettings kafka;
    private final long gasLimit;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean automatic = new AtomicBoolean();
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private volatile Throwable failure;
    private volatile long headNumber = -1;
    private volatile boolean leading;
    private volatile boolean lockAssigned;
    private Thread thread;

    private final Mempool mempool;
    /** Stops at (or, for pending-transactions when configured, moves aside) a record that does not decode. */
    private final org.rollupnode.kafka.UndecodableRecords undecodable;
    private final List<TransactionOutcome> outcomes = new ArrayList<>();
    private ChainFolder folder;
    private KafkaProducer<String, byte[]> producer;
    private KafkaConsumer<String, byte[]> streamReader;
    private KafkaConsumer<String, byte[]> pendingReader;
    private KafkaConsumer<String, byte[]> controlReader;
    private KafkaConsumer<String, byte[]> lock;
    private final org.rollupnode.watcher.L1View l1View = new org.rollupnode.watcher.L1View();
    private org.rollupnode.watcher.L1EventsReader l1Reader;
    private final TopicPartition streamPartition = new TopicPartition(Topics.SEQUENCER_STREAM.name(), 0);
    /** The l1-events record each message this chain included came from (for revert reports); pruned with the view. */
    private final java.util.TreeMap<Long, L1MessageQueued> includedFrom = new java.util.TreeMap<>();
    /** Messages below this queue index are included and on finalized L1: pruned from the view, never re-checked. */
    private long l1SettledBelow;
    /** The view's reorg count when the chain was last found consistent with L1 (-1: never checked). */
    private long l1CheckedReorgs = -1;
    private String l1Stall;
    /** Stream offset of the last record this instance committed: it is applied already when the reader meets it. */
    private long ownThrough = -1;

    // Metrics go to Micrometer's global registry; the CLI attaches a Prometheus registry to it.
    private final Counter blocksBuilt = Counter.builder("sequencer_blocks_built_total").description("Payloads committed to the sequencer stream")
            .register(Metrics.globalRegistry);
    private final Timer buildTime = Timer.builder("sequencer_block_build_seconds").description("Payload building time")
            .publishPercentileHistogram().register(Metrics.globalRegistry);
    private final DistributionSummary txsPerBlock = DistributionSummary.builder("sequencer_block_transactions")
            .description("Transactions per built block").register(Metrics.globalRegistry);
    private final DistributionSummary gasPerBlock = DistributionSummary.builder("sequencer_block_gas_used")
            .description("Gas used per built block").register(Metrics.globalRegistry);
    private final Counter outcomesRecorded = Counter.builder("sequencer_transaction_outcomes_total")
            .description("Outcomes recorded for transactions that were not included").register(Metrics.globalRegistry);
    private final Counter reverts = Counter.builder("sequencer_reverts_total")
            .description("Revert records written because an L1 reorg removed an included L1 message").register(Metrics.globalRegistry);

    public SequencerService(SequencerConfig config, ChainSpec spec, KafkaSettings kafka) {
        this.config = config;
        this.spec = spec;
        this.kafka = kafka;
        this.gasLimit = config.gasLimit() != null ? config.gasLimit() : spec.defaultBlockGasLimit();
        this.mempool = new Mempool(config.maxPoolTransactions(), config.maxTransactionsPerSender());
        this.undecodable = new org.rollupnode.kafka.UndecodableRecords("sequencer " + config.sequencerId(), kafka);
        Gauge.builder("sequencer_mempool_size", this, SequencerService::mempoolSize).register(Metrics.globalRegistry);
        Gauge.builder("sequencer_leader", this, s -> s.leading ? 1 : 0).description("1 while this instance leads")
                .register(Metrics.globalRegistry);
        Gauge.builder("sequencer_head_block", this, s -> s.headNumber).register(Metrics.globalRegistry);
    }

    /** Ready: caught up with the stream, as leader or as standby, and not stopped at an undecodable record. */
    public boolean ready() {
        return caughtUp.getCount() == 0 && failure == null && !undecodable.anyStopped();
    }

    /** Where this sequencer stopped at a record that does not decode (empty when it did not). */
    public List<org.rollupnode.kafka.UndecodableRecords.Halt> undecodableHalts() {
        return undecodable.halts();
    }

    public void start() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        automatic.set(config.autoStart());
        thread = new Thread(this::run, "sequencer");
        thread.start();
    }

    /** Waits until the service has read the stream to its end once. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean automaticSequencing() {
        return automatic.get();
    }

    public boolean leading() {
        return leading;
    }

    public long headNumber() {
        return headNumber;
    }

    public Throwable failure() {
        return failure;
    }

    private void run() {
        try {
            open();
            long blockMs = config.blockTime().toMillis();
            long nextSlot = nextSlotAfter(System.currentTimeMillis(), blockMs);
            long retryLeadAt = 0;
            while (running.get()) {
                try {
                    lock.poll(Duration.ZERO); // heartbeats and leadership callbacks
                    if (lockAssigned && !leading && System.currentTimeMillis() >= retryLeadAt) {
                        becomeLeader();
                    } else if (!lockAssigned && leading) {
                        stepDown("lost the sequencer lock");
                    }
                    long now = System.currentTimeMillis();
                    if (now >= nextSlot) {
                        if (leading && automatic.get()) {
                            buildSlot(nextSlot);
                        } else if (leading) {
                            flushOutcomes();
                        }
                        // A slot that came while we were building is skipped, not queued.
                        nextSlot = nextSlotAfter(System.currentTimeMillis(), blockMs);
                        continue;
                    }
                    if (!leading) {
                        followStream(Duration.ZERO);
                    }
                    pollInputs(Duration.ofMillis(Math.min(50, Math.max(1, nextSlot - now))));
                } catch (org.apache.kafka.common.errors.TimeoutException e) {
                    // The broker did not answer in time (down or restarting): pause, never stop. The
                    // producer identity is given up and re-claimed, and the stream re-read to its end,
                    // before the next block, exactly as after a failed commit.
                    if (leading || producer != null) {
                        LOG.warn("Kafka did not answer in time ({}); not building until the sequencer identity is re-claimed", e.getMessage());
                    } else {
                        LOG.warn("Kafka did not answer in time ({}); retrying in 1 s", e.getMessage());
                    }
                    closeProducer(Duration.ZERO);
                    leading = false;
                    retryLeadAt = System.currentTimeMillis() + 1_000;
                }
            }
        } catch (Throwable t) {
            failure = t;
            LOG.error("Sequencer stopped: {}", t.getMessage(), t);
        } finally {
            closeClients();
        }
    }

    static long nextSlotAfter(long nowMillis, long blockMs) {
        return (nowMillis / blockMs + 1) * blockMs;
    }

    private void open() throws InvalidBlockException {
        folder = new ChainFolder(spec);
        streamReader = new KafkaConsumer<>(kafka.readerConfig(config.sequencerId() + "-stream"));
        streamReader.assign(List.of(streamPartition));
        streamReader.seekToBeginning(List.of(streamPartition));
        readStreamToEnd();

        // Control commands survive restarts: the last one wins over --sequencer.auto-start.
        controlReader = new KafkaConsumer<>(kafka.readerConfig(config.sequencerId() + "-control"));
        TopicPartition control = new TopicPartition(Topics.SEQUENCER_CONTROL.name(), 0);
        controlReader.assign(List.of(control));
        controlReader.seekToBeginning(List.of(control));
        long controlEnd = controlReader.endOffsets(List.of(control)).get(control);
        while (!undecodable.stopped(control) && controlReader.position(control) < controlEnd) {
            applyControl(controlReader.poll(Duration.ofMillis(200)), false);
        }

        l1Reader = new org.rollupnode.watcher.L1EventsReader(kafka, config.sequencerId() + "-l1");
        l1Reader.readToEnd(l1View);

        pendingReader = new KafkaConsumer<>(kafka.readerConfig(config.sequencerId() + "-mempool"));
        List<TopicPartition> pending = new ArrayList<>();
        for (PartitionInfo p : pendingReader.partitionsFor(Topics.PENDING_TRANSACTIONS.name())) {
            pending.add(new TopicPartition(p.topic(), p.partition()));
        }
        pendingReader.assign(pending);
        // Accepted but not yet included transactions must survive a restart: re-read them all;
        // the ones already included are recognised by their nonce and skipped.
        pendingReader.seekToBeginning(pending);
        Map<TopicPartition, Long> pendingEnd = pendingReader.endOffsets(pending);
        boolean behind = true;
        while (behind) {
            pollInputs(Duration.ofMillis(100));
            behind = false;
            for (TopicPartition tp : pending) {
                behind |= !undecodable.stopped(tp) && pendingReader.position(tp) < pendingEnd.get(tp);
            }
        }
        outcomes.clear(); // outcomes of a re-read were recorded by whoever led at the time

        Map<String, Object> lockConfig = kafka.readerConfig(config.sequencerId() + "-lock");
        lockConfig.put(ConsumerConfig.GROUP_ID_CONFIG, LEADER_GROUP);
        lockConfig.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 6_000);
        lockConfig.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 1_000);
        lockConfig.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 30_000);
        lock = new KafkaConsumer<>(lockConfig);
        lock.subscribe(List.of(Topics.SEQUENCER_LOCK.name()), lockListener);
        LOG.info("Sequencer {} ready at head {} ({}), automatic sequencing {}, block time {} ms, gas limit {}, fee recipient {}; "
                        + "waiting for the sequencer lock", config.sequencerId(), folder.head().number(), folder.head().hash(),
                automatic.get() ? "on" : "off", config.blockTime().toMillis(), gasLimit, config.feeRecipient());
        caughtUp.countDown();
    }

    private final ConsumerRebalanceListener lockListener = new ConsumerRebalanceListener() {
        @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                lockAssigned = false;
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                if (!partitions.isEmpty()) {
                    lockAssigned = true;
                }
            }

            @Override
            public void onPartitionsLost(Collection<TopicPartition> partitions) {
                lockAssigned = false;
            }
        };

    /** Leaves and rejoins the leader group, so the lock goes to whoever the group picks now. */
    private void rejoinLockGroup() {
        lock.unsubscribe();
        lockAssigned = false;
        lock.subscribe(List.of(Topics.SEQUENCER_LOCK.name()), lockListener);
    }

    private void becomeLeader() throws InvalidBlockException {
        producer = new KafkaProducer<>(kafka.transactionalProducerConfig(config.sequencerId(), TRANSACTIONAL_ID));
        producer.initTransactions(); // fences the previous leader before we read its last block
        readStreamToEnd();
        // The L1 check before the first block needs every message the old leader included.
        l1Reader.readToEnd(l1View);
        leading = true;
        LOG.info("Sequencer {} is now the leader at head {} ({})", config.sequencerId(), folder.head().number(), folder.head().hash());
    }

    private void stepDown(String why) {
        leading = false;
        closeProducer(Duration.ofSeconds(1));
        outcomes.clear();
        LOG.warn("Sequencer {} stops leading: {}", config.sequencerId(), why);
    }

    private void closeProducer(Duration timeout) {
        if (producer != null) {
            try {
                producer.close(timeout);
            } catch (RuntimeException ignored) {
                // already broken
            }
            producer = null;
        }
    }

    /** Reads committed payloads up to the end of the stream, re-executing the ones we did not build. */
    private void readStreamToEnd() throws InvalidBlockException {
        long end = streamReader.endOffsets(List.of(streamPartition)).get(streamPartition);
        while (streamReader.position(streamPartition) < end) {
            applyStream(streamReader.poll(Duration.ofMillis(200)));
        }
        afterStreamAdvance();
    }

    private void followStream(Duration timeout) throws InvalidBlockException {
        applyStream(streamReader.poll(timeout));
        afterStreamAdvance();
    }

    private void afterStreamAdvance() {
        if (headNumber != folder.head().number()) {
            headNumber = folder.head().number();
            mempool.pruneIncluded(folder.headState());
        }
    }

    private void applyStream(Iterable<ConsumerRecord<String, byte[]>> records) throws InvalidBlockException {
        for (ConsumerRecord<String, byte[]> r : records) {
            if (r.offset() <= ownThrough) {
                continue; // our own record, applied when we committed it
            }
            SequencerStreamEvent ev;
            try {
                ev = EventCodec.SEQUENCER_STREAM.decode(r.value(), r.topic(), r.partition(), r.offset());
            } catch (RuntimeException e) {
                // The chain itself: never skipped, never moved aside. The sequencer stops here.
                undecodable.stopAndRecord(r, e);
                throw e;
            }
            if (ev instanceof SequencerRevert rv) {
                BlockHeader head = folder.head();
                if (rv.revertToNumber() == head.number() && rv.revertToHash().equals(head.hash().toHex())) {
                    continue; // our own revert coming back, already applied (or one that removes nothing here)
                }
                if (rv.revertToNumber() > head.number()) {
                    LOG.error("Ignoring a revert to height {} at {}-{}@{}: the head is only {}", rv.revertToNumber(), r.topic(),
                            r.partition(), r.offset(), head.number());
                    continue;
                }
                applyRevert(rv, "read from " + r.topic() + "-" + r.partition() + "@" + r.offset());
            } else if (ev instanceof BlockPayload p) {
                BlockHeader head = folder.head();
                if (p.number() <= head.number()) {
                    // Our own payload coming back, or a duplicate from a rogue writer: the first one wins.
                    if (p.number() == head.number() && !p.hash().equals(head.hash().toHex())) {
                        LOG.error("Ignoring a second payload for height {} at {}-{}@{} (hash {}, kept {})",
                                p.number(), r.topic(), r.partition(), r.offset(), p.hash(), head.hash());
                    }
                    continue;
                }
                folder.apply(p);
            }
        }
    }

    private void pollInputs(Duration timeout) {
        for (ConsumerRecord<String, byte[]> r : pendingReader.poll(timeout)) {
            if (undecodable.stopped(r)) {
                continue; // its partition stopped at an earlier record of this batch
            }
            Transaction tx;
            try {
                PendingTransaction p = EventCodec.PENDING_TRANSACTION.decode(r.value(), r.topic(), r.partition(), r.offset());
                tx = TransactionDecoder.decode(Hex.decode(p.raw()));
                tx.sender();
            } catch (RuntimeException e) {
                // The gateway validated it; a record that fails here is corrupt: stop at it, or move it aside if configured.
                undecodable.onUndecodable(pendingReader, r, e);
                continue;
            }
            if (tx.nonce() < folder.headState().nonce(tx.sender())) {
                continue; // already included, or superseded, before we read it
            }
            Mempool.Admission a = mempool.add(tx, tx.sender());
            switch (a.result()) {
                case REPLACED -> outcome(a.replaced(), TransactionOutcome.Status.REPLACED,
                        "replaced by a transaction with the same nonce and higher fees", tx.hash().toHex());
                case UNDERPRICED_REPLACEMENT -> outcome(new Mempool.Entry(tx, tx.sender(), -1), TransactionOutcome.Status.REJECTED,
                        "replacement transaction underpriced: fee caps must rise by at least 10%", null);
                case SENDER_LIMIT -> outcome(new Mempool.Entry(tx, tx.sender(), -1), TransactionOutcome.Status.REJECTED,
                        "account has too many pending transactions", null);
                case POOL_FULL -> outcome(new Mempool.Entry(tx, tx.sender(), -1), TransactionOutcome.Status.REJECTED,
                        "txpool is full and the transaction pays less than every pending one", null);
                default -> { }
            }
            for (Mempool.Entry ev : a.evicted()) {
                outcome(ev, TransactionOutcome.Status.EVICTED, "evicted from a full txpool by a better-paying transaction", null);
            }
            if (LOG.isTraceEnabled()) {
                LOG.trace("Pending transaction {} from {} nonce {}: {}", tx.hash(), tx.sender(), tx.nonce(), a.result());
            }
        }
        applyControl(controlReader.poll(Duration.ZERO), true);
    }

    private void applyControl(Iterable<ConsumerRecord<String, byte[]>> records, boolean live) {
        for (ConsumerRecord<String, byte[]> r : records) {
            if (undecodable.stopped(r)) {
                continue;
            }
            SequencerControl c;
            try {
                c = EventCodec.SEQUENCER_CONTROL.decode(r.value(), r.topic(), r.partition(), r.offset());
            } catch (RuntimeException e) {
                // A skipped operator command would be lost from the audit trail: stop reading commands here.
                undecodable.onUndecodable(controlReader, r, e);
                continue;
            }
            boolean on = c.action() == SequencerControl.Action.ENABLE_AUTOMATIC_SEQUENCING;
            automatic.set(on);
            LOG.info("Automatic sequencing {} (requested by {}{})", on ? "enabled" : "disabled", c.requestedBy(),
                    live ? "" : ", replayed from sequencer-control");
        }
    }

    private void outcome(Mempool.Entry e, TransactionOutcome.Status status, String reason, String replacedBy) {
        if (outcomes.size() >= MAX_BUFFERED_OUTCOMES) {
            outcomes.remove(0);
        }
        outcomes.add(new TransactionOutcome(e.tx().hash().toHex(), e.sender().toHex(), e.tx().nonce(), status, reason, replacedBy,
                folder.head().number(), System.currentTimeMillis(), config.sequencerId()));
        LOG.info("Transaction {} from {} {}: {}", e.tx().hash(), e.sender(), status.name().toLowerCase(), reason);
    }

    private void flushOutcomes() {
        if (outcomes.isEmpty()) {
            return;
        }
        publish(null, null);
    }

    private void buildSlot(long slotMillis) throws InvalidBlockException {
        long startNanos = System.nanoTime();
        l1Reader.poll(l1View, Duration.ZERO);
        if (!l1Consistent()) {
            return;
        }
        BlockHeader parent = folder.head();
        long timestamp = Math.max(parent.timestamp(), System.currentTimeMillis() / 1000);
        BlockEnv env = new BlockEnv(parent.number() + 1, timestamp, config.feeRecipient(), gasLimit,
                BaseFee.next(parent, spec.baseFeeOverhead()));
        BlockBuilder builder = new BlockBuilder(spec, parent, folder.headState(), env);
        long nextQueueIndex = folder.nextL1QueueIndex();
        int l1Included = includeL1Messages(builder, nextQueueIndex);
        Mempool.Fill fill = mempool.fill(builder, startNanos + config.payloadBuildingDuration().toNanos());
        for (Mempool.Dropped d : fill.dropped()) {
            outcome(d.entry(), TransactionOutcome.Status.DROPPED, d.message(), null);
        }
        if (builder.transactionCount() == 0 && !config.allowEmptyBlocks()) {
            LOG.trace("Built empty payload for slot {}, discarding payload (no transactions, --sequencer.allow-empty-blocks not set)", slotMillis);
            flushOutcomes();
            return;
        }
        BuiltBlock built = builder.seal(new byte[0]);
        long buildMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        BlockPayload payload = Payloads.toPayload(built, l1Included, nextQueueIndex + l1Included, config.sequencerId(),
                System.currentTimeMillis(), buildMillis);
        if (!publish(payload, fill)) {
            return;
        }
        folder.advance(built);
        afterStreamAdvance();
        pruneSettledL1Messages();
        blocksBuilt.increment();
        buildTime.record(buildMillis, TimeUnit.MILLISECONDS);
        txsPerBlock.record(built.transactions().size());
        gasPerBlock.record(built.header().gasUsed());
        LOG.info("Built payload with id {}, hash: {}, number: {} containing {} transactions. (L1 messages {}, gas used {}, build {} ms{})",
                Long.toHexString(slotMillis), built.header().hash(), built.header().number(), built.transactions().size(), l1Included,
                built.header().gasUsed(), buildMillis, fill.timedOut() ? ", stopped at the building deadline" : "");
        readStreamToEnd(); // skips our own record; catches a rogue writer's record loudly
    }

    /**
     * Puts the eligible L1 messages at the start of the block, in queue order. Stops at the first one
     * that does not fit or fails to execute: the rest wait for the next block, none is skipped.
     */
    private int includeL1Messages(BlockBuilder builder, long nextQueueIndex) {
        int max = config.maxL1Messages() != null ? config.maxL1Messages() : spec.maxL1MessagesPerBlock();
        int included = 0;
        for (Transaction tx : L1Inclusion.select(l1View, config.l1InclusionMode(), nextQueueIndex, max, gasLimit)) {
            try {
                builder.add(tx);
                l1View.message(tx.queueIndex()).ifPresent(m -> includedFrom.put(m.queueIndex(), m));
                included++;
            } catch (org.rollupnode.execution.builder.TransactionRejected e) {
                LOG.warn("L1 message {} (queue index {}) not included in this block: {}", tx.hash(), tx.queueIndex(), e.getMessage());
                break;
            }
        }
        return included;
    }

    /**
     * Invariant 3 after an L1 reorg: if a retained block holds an L1 message that L1 no longer has,
     * writes a revert record to the block before it, applies it, and returns true when building may
     * go on. Checked once per reorg the view has seen (and once after start or promotion).
     */
    private boolean l1Consistent() throws InvalidBlockException {
        if (l1View.reorgCount() == l1CheckedReorgs) {
            return true;
        }
        var hit = L1Inclusion.firstReorgedAway(folder.retained(), l1View, l1SettledBelow, includedFrom::get);
        if (hit.isEmpty()) {
            l1CheckedReorgs = l1View.reorgCount();
            if (l1Stall != null) {
                LOG.info("L1 and the L2 chain agree again; building resumes");
                l1Stall = null;
            }
            return true;
        }
        L1Inclusion.ReorgedMessage m = hit.get();
        long target = m.l2Block() - 1;
        ChainFolder.Retained to = folder.retainedAt(target);
        if (to == null) {
            String why = m.reason() + "; the revert to L2 block " + target + " is deeper than the " + (folder.head().number()
                    - folder.oldestRetained()) + " retained blocks: not building until an operator intervenes";
            if (!why.equals(l1Stall)) {
                LOG.error("{}", why);
                l1Stall = why;
            }
            return false;
        }
        long ancestor = l1View.lastReorg().map(r -> r.commonAncestorNumber()).orElse(-1L);
        SequencerRevert rv = new SequencerRevert(target, to.block().header().hash().toHex(), folder.head().number(), m.reason(),
                ancestor, m.l1BlockNumber(), m.queueIndex(), to.nextL1QueueIndex(), config.sequencerId(), System.currentTimeMillis());
        if (!publishRevert(rv)) {
            return false;
        }
        applyRevert(rv, "written by this sequencer");
        reverts.increment();
        readStreamToEnd(); // our own revert comes back as a no-op
        return true;
    }

    /** Unwinds the folder; the reverted blocks' L2 transactions go back to the mempool to be included again. */
    private void applyRevert(SequencerRevert rv, String source) throws InvalidBlockException {
        List<BuiltBlock> removed = folder.revertTo(rv.revertToNumber(), rv.revertToHash());
        int back = 0;
        for (BuiltBlock b : removed) {
            for (ExecutedTransaction e : b.transactions()) {
                if (!e.transaction().isL1Message()) {
                    mempool.add(e.transaction(), e.transaction().sender());
                    back++;
                }
            }
        }
        includedFrom.tailMap(folder.nextL1QueueIndex(), true).clear();
        afterStreamAdvance();
        LOG.warn("Reverted L2 chain from block {} to {} ({}) {}: {}; L1 reorg common ancestor {}, L1 block {}; {} L2 transactions back "
                        + "in the mempool, next L1 queue index {}", rv.revertedFromNumber(), rv.revertToNumber(), rv.revertToHash(), source,
                rv.reason(), rv.l1ReorgCommonAncestor(), rv.l1BlockNumber(), back, folder.nextL1QueueIndex());
    }

    /**
     * Drops from the view the messages included in blocks older than the retained ones: no revert
     * can reach those blocks any more, so no L1 reorg check needs them (and the Rust node's
     * finalized-block pruning is the stricter bound in practice, as retained blocks span minutes).
     */
    private void pruneSettledL1Messages() {
        long bound = folder.retainedAt(folder.oldestRetained()).nextL1QueueIndex();
        if (bound > l1SettledBelow) {
            l1View.pruneMessagesBelow(bound);
            includedFrom.headMap(bound, false).clear();
            l1SettledBelow = bound;
        }
    }

    private boolean publishRevert(SequencerRevert rv) {
        try {
            producer.beginTransaction();
            var sent = producer.send(new ProducerRecord<>(Topics.SEQUENCER_STREAM.name(), 0, Long.toString(rv.revertToNumber()),
                    EventCodec.SEQUENCER_STREAM.encode(rv)));
            producer.commitTransaction();
            ownThrough = ownOffset(sent);
            return true;
        } catch (ProducerFencedException | InvalidProducerEpochException e) {
            stepDown("fenced by another sequencer instance (" + e.getClass().getSimpleName() + ")");
            rejoinLockGroup();
            return false;
        } catch (KafkaException e) {
            LOG.warn("Publishing the revert to block {} failed ({}); re-reading the sequencer stream", rv.revertToNumber(), e.getMessage());
            closeProducer(Duration.ZERO);
            leading = false;
            return false;
        }
    }

    /** One Kafka transaction: the payload (if any) and the buffered outcomes. False if nothing was committed. */
    private boolean publish(BlockPayload payload, Mempool.Fill fill) {
        try {
            producer.beginTransaction();
            java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata> sent = null;
            if (payload != null) {
                sent = producer.send(new ProducerRecord<>(Topics.SEQUENCER_STREAM.name(), 0, Long.toString(payload.number()),
                        EventCodec.SEQUENCER_STREAM.encode(payload)));
            }
            for (TransactionOutcome o : outcomes) {
                producer.send(new ProducerRecord<>(Topics.TRANSACTION_OUTCOMES.name(), o.hash(), EventCodec.TRANSACTION_OUTCOME.encode(o)));
            }
            producer.commitTransaction();
            if (sent != null) {
                ownThrough = ownOffset(sent);
            }
            outcomesRecorded.increment(outcomes.size());
            outcomes.clear();
            return true;
        } catch (ProducerFencedException | InvalidProducerEpochException e) {
            // Another instance claimed the identity: we are a zombie. Put the transactions back and follow.
            if (fill != null) {
                fill.included().forEach(en -> mempool.add(en.tx(), en.sender()));
            }
            stepDown("fenced by another sequencer instance (" + e.getClass().getSimpleName() + ")");
            rejoinLockGroup();
            return false;
        } catch (KafkaException e) {
            // Outcome unknown: never reuse this producer. Put the transactions back, re-claim the
            // identity and learn from the stream itself whether the payload made it.
            LOG.warn("Publishing {} failed ({}); re-reading the sequencer stream",
                    payload != null ? "payload " + payload.number() : "outcomes", e.getMessage());
            if (fill != null) {
                fill.included().forEach(en -> mempool.add(en.tx(), en.sender()));
            }
            closeProducer(Duration.ZERO);
            leading = false; // becomeLeader() re-claims on the next loop while we still hold the lock
            return false;
        }
    }

    /** The offset of a record whose transaction committed (the future is complete by then). */
    private long ownOffset(java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata> sent) {
        try {
            return sent.get().offset();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ownThrough;
        } catch (java.util.concurrent.ExecutionException e) {
            return ownThrough; // cannot happen after a successful commit; the hash check in applyStream still catches a duplicate
        }
    }

    private void closeClients() {
        for (AutoCloseable c : new AutoCloseable[] {streamReader, pendingReader, controlReader, lock, l1Reader, undecodable}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // shutting down
            }
        }
        closeProducer(Duration.ofSeconds(5));
    }

    @Override
    public void close() {
        running.set(false);
        if (thread != null) {
            try {
                thread.join(15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** For tests and status: the pending transactions this instance holds. */
    public int mempoolSize() {
        return mempool.size();
    }
}
