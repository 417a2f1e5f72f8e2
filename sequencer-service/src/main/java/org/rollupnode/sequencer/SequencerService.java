package org.rollupnode.sequencer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
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
import org.rollupnode.execution.fee.ScrollL1FeeCalculator;
import org.rollupnode.execution.types.Hex;
import org.rollupnode.kafka.KafkaSettings;
import org.rollupnode.schemas.BlockPayload;
import org.rollupnode.schemas.EventCodec;
import org.rollupnode.schemas.PendingTransaction;
import org.rollupnode.schemas.L1MessageQueued;
import org.rollupnode.schemas.SequencerControl;
import org.rollupnode.schemas.SequencerRevert;
import org.rollupnode.schemas.SequencerStreamEvent;
import org.rollupnode.schemas.SignedBlocksEvent;
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
 * the old leader, then read the stream to its end, then {@code signed-blocks} to its end, then build
 * on that head. Each slot passes the {@link BuildGate} first: never on a head below what is signed,
 * and at most {@code --sequencer.max-unsigned-blocks} ahead of the signer.
 */
public final class SequencerService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("rollup_node::sequencer");
    static final String TRANSACTIONAL_ID = "rollup-node-sequencer";
    static final String LEADER_GROUP = "rollup-node-sequencer-leader";
    /**
     * Holds, as a committed consumer offset written inside the sequencer's own Kafka transactions,
     * how far {@code sequencer-control}'s revert requests have been carried out: a request and its
     * revert record commit together, so a restart or a new leader neither repeats nor loses one.
     */
    static final String CONTROL_GROUP = "rollup-node-sequencer-control";
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
    /** The world-state cache under --datadir, or null without one. */
    private org.rollupnode.chain.store.FolderPersistence persistence;
    /** Blocks re-executed from the stream since start (not built here, not loaded from the state store). */
    private volatile long reexecuted;
    private volatile org.rollupnode.chain.ExecutedBlocks executedBlocks;
    private KafkaProducer<String, byte[]> producer;
    private KafkaConsumer<String, byte[]> streamReader;
    /** The stream's log end including open transactions (read_uncommitted), only asked before leading. */
    private KafkaConsumer<String, byte[]> uncommittedEnd;
    private long settleWaitSince;
    private long settleLoggedAt;
    private KafkaConsumer<String, byte[]> pendingReader;
    private KafkaConsumer<String, byte[]> controlReader;
    private KafkaConsumer<String, byte[]> lock;
    private KafkaConsumer<String, byte[]> signedReader;
    private final TopicPartition signedPartition = new TopicPartition(Topics.SIGNED_BLOCKS.name(), 0);
    private final SignedHead signed = new SignedHead();
    private volatile long signedNumber;
    /** The newest revert record in the stream (offset, target): signed-blocks follows it once the signer applied it. */
    private long streamRevertOffset = -1;
    private long streamRevertTarget = -1;
    private volatile BuildGate.Decision gate;
    private final java.util.concurrent.atomic.AtomicLong slotsHeld = new java.util.concurrent.atomic.AtomicLong();
    private final org.rollupnode.watcher.L1View l1View = new org.rollupnode.watcher.L1View();
    private org.rollupnode.watcher.L1EventsReader l1Reader;
    private final TopicPartition streamPartition = new TopicPartition(Topics.SEQUENCER_STREAM.name(), 0);
    private final TopicPartition controlPartition = new TopicPartition(Topics.SEQUENCER_CONTROL.name(), 0);
    /** rollupNodeAdmin_revertToL1Block requests read from sequencer-control, in order. */
    private final List<AdminRevert> adminReverts = new ArrayList<>();
    /** Revert requests below this sequencer-control offset are carried out (committed with CONTROL_GROUP). */
    private long controlDoneBelow;

    private record AdminRevert(long offset, long l1Block, String requestedBy) {}
    /** The l1-events record each message this chain included came from (for revert reports); pruned with the view. */
    private final java.util.TreeMap<Long, L1MessageQueued> includedFrom = new java.util.TreeMap<>();
    /** Messages below this queue index are included and on finalized L1: pruned from the view, never re-checked. */
    private long l1SettledBelow;
    /** The view's reorg count when the chain was last found consistent with L1 (-1: never checked). */
    private long l1CheckedReorgs = -1;
    private String l1Stall;
    /** Stream offset of the last record this instance committed: it is applied already when the reader meets it. */
    private long ownThrough = -1;
    private volatile long l1MessagesPending;
    private final org.rollupnode.kafka.ServiceGauges gauges = new org.rollupnode.kafka.ServiceGauges();

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
    private final Counter slotsHeldCounter = Counter.builder("sequencer_slots_held_total")
            .description("Slots the leader did not build in because of signed-blocks (stale head, fork, or too many unsigned blocks)")
            .register(Metrics.globalRegistry);

    public SequencerService(SequencerConfig config, ChainSpec spec, KafkaSettings kafka) {
        this.config = config;
        this.spec = spec;
        this.l1Fees = ScrollL1FeeCalculator.forSpec(spec);
        this.kafka = kafka;
        this.gasLimit = config.gasLimit() != null ? config.gasLimit() : spec.defaultBlockGasLimit();
        this.mempool = new Mempool(config.maxPoolTransactions(), config.maxTransactionsPerSender());
        this.undecodable = new org.rollupnode.kafka.UndecodableRecords("sequencer " + config.sequencerId(), kafka);
    }

    /** Ready: caught up with the stream, as leader or as standby, and not stopped at an undecodable record. */
    public boolean ready() {
        return caughtUp.getCount() == 0 && failure == null && !undecodable.anyStopped();
    }

    /** Where this sequencer stopped at a record that does not decode (empty when it did not). */
    public List<org.rollupnode.kafka.UndecodableRecords.Halt> undecodableHalts() {
        return undecodable.halts();
    }

    /**
     * Hands every block this sequencer builds to readers in the same process (an rpc-gateway's
     * chain view), so they need not execute it again; see {@link org.rollupnode.chain.ExecutedBlocks}.
     */
    public SequencerService shareExecutedBlocks(org.rollupnode.chain.ExecutedBlocks executed) {
        this.executedBlocks = executed;
        return this;
    }

    public void start() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        automatic.set(config.autoStart());
        gauges.gauge("sequencer_mempool_size", "Transactions in this instance's mempool", this, SequencerService::mempoolSize);
        gauges.gauge("sequencer_leader", "1 while this instance leads", this, s -> s.leading ? 1 : 0);
        gauges.gauge("sequencer_head_block", "Head of the sequencer stream as this instance has applied it", this, s -> s.headNumber);
        gauges.gauge("sequencer_l1_messages_pending", "L1 messages in l1-events not yet included in a block (eligible or not)", this,
                s -> s.l1MessagesPending);
        gauges.gauge("sequencer_signed_head_block", "Last block signed-blocks holds, as read", this, s -> s.signedNumber);
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

    /** The last signed height this instance has read from signed-blocks. */
    public long signedHeadNumber() {
        return signedNumber;
    }

    /** The leader's last build-gate verdict ("BUILD", "STALE_HEAD", "FORKED", "SIGNER_BEHIND"), null before the first slot. */
    public String buildGateState() {
        BuildGate.Decision d = gate;
        return d == null ? null : d.state().name();
    }

    /** Slots in which the leader held building because of signed-blocks. */
    public long slotsHeld() {
        return slotsHeld.get();
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
                    } else if (!lockAssigned && producer != null) {
                        closeProducer(Duration.ofSeconds(1)); // lost the lock while waiting to lead: whoever has it fenced us
                    }
                    if (leading) {
                        handleAdminReverts();
                    }
                    long now = System.currentTimeMillis();
                    if (now >= nextSlot) {
                        if (leading && automatic.get()) {
                            if (gateOpen()) {
                                buildSlot(nextSlot);
                            } else {
                                flushOutcomes();
                            }
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

    private void open() throws InvalidBlockException, org.rollupnode.chain.store.StateStoreException {
        streamReader = new KafkaConsumer<>(kafka.readerConfig(config.sequencerId() + "-stream"));
        streamReader.assign(List.of(streamPartition));
        folder = null;
        if (config.stateDir() != null) {
            persistence = org.rollupnode.chain.store.FolderPersistence.open(config.stateDir(), spec);
            long end = streamReader.endOffsets(List.of(streamPartition)).get(streamPartition);
            var restored = persistence.restore(ChainFolder.DEFAULT_RETAINED_BLOCKS, end, this::streamRecordProduced);
            if (restored.isPresent()) {
                folder = restored.get().folder();
                streamReader.seek(streamPartition, restored.get().checkpoint().offset() + 1);
            }
        }
        if (folder == null) {
            folder = new ChainFolder(spec);
            streamReader.seekToBeginning(List.of(streamPartition));
        }
        readStreamToEnd();
        signedReader = new KafkaConsumer<>(kafka.readerConfig(config.sequencerId() + "-signed"));
        signedReader.assign(List.of(signedPartition));
        signedReader.seekToBeginning(List.of(signedPartition));
        readSignedToEnd();

        // Control commands survive restarts: the last one wins over --sequencer.auto-start.
        Map<String, Object> controlConfig = kafka.readerConfig(config.sequencerId() + "-control");
        controlConfig.put(ConsumerConfig.GROUP_ID_CONFIG, CONTROL_GROUP); // assigned, never subscribed: only for committed()
        controlReader = new KafkaConsumer<>(controlConfig);
        TopicPartition control = controlPartition;
        controlReader.assign(List.of(control));
        controlReader.seekToBeginning(List.of(control));
        long controlEnd = controlReader.endOffsets(List.of(control)).get(control);
        while (!undecodable.stopped(control) && controlReader.position(control) < controlEnd) {
            applyControl(controlReader.poll(Duration.ofMillis(200)), false);
        }

        l1Reader = new org.rollupnode.watcher.L1EventsReader(kafka, config.sequencerId() + "-l1");
        l1Reader.readToEnd(l1View);

        pendingReader = new KafkaConsumer<>(kafka.bulkReaderConfig(config.sequencerId() + "-mempool"));
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
        LOG.info("Sequencer {} ready at head {} ({}, {} blocks re-executed from the stream), last signed block {}, automatic sequencing {}, "
                        + "block time {} ms, gas limit {}, fee recipient {}; waiting for the sequencer lock", config.sequencerId(),
                folder.head().number(), folder.head().hash(), reexecuted, signed.number(),
                automatic.get() ? "on" : "off", config.blockTime().toMillis(), gasLimit, config.feeRecipient());
        caughtUp.countDown();
    }

    /** Whether the stream's record at the checkpoint's offset is the one that produced its head (the topic was not replaced). */
    private boolean streamRecordProduced(org.rollupnode.chain.store.StateStore.Checkpoint cp) {
        streamReader.seek(streamPartition, cp.offset());
        for (int polls = 0; polls < 50 && streamReader.position(streamPartition) <= cp.offset(); polls++) {
            for (ConsumerRecord<String, byte[]> r : streamReader.poll(Duration.ofMillis(200))) {
                if (r.offset() != cp.offset()) {
                    return false; // the record is gone (an aborted or compacted offset): not the stream we cached
                }
                SequencerStreamEvent ev;
                try {
                    ev = EventCodec.SEQUENCER_STREAM.decode(r.value(), r.topic(), r.partition(), r.offset());
                } catch (RuntimeException e) {
                    return false;
                }
                String hash = cp.blockHash().toHex();
                if (ev instanceof BlockPayload p) {
                    return p.number() == cp.number() && p.hash().equals(hash);
                }
                return ev instanceof SequencerRevert rv && rv.revertToNumber() == cp.number() && rv.revertToHash().equals(hash);
            }
        }
        return false;
    }

    /** For tests and status: blocks re-executed from the stream since start. */
    public long blocksReexecuted() {
        return reexecuted;
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
        if (producer == null) {
            producer = new KafkaProducer<>(kafka.transactionalProducerConfig(config.sequencerId(), TRANSACTIONAL_ID));
            producer.initTransactions(); // fences the previous leader before we read its last block
        }
        if (!streamSettled()) {
            return; // not leading yet: the run loop keeps the lock alive and asks again
        }
        readStreamToEnd();
        // After the stream: everything signed by then was in the stream we just read (unless the stream lost records).
        readSignedToEnd();
        // The L1 check before the first block needs every message the old leader included.
        l1Reader.readToEnd(l1View);
        controlDoneBelow = committedControlOffset();
        leading = true;
        gate = null;
        LOG.info("Sequencer {} is now the leader at head {} ({}), last signed block {}", config.sequencerId(), folder.head().number(),
                folder.head().hash(), signed.number());
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

    /**
     * Whether the stream holds no transaction still open. Fencing does not wait for one: a previous
     * leader that crashed between its commit and the commit markers (a full disk halting the broker,
     * for one) leaves a block the coordinator commits only after the restart, seconds later. Until
     * then read_committed ends before it, and building on the head we see would fork the stream at
     * that height (the signer signs the late block, refuses ours, and the chain stops). Nobody but us
     * can write now, so an open transaction is the old leader's and will be committed or aborted.
     */
    private boolean streamSettled() {
        if (uncommittedEnd == null) {
            Map<String, Object> c = kafka.readerConfig(config.sequencerId() + "-stream-end");
            c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
            uncommittedEnd = new KafkaConsumer<>(c);
        }
        long committedEnd = streamReader.endOffsets(List.of(streamPartition)).get(streamPartition);
        long logEnd = uncommittedEnd.endOffsets(List.of(streamPartition)).get(streamPartition);
        if (committedEnd >= logEnd) {
            if (settleWaitSince != 0) {
                LOG.info("The earlier leader's open transaction in {} was resolved after {} ms", streamPartition,
                        System.currentTimeMillis() - settleWaitSince);
                settleWaitSince = 0;
            }
            return true;
        }
        long now = System.currentTimeMillis();
        if (settleWaitSince == 0 || now - settleLoggedAt >= 10_000) {
            LOG.warn("Not leading yet: {} has an open transaction from an earlier leader (committed data ends at offset {}, the log at {}); "
                    + "waiting for it to be committed or aborted before building", streamPartition, committedEnd, logEnd);
            settleLoggedAt = now;
            settleWaitSince = settleWaitSince == 0 ? now : settleWaitSince;
        }
        return false;
    }

    /** Reads committed payloads up to the end of the stream, re-executing the ones we did not build. */
    private void readStreamToEnd() throws InvalidBlockException {
        long end = streamReader.endOffsets(List.of(streamPartition)).get(streamPartition);
        while (streamReader.position(streamPartition) < end) {
            applyStream(streamReader.poll(Duration.ofMillis(200)));
        }
        afterStreamAdvance();
    }

    /** Reads signed-blocks up to its current end. */
    private void readSignedToEnd() {
        long end = signedReader.endOffsets(List.of(signedPartition)).get(signedPartition);
        while (signedReader.position(signedPartition) < end) {
            pollSigned(Duration.ofMillis(200));
        }
    }

    private void pollSigned(Duration timeout) {
        for (ConsumerRecord<String, byte[]> r : signedReader.poll(timeout)) {
            // A chain record: the signed head past it is unknown, and building on an unknown head is
            // what the gate exists to prevent. The sequencer stops here, as at a bad stream record.
            SignedBlocksEvent ev = undecodable.decodeOrStop(EventCodec.SIGNED_BLOCKS, r);
            if (!signed.apply(ev)) {
                LOG.warn("signed-blocks record at {}-{}@{} neither extends nor unwinds the signed chain at {}; ignored, as the signer does",
                        r.topic(), r.partition(), r.offset(), signed.number());
            }
        }
        signedNumber = signed.number();
    }

    /**
     * Whether this slot may build: decides with the latest signed-blocks records, and on a stale head
     * re-reads the stream once (the records the signer saw may just have reached us). Logs changes.
     */
    private boolean gateOpen() throws InvalidBlockException {
        pollSigned(Duration.ZERO);
        BuildGate.Decision d = decideGate();
        if (d.state() == BuildGate.State.STALE_HEAD) {
            readStreamToEnd();
            d = decideGate();
        }
        BuildGate.Decision before = gate;
        gate = d;
        if (before == null || before.state() != d.state()) {
            switch (d.state()) {
                case BUILD -> {
                    if (before != null) {
                        LOG.info("Building resumes: {}", d.reason());
                    }
                }
                case SIGNER_BEHIND -> LOG.warn("Not building: {} (is a signer running?)", d.reason());
                default -> LOG.error("Not building: {}", d.reason());
            }
        }
        if (!d.build()) {
            slotsHeld.incrementAndGet();
            slotsHeldCounter.increment();
        }
        return d.build();
    }

    private BuildGate.Decision decideGate() {
        long pendingRevertTo = streamRevertOffset > signed.revertStreamOffset() ? streamRevertTarget : -1;
        return BuildGate.decide(folder.head().number(), this::hashAt, signed.number(), signed.hash(), pendingRevertTo,
                config.maxUnsignedBlocks());
    }

    private String hashAt(long number) {
        ChainFolder.Retained r = folder.retainedAt(number);
        return r == null ? null : r.block().header().hash().toHex();
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
            // The chain itself: never skipped, never moved aside. The sequencer stops here.
            SequencerStreamEvent ev = undecodable.decodeOrStop(EventCodec.SEQUENCER_STREAM, r);
            if (ev instanceof SequencerRevert rv) {
                noteStreamRevert(r.offset(), rv);
                BlockHeader head = folder.head();
                if (rv.revertToNumber() == head.number() && rv.revertToHash().equals(head.hash().toHex())) {
                    continue; // our own revert coming back, already applied (or one that removes nothing here)
                }
                if (rv.revertToNumber() > head.number()) {
                    LOG.error("Ignoring a revert to height {} at {}-{}@{}: the head is only {}", rv.revertToNumber(), r.topic(),
                            r.partition(), r.offset(), head.number());
                    continue;
                }
                applyRevert(rv, "read from " + r.topic() + "-" + r.partition() + "@" + r.offset(), r.offset());
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
                BuiltBlock applied = folder.apply(p);
                reexecuted++;
                if (persistence != null) {
                    persistence.applied(applied, p, r.offset(), folder);
                }
            }
        }
    }

    private void pollInputs(Duration timeout) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        pendingReader.poll(timeout).forEach(records::add);
        // Decoding a record (JSON, hex, RLP, sender) is a pure function of its bytes: done on all
        // cores, so this thread only admits, in record order, and keeps its time for building.
        Object[] decoded = new Object[records.size()];
        java.util.stream.IntStream range = java.util.stream.IntStream.range(0, decoded.length);
        (decoded.length >= PARALLEL_DECODE_MIN ? range.parallel() : range).forEach(i -> decoded[i] = decodePending(records.get(i)));
        for (int i = 0; i < decoded.length; i++) {
            ConsumerRecord<String, byte[]> r = records.get(i);
            if (undecodable.stopped(r)) {
                continue; // its partition stopped at an earlier record of this batch
            }
            if (decoded[i] instanceof RuntimeException e) {
                // The gateway validated it; a record that fails here is corrupt: stop at it, or move it aside if configured.
                undecodable.onUndecodable(pendingReader, r, e);
                continue;
            }
            Transaction tx = (Transaction) decoded[i];
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
        if (signedReader != null) {
            pollSigned(Duration.ZERO);
        }
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
            if (c.action() == SequencerControl.Action.REVERT_TO_L1_BLOCK) {
                adminReverts.add(new AdminRevert(r.offset(), c.l1BlockNumber(), c.requestedBy()));
                if (live) {
                    LOG.info("Revert to L1 block {} requested by {} ({}-{}@{})", c.l1BlockNumber(), c.requestedBy(), r.topic(),
                            r.partition(), r.offset());
                }
                continue;
            }
            boolean on = c.action() == SequencerControl.Action.ENABLE_AUTOMATIC_SEQUENCING;
            automatic.set(on);
            LOG.info("Automatic sequencing {} (requested by {}{})", on ? "enabled" : "disabled", c.requestedBy(),
                    live ? "" : ", replayed from sequencer-control");
        }
    }

    /** Below this many records the fork/join hand-off costs more than decoding them here. */
    private static final int PARALLEL_DECODE_MIN = 64;
    private final org.rollupnode.execution.evm.L1FeeCalculator l1Fees;

    /** The record's transaction with its sender recovered, or the RuntimeException that refused it. */
    private Object decodePending(ConsumerRecord<String, byte[]> r) {
        try {
            PendingTransaction p = EventCodec.PENDING_TRANSACTION.decode(r.value(), r.topic(), r.partition(), r.offset());
            Transaction tx = TransactionDecoder.decode(Hex.decode(p.raw()));
            tx.sender();
            l1Fees.prepare(tx); // the L1 fee's compressed size, for the build
            return tx;
        } catch (RuntimeException e) {
            return e;
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
        l1MessagesPending = Math.max(0, l1View.nextQueueIndex().orElse(0) - folder.nextL1QueueIndex());
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
        if (executedBlocks != null) {
            executedBlocks.put(built);
        }
        long buildMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        if (Boolean.getBoolean("rollupnode.sequencer.selfcheck")) {
            selfCheck(parent, env, built);
        }
        BlockPayload payload = Payloads.toPayload(built, l1Included, nextQueueIndex + l1Included, config.sequencerId(),
                System.currentTimeMillis(), buildMillis);
        long publishStart = System.nanoTime();
        if (!publish(payload, fill)) {
            return;
        }
        long publishMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - publishStart);
        folder.advance(built);
        long storeStart = System.nanoTime();
        if (persistence != null) {
            persistence.applied(built, payload, ownThrough, folder);
        }
        long storeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - storeStart);
        afterStreamAdvance();
        pruneSettledL1Messages();
        blocksBuilt.increment();
        buildTime.record(buildMillis, TimeUnit.MILLISECONDS);
        txsPerBlock.record(built.transactions().size());
        gasPerBlock.record(built.header().gasUsed());
        LOG.info("Built payload with id {}, hash: {}, number: {} containing {} transactions. (L1 messages {}, gas used {}, build {} ms{}; "
                        + "publish {} ms, state store {} ms)",
                Long.toHexString(slotMillis), built.header().hash(), built.header().number(), built.transactions().size(), l1Included,
                built.header().gasUsed(), buildMillis, fill.timedOut() ? ", stopped at the building deadline" : "", publishMillis, storeMillis);
        readStreamToEnd(); // skips our own record; catches a rogue writer's record loudly
    }

    /** Diagnostic: re-executes the block just built, from freshly decoded bytes, and reports any difference. */
    private void selfCheck(BlockHeader parent, BlockEnv env, BuiltBlock built) {
        try {
            List<Transaction> fresh = new ArrayList<>();
            for (ExecutedTransaction e : built.transactions()) {
                fresh.add(org.rollupnode.execution.tx.TransactionDecoder.decode(e.transaction().encoded()));
            }
            BuiltBlock again = BlockBuilder.reexecute(spec, parent, folder.headState(), env, fresh, new byte[0]);
            if (again.header().stateRoot().equals(built.header().stateRoot())) {
                return;
            }
            LOG.error("SELFCHECK block {}: built root {} but re-execution gives {}", env.number(), built.header().stateRoot(),
                    again.header().stateRoot());
            for (int i = 0; i < fresh.size(); i++) {
                ExecutedTransaction a = built.transactions().get(i);
                ExecutedTransaction b = again.transactions().get(i);
                if (a.gasUsed() != b.gasUsed() || !a.l1Fee().equals(b.l1Fee()) || !a.effectiveGasPrice().equals(b.effectiveGasPrice())
                        || !a.transaction().sender().equals(b.transaction().sender())) {
                    LOG.error("SELFCHECK tx {} {}: gas {} vs {}, l1Fee {} vs {}, price {} vs {}, sender {} vs {}", i, a.transaction().hash(),
                            a.gasUsed(), b.gasUsed(), a.l1Fee(), b.l1Fee(), a.effectiveGasPrice(), b.effectiveGasPrice(),
                            a.transaction().sender(), b.transaction().sender());
                }
                for (var addr : new org.rollupnode.execution.types.Address[] {a.transaction().sender(), a.transaction().to(), env.coinbase()}) {
                    if (addr == null) {
                        continue;
                    }
                    var x = built.postState().account(addr);
                    var y = again.postState().account(addr);
                    if (!x.equals(y)) {
                        LOG.error("SELFCHECK tx {} account {}: built {} re-executed {}", i, addr, x, y);
                    }
                }
            }
        } catch (Exception e) {
            LOG.error("SELFCHECK block {} failed: {}", env.number(), e.toString(), e);
        }
    }

    /**
     * Puts the eligible L1 messages at the start of the block, in queue order. Stops at the first one
     * that does not fit or fails to execute: the rest wait for the next block, none is skipped.
     */
    private int includeL1Messages(BlockBuilder builder, long nextQueueIndex) {
        int max = config.maxL1Messages() != null ? config.maxL1Messages() : spec.maxL1MessagesPerBlock();
        int included = 0;
        for (Transaction tx : L1Inclusion.select(l1View, config.l1InclusionMode(), nextQueueIndex, max, gasLimit, l1Cap())) {
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
        applyRevert(rv, "written by this sequencer", ownThrough);
        reverts.increment();
        readStreamToEnd(); // our own revert comes back as a no-op
        return true;
    }

    /** Unwinds the folder; the reverted blocks' L2 transactions go back to the mempool to be included again. */
    private void applyRevert(SequencerRevert rv, String source, long offset) throws InvalidBlockException {
        List<BuiltBlock> removed = folder.revertTo(rv.revertToNumber(), rv.revertToHash());
        if (persistence != null) {
            persistence.reverted(folder, offset);
        }
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

    /**
     * While a revert request is not yet mirrored in l1-events by the watcher's unwind, messages
     * from L1 blocks above it wait: the view still holds the pre-unwind records, and including them
     * again would only make the watcher's unwind revert the same blocks a second time.
     */
    private long l1Cap() {
        long unwound = l1View.lastUnwind().map(u -> u.controlOffset()).orElse(-1L);
        long cap = Long.MAX_VALUE;
        for (AdminRevert a : adminReverts) {
            if (a.offset() > unwound) {
                cap = Math.min(cap, a.l1Block());
            }
        }
        return cap;
    }

    private long committedControlOffset() {
        var committed = controlReader.committed(java.util.Set.of(controlPartition)).get(controlPartition);
        return committed == null ? 0 : committed.offset();
    }

    /**
     * Carries out the revert requests not yet done: reverts L2 to the block before the first that
     * included an L1 message from an L1 block above the requested one, and commits the request's
     * offset with the revert record (alone when nothing needs reverting).
     */
    private void handleAdminReverts() throws InvalidBlockException {
        for (AdminRevert a : adminReverts) {
            if (a.offset() < controlDoneBelow || !leading) {
                continue;
            }
            l1Reader.poll(l1View, Duration.ZERO);
            var hit = L1Inclusion.firstIncludedAbove(folder.retained(), l1View, l1SettledBelow, includedFrom::get, a.l1Block());
            String request = "rollupNodeAdmin_revertToL1Block(" + a.l1Block() + ") requested by " + a.requestedBy() + " ("
                    + Topics.SEQUENCER_CONTROL.name() + "-0@" + a.offset() + ")";
            SequencerRevert rv = null;
            if (hit.isPresent()) {
                L1Inclusion.ReorgedMessage m = hit.get();
                long target = m.l2Block() - 1;
                ChainFolder.Retained to = folder.retainedAt(target);
                if (to == null) {
                    LOG.error("{}: {}; the revert to L2 block {} is deeper than the {} retained blocks, not carried out", request,
                            m.reason(), target, folder.head().number() - folder.oldestRetained());
                } else {
                    rv = new SequencerRevert(target, to.block().header().hash().toHex(), folder.head().number(), request + ": " + m.reason(),
                            a.l1Block(), m.l1BlockNumber(), m.queueIndex(), to.nextL1QueueIndex(), config.sequencerId(),
                            System.currentTimeMillis());
                }
            }
            if (!commitControl(rv, a.offset() + 1)) {
                return;
            }
            controlDoneBelow = a.offset() + 1;
            if (rv != null) {
                applyRevert(rv, "written by this sequencer", ownThrough);
                reverts.increment();
                readStreamToEnd();
            } else if (hit.isEmpty()) {
                LOG.info("{}: no L2 block includes an L1 message from above L1 block {}, nothing to revert", request, a.l1Block());
            }
        }
    }

    /** One Kafka transaction: the revert record (if any) and the sequencer-control offset it carries out. */
    private boolean commitControl(SequencerRevert rv, long nextControlOffset) {
        try {
            producer.beginTransaction();
            java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata> sent = null;
            if (rv != null) {
                sent = producer.send(new ProducerRecord<>(Topics.SEQUENCER_STREAM.name(), 0, Long.toString(rv.revertToNumber()),
                        EventCodec.SEQUENCER_STREAM.encode(rv)));
            }
            producer.sendOffsetsToTransaction(Map.of(controlPartition, new org.apache.kafka.clients.consumer.OffsetAndMetadata(nextControlOffset)),
                    new org.apache.kafka.clients.consumer.ConsumerGroupMetadata(CONTROL_GROUP));
            producer.commitTransaction();
            if (sent != null) {
                ownThrough = ownOffset(sent);
            }
            return true;
        } catch (ProducerFencedException | InvalidProducerEpochException e) {
            stepDown("fenced by another sequencer instance (" + e.getClass().getSimpleName() + ")");
            rejoinLockGroup();
            return false;
        } catch (KafkaException e) {
            LOG.warn("Committing the revert request at {}-0@{} failed ({}); re-reading the sequencer stream", Topics.SEQUENCER_CONTROL.name(),
                    nextControlOffset - 1, e.getMessage());
            closeProducer(Duration.ZERO);
            leading = false;
            return false;
        }
    }

    private boolean publishRevert(SequencerRevert rv) {
        try {
            producer.beginTransaction();
            var sent = producer.send(new ProducerRecord<>(Topics.SEQUENCER_STREAM.name(), 0, Long.toString(rv.revertToNumber()),
                    EventCodec.SEQUENCER_STREAM.encode(rv)));
            producer.commitTransaction();
            ownThrough = ownOffset(sent);
            noteStreamRevert(ownThrough, rv);
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

    private void noteStreamRevert(long offset, SequencerRevert rv) {
        if (offset > streamRevertOffset) {
            streamRevertOffset = offset;
            streamRevertTarget = rv.revertToNumber();
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
        if (persistence != null) {
            persistence.close();
        }
        for (AutoCloseable c : new AutoCloseable[] {streamReader, uncommittedEnd, pendingReader, controlReader, lock, l1Reader, signedReader, undecodable}) {
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
        gauges.close();
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
