package org.rollupnode.watcher;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.rollupnode.kafka.KafkaSettings;
import org.rollupnode.kafka.TopicAdmin;
import org.rollupnode.schemas.EventCodec;
import org.rollupnode.schemas.L1AuthorizedSigner;
import org.rollupnode.schemas.L1Event;
import org.rollupnode.schemas.L1Finalized;
import org.rollupnode.schemas.L1Head;
import org.rollupnode.schemas.L1MessageQueued;
import org.rollupnode.schemas.L1Reorg;
import org.rollupnode.schemas.L1Safe;
import org.rollupnode.schemas.L1Unwind;
import org.rollupnode.schemas.L1WatcherHeartbeat;
import org.rollupnode.schemas.SequencerControl;
import org.rollupnode.schemas.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.core.methods.response.Log;

/**
 * The l1-watcher-service: follows L1 over JSON-RPC and appends what it sees to {@code l1-events}
 * (see {@link org.rollupnode.schemas.L1Event} for the record order), one Kafka transaction per
 * step under a stable {@code transactional.id}, so a second instance fences the first and a
 * restart never duplicates. Its only state is the topic: at start it claims the producer identity,
 * then folds {@code l1-events} into an {@link L1View} and resumes after the last processed block.
 *
 * <p>A queue gap, an undecodable event or a reorg deeper than anything remembered stops it from
 * advancing (loud ERROR, {@link L1WatcherStatus#stalled()}); it retries the same step but never
 * skips. An unreachable or erroring L1 is retried forever with exponential backoff.
 */
public final class L1WatcherService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("scroll::watcher");
    public static final String TRANSACTIONAL_ID = "rollup-node-l1-watcher";
    /** Messages this far below L1 finality are dropped from the watcher's memory. */
    private static final long PRUNE_DEPTH = 256;
    /** How often a heartbeat goes to l1-events (also on every change of {@code connected}). */
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(5);
    private static final TopicPartition CONTROL = new TopicPartition(Topics.SEQUENCER_CONTROL.name(), 0);

    private final L1WatcherConfig config;
    private final KafkaSettings kafka;
    private final String instanceId;
    private final AtomicBoolean running = new AtomicBoolean();
    private final CountDownLatch ready = new CountDownLatch(1);
    private final CountDownLatch stop = new CountDownLatch(1);
    private volatile Throwable failure;
    private volatile L1WatcherStatus status;
    private final org.rollupnode.kafka.ServiceGauges gauges = new org.rollupnode.kafka.ServiceGauges();
    private Thread thread;

    private KafkaProducer<String, byte[]> producer;
    private KafkaConsumer<String, byte[]> controlReader;
    private volatile Duration heartbeatInterval = DEFAULT_HEARTBEAT_INTERVAL;
    private long lastHeartbeatAt;
    private Boolean lastHeartbeatConnected;
    private L1Client client;
    private L1View view = new L1View();
    private boolean rebuildNeeded;
    // last seen on L1, for the status only
    private L1Block latestSeen;
    private L1Block safeSeen;
    private L1Block finalizedSeen;
    private boolean synced;
    /** Hash of the L1 block the authorized signer was last read at. */
    private String signerCheckedAt;
    private static final String ZERO_ADDRESS = "0x" + "0".repeat(40);
    private String stalled;
    private String lastError;
    private long lastErrorAt;
    private int failures;

    /**
     * @param config     null leaves the watcher idle (no {@code --l1.url}): blocks then carry L2 transactions only
     * @param kafka      cluster holding {@code l1-events} (the topic is created if missing)
     * @param instanceId Kafka client id of this instance, for broker logs
     */
    public L1WatcherService(L1WatcherConfig config, KafkaSettings kafka, String instanceId) {
        this.config = config;
        this.kafka = kafka;
        this.instanceId = instanceId;
        this.status = L1WatcherStatus.initial(config == null ? null : config.l1Endpoint());
    }

    /**
     * L1 as the watcher last saw it; NaN until seen. Read from the status snapshot, so any thread may
     * scrape. Registered by start and removed by close, so a replaced instance leaves no stale gauge.
     */
    private void registerMetrics() {
        gauge("l1_connected", "1 while the last L1 request succeeded", s -> s.connected() ? 1 : 0);
        gauge("l1_head_block", "L1's latest block as last seen", s -> num(s.latestBlock()));
        gauge("l1_safe_block", "L1's safe block as last seen", s -> num(s.safeBlock()));
        gauge("l1_finalized_block", "L1's finalized block as last seen", s -> num(s.finalizedBlock()));
        gauge("l1_processed_block", "Last L1 block whose queue events are all in l1-events", s -> num(s.processedBlock()));
        gauge("l1_head_lag_blocks", "L1 blocks seen but not yet processed into l1-events",
                s -> num(s.latestBlock()) - num(s.processedBlock()));
        gauge("l1_finalized_lag_blocks", "L1 blocks between the head and the finalized block",
                s -> num(s.latestBlock()) - num(s.finalizedBlock()));
        gauge("l1_next_queue_index", "Queue index the next L1 message will carry", s -> num(s.nextQueueIndex()));
    }

    private void gauge(String name, String description, java.util.function.ToDoubleFunction<L1WatcherStatus> f) {
        gauges.gauge(name, description, this, w -> f.applyAsDouble(w.status));
    }

    private static double num(Long v) {
        return v == null ? Double.NaN : v;
    }

    /**
     * The placeholder's old shape, kept only so the CLI compiles until it passes an
     * {@link L1WatcherConfig}: it never watches L1.
     *
     * @deprecated use {@link #L1WatcherService(L1WatcherConfig, KafkaSettings, String)}
     */
    @Deprecated(forRemoval = true)
    public L1WatcherService(java.net.URI l1Url, KafkaSettings kafka) {
        this(null, kafka, "l1-watcher");
        if (l1Url != null) {
            LOG.warn("L1 watching of {} is not wired in this build: blocks carry L2 transactions only", l1Url.getHost());
        }
    }

    /** Sets how often the watcher writes its heartbeat (before {@link #start}). */
    public L1WatcherService heartbeatInterval(Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("heartbeat interval must be positive");
        }
        this.heartbeatInterval = interval;
        return this;
    }

    public void start() {
        registerMetrics();
        if (config == null) {
            LOG.info("No --l1.url given: the L1 watcher is idle and blocks carry L2 transactions only");
            ready.countDown();
            return;
        }
        if (running.compareAndSet(false, true)) {
            thread = new Thread(this::run, "l1-watcher");
            thread.start();
        }
    }

    /** True once l1-events has been read back and the watcher polls L1. */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        return ready.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A snapshot; safe to call from any thread. */
    public L1WatcherStatus status() {
        return status;
    }

    /** Why the watcher thread ended (fenced by another instance, or an unexpected error); null while running. */
    public Throwable failure() {
        return failure;
    }

    private void run() {
        try {
            LOG.info("Starting L1 watcher on {} for the L1 message queue {}{}", config.l1Endpoint(), config.messageQueueAddress(),
                    config.systemConfigAddress() == null ? " (no L1 SystemConfig: the authorized signer is not read from L1)"
                            : " and the authorized signer in SystemConfig " + config.systemConfigAddress() + " slot " + AuthorizedSignerSlot.SLOT);
            if (!connectToKafka()) {
                return;
            }
            client = new L1Client(config);
            ready.countDown();
            while (running.get()) {
                boolean caughtUp = false;
                try {
                    if (producer == null) {
                        producer = newProducer();
                        producer.initTransactions();
                    }
                    if (rebuildNeeded) {
                        rebuildView();
                    }
                    handleUnwindRequests();
                    caughtUp = step();
                    onSuccess();
                    heartbeat(false);
                } catch (L1WatcherException e) {
                    onFailure(e); // it waits the backoff itself
                    continue;
                } catch (ProducerFencedException | InvalidProducerEpochException e) {
                    throw e;
                } catch (KafkaException | IllegalStateException e) {
                    // Kafka unavailable or slow: nothing was published that the topic does not show.
                    LOG.warn("Kafka error in the L1 watcher, re-reading {} and retrying in {} ms: {}", Topics.L1_EVENTS.name(),
                            L1WatcherConfig.MAX_BACKOFF.toMillis() / 10, e.getMessage());
                    closeProducer(Duration.ZERO);
                    rebuildNeeded = true;
                    pause(L1WatcherConfig.MAX_BACKOFF.dividedBy(10));
                    continue;
                }
                if (caughtUp) {
                    pauseBeating(config.pollInterval());
                }
            }
        } catch (ProducerFencedException | InvalidProducerEpochException e) {
            failure = e;
            LOG.error("Another L1 watcher instance took over (producer fenced); this instance stops now");
        } catch (Throwable t) {
            failure = t;
            LOG.error("L1 watcher stopped by an unexpected error: {}", t.toString(), t);
        } finally {
            ready.countDown();
            if (client != null) {
                client.close();
            }
            if (controlReader != null) {
                controlReader.close(Duration.ofSeconds(2));
            }
            closeProducer(Duration.ofSeconds(5));
            running.set(false);
            updateStatus();
        }
    }

    /**
     * Creates the topic if needed, claims the producer identity (fencing an older watcher), then
     * reads what l1-events holds. Retried until it works: a broker that is still starting is normal.
     */
    private boolean connectToKafka() {
        int attempts = 0;
        while (running.get()) {
            try {
                TopicAdmin.ensureTopics(kafka, List.of(Topics.L1_EVENTS, Topics.SEQUENCER_CONTROL));
                producer = newProducer();
                producer.initTransactions();
                rebuildView();
                return true;
            } catch (ProducerFencedException | InvalidProducerEpochException e) {
                throw e;
            } catch (KafkaException | IllegalStateException e) {
                attempts++;
                Duration delay = config.backoff(attempts);
                LOG.warn("L1 watcher cannot use Kafka yet (attempt {}), retrying in {} ms: {}", attempts, delay.toMillis(), e.getMessage());
                closeProducer(Duration.ZERO);
                pause(delay);
            } catch (RuntimeException e) {
                // l1-events itself is unreadable (a record that does not decode or contradicts the
                // ones before): an operator must look; keep saying so rather than guess.
                stalled = "INCONSISTENT_TOPIC: " + e.getMessage();
                lastError = e.getMessage();
                lastErrorAt = System.currentTimeMillis();
                updateStatus();
                LOG.error("L1 watcher cannot read {} back, retrying in {} ms: {}", Topics.L1_EVENTS.name(),
                        L1WatcherConfig.MAX_BACKOFF.toMillis(), e.getMessage());
                closeProducer(Duration.ZERO);
                pause(L1WatcherConfig.MAX_BACKOFF);
            }
        }
        return false;
    }

    /** Logs and records a failed step, then waits before the retry. */
    private void onFailure(L1WatcherException e) {
        lastError = e.getMessage();
        lastErrorAt = System.currentTimeMillis();
        switch (e.code()) {
            case L1_UNAVAILABLE -> {
                failures++;
                Duration delay = config.backoff(failures);
                if (failures <= config.maxRetries()) {
                    LOG.warn("L1 request failed (attempt {}/{}), retrying in {} ms: {}", failures, config.maxRetries(),
                            delay.toMillis(), e.getMessage());
                } else {
                    LOG.error("L1 at {} still failing after {} attempts, retrying every {} ms: {}", config.l1Endpoint(),
                            failures, delay.toMillis(), e.getMessage());
                }
                updateStatus();
                heartbeatQuietly();
                pauseBeating(delay);
            }
            default -> {
                // Bad data from L1 or a contradiction in l1-events: never publish past it.
                stalled = e.code() + ": " + e.getMessage();
                rebuildNeeded = e.code() == L1WatcherException.Code.INCONSISTENT_TOPIC;
                LOG.error("L1 watcher cannot advance past L1 block {} ({}); retrying in {} ms. {}",
                        view.processed().map(L1View.BlockRef::number).orElse(config.startBlock() - 1), e.code(),
                        L1WatcherConfig.MAX_BACKOFF.toMillis(), e.getMessage());
                updateStatus();
                heartbeatQuietly();
                pauseBeating(L1WatcherConfig.MAX_BACKOFF);
            }
        }
    }

    /** Waits, writing heartbeats on their own schedule meanwhile (a long backoff must not look like a dead watcher). */
    private void pauseBeating(Duration d) {
        long end = System.currentTimeMillis() + d.toMillis();
        long now;
        while (running.get() && (now = System.currentTimeMillis()) < end) {
            pause(Duration.ofMillis(Math.min(end - now, heartbeatInterval.toMillis())));
            if (running.get()) {
                heartbeatQuietly();
            }
        }
    }

    private void onSuccess() {
        if (failures > 0) {
            LOG.info("L1 at {} answers again after {} failed attempts", config.l1Endpoint(), failures);
        }
        if (stalled != null) {
            LOG.info("L1 watcher advances again (was: {})", stalled);
        }
        failures = 0;
        stalled = null;
        updateStatus();
    }

    /**
     * One step: read L1's tags, check that what l1-events holds is still L1's chain (else publish a
     * reorg), then publish the queue events of the next range and its head. True when at the L1 head.
     */
    private boolean step() {
        L1Block latest = client.latest();
        L1Block safe = client.safe();
        L1Block finalized = client.finalized();
        latestSeen = latest;
        safeSeen = safe;
        finalizedSeen = finalized;

        Optional<L1View.BlockRef> head = view.processed();
        long cursor = head.map(L1View.BlockRef::number).orElse(config.startBlock() - 1);
        long to = Math.min(cursor + config.queryRange(), latest.number());
        L1Block toBlock = to == latest.number() ? latest : null;
        if (head.isPresent()) {
            String mismatch = chainMismatch(head.get(), latest, to, toBlock);
            if (mismatch != null) {
                // After a published reorg go straight on with the new branch; after a flip-back, wait.
                return !handleReorg(latest, mismatch);
            }
        }

        List<L1Event> out = new ArrayList<>();
        if (to > cursor) {
            if (toBlock == null) {
                toBlock = client.byNumber(to);
                if (toBlock == null) {
                    throw new L1WatcherException(L1WatcherException.Code.L1_UNAVAILABLE, "L1 has no block " + to + " below its head " + latest.number());
                }
            }
            Decoded decoded = queueMessages(cursor + 1, toBlock);
            if (decoded.error() != null) {
                publishUpTo(cursor, decoded);
                throw decoded.error();
            }
            out.addAll(decoded.messages());
            out.add(new L1Head(toBlock.number(), toBlock.hash(), toBlock.parentHash(), toBlock.timestamp()));
        }
        if (safe != null && !view.safe().map(s -> s.number() == safe.number() && s.hash().equals(safe.hash())).orElse(false)) {
            out.add(new L1Safe(safe.number(), safe.hash()));
        }
        if (finalized != null && !view.finalized().map(f -> f.number() == finalized.number() && f.hash().equals(finalized.hash())).orElse(false)) {
            out.add(new L1Finalized(finalized.number(), finalized.hash()));
        }
        publish(out);
        checkAuthorizedSigner(latest);
        long processed = Math.max(cursor, to);
        if (to > cursor) {
            long messages = out.stream().filter(e -> e instanceof L1MessageQueued).count();
            if (messages > 0) {
                LOG.info("Processed L1 blocks {}..{}: {} L1 messages, next queue index {}, head {} {}", cursor + 1, to, messages,
                        view.nextQueueIndex().orElse(-1), to, toBlock.hash());
            } else {
                LOG.debug("Processed L1 blocks {}..{}: no L1 messages, head {} {}", cursor + 1, to, to, toBlock.hash());
            }
        }
        if (finalized != null) {
            view.pruneMessagesUpToBlock(finalized.number() - PRUNE_DEPTH);
        }
        boolean nowSynced = processed >= latest.number();
        if (nowSynced && !synced) {
            LOG.info("L1 watcher synced to L1 head {} (safe {}, finalized {})", latest.number(),
                    safe == null ? "none" : safe.number(), finalized == null ? "none" : finalized.number());
        }
        synced = nowSynced;
        return nowSynced;
    }

    /**
     * Reads the authorized block signer (SystemConfig slot 0x67) at L1's latest block, once per new
     * head, and publishes it when l1-events has none yet or holds another value (or another contract).
     */
    private void checkAuthorizedSigner(L1Block latest) {
        String systemConfig = config.systemConfigAddress();
        if (systemConfig == null || latest.hash().equals(signerCheckedAt)) {
            return;
        }
        String signer = client.authorizedSigner(systemConfig, latest.number());
        Optional<L1AuthorizedSigner> known = view.authorizedSigner();
        if (known.isEmpty() || !known.get().signer().equals(signer) || !known.get().systemConfig().equals(systemConfig)) {
            publish(List.of(new L1AuthorizedSigner(systemConfig, signer, latest.number(), latest.hash())));
            if (signer.equals(ZERO_ADDRESS)) {
                LOG.warn("L1 SystemConfig {} slot {} is empty at L1 block {}: L1 authorizes no block signer", systemConfig,
                        AuthorizedSignerSlot.SLOT, latest.number());
            } else {
                LOG.info("Authorized block signer on L1 (SystemConfig {} slot {}) at L1 block {}: {}{}", systemConfig, AuthorizedSignerSlot.SLOT,
                        latest.number(), signer, known.isEmpty() ? "" : " (was " + known.get().signer() + ")");
            }
        }
        signerCheckedAt = latest.hash();
    }

    /** Why the last published head is no longer on L1's chain, or null if it still is. */
    private String chainMismatch(L1View.BlockRef head, L1Block latest, long to, L1Block toBlock) {
        if (latest.number() < head.number()) {
            return "L1 head " + latest.number() + " is below the processed block " + head.number();
        }
        if (to == head.number() + 1) {
            L1Block next = toBlock != null ? toBlock : client.byNumber(to);
            if (next == null) {
                return "L1 block " + to + " disappeared";
            }
            return next.parentHash().equals(head.hash()) ? null
                    : "parent hash of L1 block " + to + " is " + next.parentHash() + " but l1-events has block " + head.number()
                            + " as " + head.hash();
        }
        L1Block same = head.number() == latest.number() ? latest : client.byNumber(head.number());
        if (same == null || !same.hash().equals(head.hash())) {
            return "L1 block " + head.number() + " is now " + (same == null ? "missing" : same.hash()) + " but l1-events has "
                    + head.hash();
        }
        return null;
    }

    /** Finds the newest block l1-events vouches for that L1 still has, and publishes the reorg; false if none was needed. */
    private boolean handleReorg(L1Block latest, String reason) {
        Map.Entry<Long, String> ancestor = null;
        for (Map.Entry<Long, String> known : view.knownBlockHashes().entrySet()) {
            if (known.getKey() > latest.number()) {
                continue;
            }
            L1Block canonical = client.byNumber(known.getKey());
            if (canonical != null && canonical.hash().equals(known.getValue())) {
                ancestor = known;
                break;
            }
        }
        if (ancestor == null) {
            throw new L1WatcherException(L1WatcherException.Code.REORG_TOO_DEEP, "L1 reorg (" + reason
                    + ") reaches below every L1 block l1-events still vouches for; an operator must check L1");
        }
        L1View.BlockRef head = view.processed().orElseThrow();
        if (ancestor.getKey() == head.number()) {
            return false; // L1 flipped back while we looked: nothing to undo
        }
        long ancestorNumber = ancestor.getKey();
        L1Reorg reorg = new L1Reorg(ancestorNumber, ancestor.getValue(), ancestorNumber + 1, reason);
        List<L1MessageQueued> removed = view.messages().values().stream().filter(m -> m.l1BlockNumber() > ancestorNumber).toList();
        Optional<L1Finalized> finalized = view.finalized();
        if (finalized.isPresent() && finalized.get().number() > ancestorNumber) {
            LOG.error("L1 reorg below the finalized L1 block {} (common ancestor {}): L1 finality was violated", finalized.get().number(),
                    ancestorNumber);
        }
        publish(List.of(reorg));
        LOG.warn("L1 reorg: {}; common ancestor {} {}, records from block {} on are void{}", reason, ancestorNumber, ancestor.getValue(),
                ancestorNumber + 1, removed.isEmpty() ? ", no L1 message removed"
                        : ", L1 messages " + removed.get(0).queueIndex() + ".." + removed.get(removed.size() - 1).queueIndex() + " removed");
        return true;
    }

    /**
     * The queue events of [from, to]; {@code error} set when one does not decode or breaks the
     * queue order, with {@code messages} then holding only those of the blocks before the bad one.
     */
    private record Decoded(List<L1MessageQueued> messages, L1WatcherException error, long badBlock) {}

    private Decoded queueMessages(long from, L1Block to) {
        List<Log> logs = client.queueLogs(from, to.number());
        List<L1MessageQueued> out = new ArrayList<>(logs.size());
        long expected = view.nextQueueIndex().orElse(config.firstQueueIndex());
        for (Log log : logs) {
            if (log.isRemoved()) {
                throw new L1WatcherException(L1WatcherException.Code.L1_UNAVAILABLE, "L1 returned a removed log for block "
                        + log.getBlockNumber() + "; L1 is reorganising, retrying");
            }
            L1MessageQueued m;
            try {
                m = QueueTransactionDecoder.decode(log);
            } catch (L1WatcherException e) {
                return badAt(out, e, log.getBlockNumber().longValueExact());
            }
            if (m.queueIndex() != expected) {
                return badAt(out, new L1WatcherException(L1WatcherException.Code.QUEUE_GAP, "L1 message queue gap detected at index "
                        + expected + ": L1 block " + m.l1BlockNumber() + " tx " + m.l1TxHash() + " log index " + m.logIndex()
                        + " carries queue index " + m.queueIndex()), m.l1BlockNumber());
            }
            if (m.l1BlockNumber() == to.number() && !m.l1BlockHash().equals(to.hash())) {
                throw new L1WatcherException(L1WatcherException.Code.L1_UNAVAILABLE, "L1 block " + to.number()
                        + " changed while its logs were read; retrying");
            }
            out.add(m);
            expected++;
        }
        if (!logs.isEmpty()) {
            // Logs of earlier blocks carry hashes we cannot check one by one; if the range's last
            // block is unchanged after reading them, so are its ancestors.
            L1Block again = client.byNumber(to.number());
            if (again == null || !again.hash().equals(to.hash())) {
                throw new L1WatcherException(L1WatcherException.Code.L1_UNAVAILABLE, "L1 block " + to.number()
                        + " changed while its range's logs were read; retrying");
            }
        }
        return new Decoded(out, null, -1);
    }

    private static Decoded badAt(List<L1MessageQueued> before, L1WatcherException error, long badBlock) {
        return new Decoded(before.stream().filter(m -> m.l1BlockNumber() < badBlock).toList(), error, badBlock);
    }

    /** Publishes the good part of a range, up to the block before the bad one, so the stall point is exact. */
    private void publishUpTo(long cursor, Decoded decoded) {
        long last = decoded.badBlock() - 1;
        if (last <= cursor) {
            return;
        }
        L1Block lastBlock = client.byNumber(last);
        if (lastBlock == null) {
            return;
        }
        for (L1MessageQueued m : decoded.messages()) {
            if (m.l1BlockNumber() == last && !m.l1BlockHash().equals(lastBlock.hash())) {
                return; // L1 moved under us; the retry sorts it out
            }
        }
        List<L1Event> out = new ArrayList<>(decoded.messages());
        out.add(new L1Head(lastBlock.number(), lastBlock.hash(), lastBlock.parentHash(), lastBlock.timestamp()));
        publish(out);
    }

    /**
     * Applies the records to the view first (it refuses contradictions), then commits them in one
     * Kafka transaction. If Kafka fails the view is rebuilt from the topic before the next step.
     */
    private void publish(List<L1Event> events) {
        if (events.isEmpty()) {
            return;
        }
        for (L1Event e : events) {
            try {
                view.apply(e);
            } catch (L1WatcherException ex) {
                rebuildNeeded = true;
                throw ex;
            }
        }
        try {
            producer.beginTransaction();
            for (L1Event e : events) {
                producer.send(new ProducerRecord<>(Topics.L1_EVENTS.name(), 0, null, EventCodec.L1_EVENT.encode(e)));
            }
            producer.commitTransaction();
        } catch (ProducerFencedException | InvalidProducerEpochException e) {
            throw e;
        } catch (KafkaException e) {
            LOG.warn("Publishing to {} failed ({}); recreating the producer and re-reading the topic", Topics.L1_EVENTS.name(),
                    e.getMessage());
            closeProducer(Duration.ZERO);
            producer = newProducer();
            producer.initTransactions();
            rebuildNeeded = true;
            throw new L1WatcherException(L1WatcherException.Code.L1_UNAVAILABLE, "Kafka transaction failed: " + e.getMessage(), e);
        }
    }

    private void rebuildView() {
        L1View fresh = L1EventsReader.readAll(kafka, instanceId + "-restore");
        view = fresh;
        rebuildNeeded = false;
        signerCheckedAt = null; // what was published is what the topic says now: read L1 again
        // Unwind requests are carried out exactly once: l1-events names the last one done.
        if (controlReader == null) {
            controlReader = new KafkaConsumer<>(kafka.readerConfig(instanceId + "-control"));
            controlReader.assign(List.of(CONTROL));
        }
        controlReader.seek(CONTROL, fresh.lastUnwind().map(u -> u.controlOffset() + 1).orElse(0L));
        if (fresh.processed().isPresent()) {
            L1View.BlockRef h = fresh.processed().get();
            LOG.info("L1 watcher resumes after L1 block {} ({}) from {}; next queue index {}", h.number(), h.hash(),
                    Topics.L1_EVENTS.name(), fresh.nextQueueIndex().isPresent() ? fresh.nextQueueIndex().getAsLong()
                            : config.firstQueueIndex());
        } else {
            LOG.info("No L1 startup info in {}, starting from config start block {}", Topics.L1_EVENTS.name(), config.startBlock());
        }
        updateStatus();
    }

    /**
     * {@code rollupNodeAdmin_revertToL1Block}: for each new request in {@code sequencer-control},
     * publishes an {@link L1Unwind} to the requested block (or to the processed block when that is
     * lower: nothing above it is in l1-events), so the next steps re-read L1 from there. A request
     * that cannot be carried out now (L1 down) is retried from the same offset.
     */
    private void handleUnwindRequests() {
        for (ConsumerRecord<String, byte[]> r : controlReader.poll(Duration.ZERO)) {
            SequencerControl c;
            try {
                c = EventCodec.SEQUENCER_CONTROL.decode(r.value(), r.topic(), r.partition(), r.offset());
            } catch (RuntimeException e) {
                LOG.error("Skipping an undecodable admin command: {}", e.getMessage());
                continue;
            }
            if (c.action() != SequencerControl.Action.REVERT_TO_L1_BLOCK) {
                continue;
            }
            try {
                unwind(c, r.offset());
            } catch (RuntimeException e) {
                controlReader.seek(CONTROL, r.offset());
                throw e;
            }
        }
    }

    private void unwind(SequencerControl c, long offset) {
        long requested = c.l1BlockNumber();
        Optional<L1View.BlockRef> processed = view.processed();
        long to = processed.map(p -> Math.min(p.number(), requested)).orElse(requested);
        String hash;
        if (processed.isPresent() && to == processed.get().number()) {
            hash = processed.get().hash();
        } else {
            L1Block b = client.byNumber(to);
            if (b == null) {
                throw new L1WatcherException(L1WatcherException.Code.L1_UNAVAILABLE, "L1 has no block " + to + " to unwind to");
            }
            hash = b.hash();
        }
        view.finalized().filter(f -> f.number() > requested).ifPresent(f -> LOG.warn(
                "Unwinding to L1 block {} below the finalized L1 block {} as requested by {}", requested, f.number(), c.requestedBy()));
        List<L1MessageQueued> removed = view.messages().values().stream().filter(m -> m.l1BlockNumber() > to).toList();
        String reason = "rollupNodeAdmin_revertToL1Block(" + requested + ") requested by " + c.requestedBy() + " ("
                + Topics.SEQUENCER_CONTROL.name() + "-0@" + offset + ")";
        publish(List.of(new L1Unwind(to, hash, offset, c.requestedBy(), reason)));
        synced = false;
        LOG.warn("Unwound L1 view to block {} ({}): {}{}; re-reading L1 from block {}", to, hash, reason,
                removed.isEmpty() ? ", no L1 message removed" : ", L1 messages " + removed.get(0).queueIndex() + ".."
                        + removed.get(removed.size() - 1).queueIndex() + " removed", to + 1);
    }

    /** Writes a heartbeat when the interval has passed or {@code connected} changed (or when forced). */
    private void heartbeat(boolean force) {
        updateStatus();
        L1WatcherStatus s = status;
        long now = System.currentTimeMillis();
        boolean changed = lastHeartbeatConnected == null || lastHeartbeatConnected != s.connected();
        if (!force && !changed && now - lastHeartbeatAt < heartbeatInterval.toMillis()) {
            return;
        }
        L1WatcherHeartbeat hb = new L1WatcherHeartbeat(instanceId, now, heartbeatInterval.toMillis(), s.connected(), s.latestBlock(),
                s.safeBlock(), s.finalizedBlock(), s.processedBlock(), s.synced(), s.connected() ? null : s.lastError(), s.stalled());
        try {
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(Topics.L1_EVENTS.name(), 0, null, EventCodec.L1_EVENT.encode(hb)));
            producer.commitTransaction();
        } catch (ProducerFencedException | InvalidProducerEpochException e) {
            throw e;
        } catch (KafkaException e) {
            closeProducer(Duration.ZERO);
            rebuildNeeded = true;
            throw e;
        }
        view.apply(hb);
        lastHeartbeatAt = now;
        lastHeartbeatConnected = s.connected();
    }

    /** A heartbeat while L1 fails: Kafka may still work, and readers must learn that L1 does not. */
    private void heartbeatQuietly() {
        if (producer == null) {
            return;
        }
        try {
            heartbeat(false);
        } catch (ProducerFencedException | InvalidProducerEpochException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.debug("Heartbeat not written: {}", e.getMessage());
        }
    }

    private void updateStatus() {
        Optional<L1View.BlockRef> head = view.processed();
        status = new L1WatcherStatus(
                config.l1Endpoint(),
                failures == 0 && latestSeen != null && running.get(),
                latestSeen == null ? null : latestSeen.number(),
                safeSeen == null ? null : safeSeen.number(),
                finalizedSeen == null ? null : finalizedSeen.number(),
                head.map(L1View.BlockRef::number).orElse(null),
                head.map(L1View.BlockRef::hash).orElse(null),
                view.nextQueueIndex().isPresent() ? view.nextQueueIndex().getAsLong() : null,
                synced,
                stalled,
                lastError,
                lastErrorAt,
                failures);
    }

    private KafkaProducer<String, byte[]> newProducer() {
        return new KafkaProducer<>(kafka.transactionalProducerConfig(instanceId, TRANSACTIONAL_ID));
    }

    private void closeProducer(Duration timeout) {
        if (producer != null) {
            try {
                producer.close(timeout);
            } catch (RuntimeException ignored) {
                // a broken producer cannot be closed cleanly; it is replaced anyway
            }
            producer = null;
        }
    }

    private void pause(Duration d) {
        try {
            stop.await(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.set(false);
        }
    }

    @Override
    public void close() {
        gauges.close();
        running.set(false);
        stop.countDown();
        if (thread != null) {
            try {
                thread.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
