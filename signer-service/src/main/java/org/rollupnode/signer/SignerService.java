package org.rollupnode.signer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
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
import org.rollupnode.chain.BlockSignatures;
import org.rollupnode.chain.Payloads;
import org.rollupnode.execution.block.BlockHeader;
import org.rollupnode.execution.chain.ChainSpec;
import org.rollupnode.execution.chain.Genesis;
import org.rollupnode.execution.types.Hex;
import org.rollupnode.kafka.KafkaSettings;
import org.rollupnode.execution.types.Address;
import org.rollupnode.schemas.AuthorizedSignerChange;
import org.rollupnode.schemas.BlockPayload;
import org.rollupnode.schemas.L1AuthorizedSigner;
import org.rollupnode.schemas.L1Event;
import org.rollupnode.schemas.EventCodec;
import org.rollupnode.schemas.SequencerRevert;
import org.rollupnode.schemas.SequencerStreamEvent;
import org.rollupnode.schemas.SignedBlock;
import org.rollupnode.schemas.SignedBlocksEvent;
import org.rollupnode.schemas.SignedRevert;
import org.rollupnode.schemas.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signer-service: signs each payload of the sequencer stream and publishes it to
 * {@code signed-blocks}. Its high-water mark is {@code signed-blocks} itself, so it never signs
 * two different payloads at one height, across restarts and failover (invariant 5).
 *
 * <p>The one way back is an explicit {@link SequencerRevert} in the sequencer stream: the signer
 * checks that it names a block it signed, copies it into {@code signed-blocks} as a
 * {@link SignedRevert} (so gateways unwind in the same order) and only then lowers its high-water
 * mark, so a new block at a reverted height is signed only after a committed revert names a height
 * below it.
 *
 * <p>It signs only while its key is the authorized signer ({@link AuthorizedSignerPolicy}). Following
 * L1, it reads the watcher's {@link L1AuthorizedSigner} records from {@code l1-events} and, when the
 * value differs from the one in force, writes an {@link AuthorizedSignerChange} to
 * {@code signed-blocks} before signing anything else: readers require that signer for every block
 * after the record, so a change applies from the first block signed after the signer read it. A
 * block whose turn comes while another address is authorized is held (logged, nothing written)
 * until the authorized signer changes back to this key.
 */
public final class SignerService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("rollup_node::signer");
    private static final Logger CONSENSUS = LoggerFactory.getLogger("scroll::consensus");
    /** How often a held block re-reads l1-events for a change of the authorized signer. */
    private static final long HOLD_POLL_MS = 200;
    static final String TRANSACTIONAL_ID = "rollup-node-signer";
    static final long FIRST_RETRY_MS = 250;
    static final long MAX_RETRY_MS = 10_000;

    private final BlockSigner signer;
    private final ChainSpec spec;
    private final KafkaSettings kafka;
    private final String instanceId;
    private final org.rollupnode.kafka.UndecodableRecords undecodable;
    private final AtomicBoolean running = new AtomicBoolean();
    private final CountDownLatch ready = new CountDownLatch(1);
    private volatile Throwable failure;
    private volatile long signedHead = -1;
    private final org.rollupnode.kafka.ServiceGauges gauges = new org.rollupnode.kafka.ServiceGauges();

    // Metrics go to Micrometer's global registry; the CLI attaches a Prometheus registry to it.
    private final Timer signingTime = Timer.builder("signer_signing_seconds")
            .description("Time to sign one seal hash (key file or KMS round trip)").publishPercentileHistogram()
            .register(Metrics.globalRegistry);
    private final Counter signingFailures = Counter.builder("signer_signing_failures_total")
            .description("Signing attempts that failed and were retried").register(Metrics.globalRegistry);
    private final Counter blocksSigned = Counter.builder("signer_blocks_signed_total")
            .description("Blocks signed and committed to signed-blocks").register(Metrics.globalRegistry);
    private Thread thread;
    private volatile AuthorizedSignerPolicy policy = AuthorizedSignerPolicy.ownKey();
    /** The authorized signer in force for the next block; null while L1 has not said (L1 policy). */
    private volatile Address authorized;
    /** The last change record in signed-blocks, or null. */
    private AuthorizedSignerChange lastChange;
    private KafkaConsumer<String, byte[]> l1Reader;
    private final TopicPartition l1Partition = new TopicPartition(Topics.L1_EVENTS.name(), 0);
    /** The newest L1AuthorizedSigner read from l1-events and its offset. */
    private L1AuthorizedSigner l1Signer;
    private long l1SignerOffset = -1;
    /** What the last "not signing" log said, so a held block logs once per authorized signer. */
    private String lastHoldLog;
    private boolean initLogged;

    private KafkaProducer<String, byte[]> producer;
    private KafkaConsumer<String, byte[]> streamReader;
    private final TopicPartition streamPartition = new TopicPartition(Topics.SEQUENCER_STREAM.name(), 0);
    private final TopicPartition signedPartition = new TopicPartition(Topics.SIGNED_BLOCKS.name(), 0);
    private long lastNumber;
    private String lastHash;
    private long lastStreamOffset = -1;
    /** Hashes of the recently signed heights (a revert must name one of them). */
    private final java.util.TreeMap<Long, String> signedHashes = new java.util.TreeMap<>();
    static final int REMEMBERED_HEIGHTS = 4096;

    public SignerService(BlockSigner signer, ChainSpec spec, KafkaSettings kafka, String instanceId) {
        this.signer = signer;
        this.spec = spec;
        this.kafka = kafka;
        this.instanceId = instanceId;
        this.undecodable = new org.rollupnode.kafka.UndecodableRecords("signer " + instanceId, kafka);
    }

    /** Where the authorized signer comes from (before {@link #start}); default: this signer's own key. */
    public SignerService authorizedSigner(AuthorizedSignerPolicy policy) {
        this.policy = policy;
        return this;
    }

    /** The authorized signer in force for the next block, or null while waiting for L1's. */
    public Address authorizedSigner() {
        return authorized;
    }

    public void start() {
        if (running.compareAndSet(false, true)) {
            gauges.gauge("signer_head_block", "Height of the last block this signer committed to signed-blocks", this, s -> s.signedHead);
            thread = new Thread(this::run, "signer");
            thread.start();
        }
    }

    public boolean awaitReady(Duration timeout) throws InterruptedException {
        return ready.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public Throwable failure() {
        return failure;
    }

    private void run() {
        try {
            LOG.info("Signer started with address {}", signer.address());
            BlockHeader genesis = Genesis.of(spec).header();
            lastNumber = 0;
            lastHash = genesis.hash().toHex();
            remember(0, lastHash);
            producer = newProducer();
            producer.initTransactions();
            readHighWaterMark();
            startAuthority();
            streamReader = new KafkaConsumer<>(kafka.readerConfig("signer-stream-reader"));
            streamReader.assign(List.of(streamPartition));
            streamReader.seek(streamPartition, lastStreamOffset + 1);
            ready.countDown();
            boolean reclaim = false;
            while (running.get()) {
                try {
                    if (reclaim) {
                        recoverProducer();
                        reclaim = false;
                        LOG.info("Signer identity re-claimed; signing resumes after block {}", lastNumber);
                    }
                    refreshAuthority();
                    for (ConsumerRecord<String, byte[]> r : streamReader.poll(Duration.ofMillis(100))) {
                        if (!running.get()) {
                            break;
                        }
                        SequencerStreamEvent ev = decode(EventCodec.SEQUENCER_STREAM, r);
                        if (ev instanceof BlockPayload p) {
                            handle(p, r.offset());
                        } else if (ev instanceof SequencerRevert rv) {
                            handleRevert(rv, r.offset());
                        }
                    }
                } catch (org.apache.kafka.common.errors.TimeoutException e) {
                    // The broker did not answer in time (down or restarting): pause, never stop. The
                    // transactional identity and the high-water mark are re-claimed from signed-blocks
                    // before the next signature, as after a failed publish.
                    LOG.warn("Kafka did not answer in time ({}); not signing until the signer identity is re-claimed, retrying in 1 s",
                            e.getMessage());
                    reclaim = true;
                    sleepWhileRunning(1_000);
                }
            }
        } catch (Throwable t) {
            failure = t;
            if (fenced(t)) {
                LOG.error("Another signer instance took over (producer fenced); this instance stops signing now");
            } else {
                LOG.error("An error occurred while signing; signer stopped: {}", t.getMessage(), t);
            }
        } finally {
            close(streamReader);
            close(l1Reader);
            if (producer != null) {
                try {
                    producer.close(Duration.ofSeconds(5));
                } catch (RuntimeException ignored) {
                    // shutting down
                }
            }
        }
    }

    /** The chain topics are never skipped: a record that does not decode stops the signer at it (it signs nothing after it). */
    private <T> T decode(EventCodec<T> codec, ConsumerRecord<String, byte[]> r) {
        return undecodable.decodeOrStop(codec, r);
    }

    /** Where this signer stopped at a record that does not decode (empty when it did not). */
    public java.util.List<org.rollupnode.kafka.UndecodableRecords.Halt> undecodableHalts() {
        return undecodable.halts();
    }

    private KafkaProducer<String, byte[]> newProducer() {
        return new KafkaProducer<>(kafka.transactionalProducerConfig(instanceId, TRANSACTIONAL_ID));
    }

    /** Reads signed-blocks to its end: the last height signed, its hash and stream offset. */
    private void readHighWaterMark() {
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(kafka.readerConfig("signer-hwm"))) {
            c.assign(List.of(signedPartition));
            c.seekToBeginning(List.of(signedPartition));
            long end = c.endOffsets(List.of(signedPartition)).get(signedPartition);
            while (c.position(signedPartition) < end) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    SignedBlocksEvent ev = decode(EventCodec.SIGNED_BLOCKS, r);
                    if (ev instanceof SignedRevert sr) {
                        SequencerRevert rv = sr.revert();
                        if (rv.revertToNumber() <= lastNumber && rv.revertToHash().equals(signedHashes.get(rv.revertToNumber()))) {
                            lowerTo(rv.revertToNumber(), rv.revertToHash());
                            lastStreamOffset = Math.max(lastStreamOffset, sr.streamOffset());
                        } else {
                            LOG.error("signed-blocks holds a revert to height {} ({}) at offset {} that does not match the signed chain; ignored",
                                    rv.revertToNumber(), rv.revertToHash(), r.offset());
                        }
                        continue;
                    }
                    if (ev instanceof AuthorizedSignerChange change) {
                        lastChange = change;
                        continue;
                    }
                    SignedBlock sb = (SignedBlock) ev;
                    if (sb.payload().number() == lastNumber + 1) {
                        lastNumber = sb.payload().number();
                        lastHash = sb.payload().hash();
                        remember(lastNumber, lastHash);
                        lastStreamOffset = Math.max(lastStreamOffset, sb.streamOffset());
                    } else {
                        LOG.error("signed-blocks holds an out-of-order record for height {} at offset {}; first one wins",
                                sb.payload().number(), r.offset());
                    }
                }
            }
        }
        LOG.info("Signer high-water mark: block {} ({})", lastNumber, lastHash);
    }

    private void handle(BlockPayload p, long offset) {
        if (p.number() <= lastNumber) {
            if (p.number() == lastNumber && !p.hash().equals(lastHash)) {
                LOG.error("Refusing to sign a second block at height {}: {} differs from the signed {}", p.number(), p.hash(), lastHash);
            }
            return;
        }
        if (p.number() != lastNumber + 1) {
            LOG.error("Sequencer stream skips from height {} to {} at offset {}; not signing", lastNumber, p.number(), offset);
            return;
        }
        BlockHeader header;
        try {
            header = Payloads.header(p);
        } catch (RuntimeException e) {
            LOG.error("Payload {} at offset {} is malformed, not signing: {}", p.number(), offset, e.getMessage());
            return;
        }
        if (!header.hash().toHex().equals(p.hash()) || !header.parentHash().toHex().equals(lastHash)) {
            LOG.error("Payload {} at offset {} is inconsistent (hash {} / parent {}, expected parent {}); not signing",
                    p.number(), offset, p.hash(), header.parentHash(), lastHash);
            return;
        }
        if (!awaitAuthorized(p)) {
            return; // shutting down
        }
        long t0 = System.nanoTime();
        byte[] signature = signWithRetry(p, header);
        if (signature == null) {
            return; // shutting down; the high-water mark stays where it is
        }
        SignedBlock signed = new SignedBlock(p, Hex.encode(signature), signer.address().toHex(), offset, System.currentTimeMillis());
        LOG.info("Signed block {} hash {} signer {} seal hash {} in {} µs", p.number(), p.hash(), signer.address(), header.sealHash(),
                TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - t0));
        try {
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(Topics.SIGNED_BLOCKS.name(), 0, Long.toString(p.number()), EventCodec.SIGNED_BLOCK.encode(signed)));
            producer.commitTransaction();
        } catch (KafkaException e) {
            if (fenced(e)) {
                // A zombie must stop, not re-initialise: initTransactions() would fence the new owner.
                throw e;
            }
            LOG.warn("Publishing signed block {} failed ({}); re-reading signed-blocks", p.number(), e.getMessage());
            recoverProducer();
            return;
        }
        lastNumber = p.number();
        lastHash = p.hash();
        remember(lastNumber, lastHash);
        lastStreamOffset = offset;
        signedHead = lastNumber;
        blocksSigned.increment();
        LOG.info("Broadcast block {} hash {} to {}", p.number(), p.hash(), Topics.SIGNED_BLOCKS.name());
    }

    private void remember(long number, String hash) {
        signedHashes.tailMap(number, true).clear();
        signedHashes.put(number, hash);
        while (signedHashes.size() > REMEMBERED_HEIGHTS) {
            signedHashes.pollFirstEntry();
        }
    }

    private void lowerTo(long number, String hash) {
        signedHashes.tailMap(number, false).clear();
        lastNumber = number;
        lastHash = hash;
    }

    /**
     * Applies a committed revert record: it must name a height at or below what was signed and the
     * hash signed there. It goes to signed-blocks in its own transaction before the high-water mark
     * moves down, so a reader never sees a second block at a height without the revert before it.
     */
    private void handleRevert(SequencerRevert rv, long offset) {
        String known = signedHashes.get(rv.revertToNumber());
        if (rv.revertToNumber() > lastNumber || known == null || !known.equals(rv.revertToHash())) {
            LOG.error("Refusing the revert at stream offset {} to height {} ({}): the signed chain is at {} and has {} there",
                    offset, rv.revertToNumber(), rv.revertToHash(), lastNumber, known == null ? "no remembered block" : known);
            return;
        }
        SignedRevert sr = new SignedRevert(rv, offset, signer.address().toHex(), System.currentTimeMillis());
        try {
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(Topics.SIGNED_BLOCKS.name(), 0, Long.toString(rv.revertToNumber()),
                    EventCodec.SIGNED_BLOCKS.encode(sr)));
            producer.commitTransaction();
        } catch (KafkaException e) {
            if (fenced(e)) {
                throw e;
            }
            LOG.warn("Publishing the revert to height {} failed ({}); re-reading signed-blocks", rv.revertToNumber(), e.getMessage());
            recoverProducer();
            return;
        }
        long from = lastNumber;
        lowerTo(rv.revertToNumber(), rv.revertToHash());
        lastStreamOffset = offset;
        LOG.warn("Applied revert from block {} to {} ({}): {}; signing resumes at height {}", from, rv.revertToNumber(),
                rv.revertToHash(), rv.reason(), rv.revertToNumber() + 1);
    }

    /** Sets the authorized signer from the policy and what signed-blocks already holds, then follows L1 if asked. */
    private void startAuthority() {
        switch (policy.source()) {
            case FLAG -> authorized = policy.fixed();
            case OWN_KEY -> authorized = signer.address();
            case L1 -> {
                authorized = lastChange == null ? null : Address.fromHex(lastChange.signer());
                l1Reader = new KafkaConsumer<>(kafka.readerConfig("signer-l1-reader"));
                l1Reader.assign(List.of(l1Partition));
                l1Reader.seekToBeginning(List.of(l1Partition));
                long end = l1Reader.endOffsets(List.of(l1Partition)).get(l1Partition);
                while (l1Reader.position(l1Partition) < end) {
                    pollL1(Duration.ofMillis(200));
                }
            }
        }
        if (authorized != null) {
            logInit(authorized, policy.source() == AuthorizedSignerPolicy.Source.FLAG ? "--consensus.authorized-signer"
                    : policy.source() == AuthorizedSignerPolicy.Source.OWN_KEY ? "this signer's key (no --l1.url SystemConfig, no flag)"
                    : "signed-blocks (last read from L1 block " + lastChange.l1BlockNumber() + ")");
        } else {
            LOG.info("Waiting for the authorized signer from L1 ({} has none yet); no block is signed before it", Topics.L1_EVENTS.name());
        }
        if (authorized != null && !authorized.equals(signer.address())) {
            // Not fatal: a standby key waits for a rotation to it, as in the Rust node, but say so at start.
            LOG.error("This signer's address {} is not the authorized signer {}: it signs nothing until the authorized signer is {}",
                    signer.address(), authorized, signer.address());
        }
        refreshAuthority();
    }

    private void logInit(Address a, String from) {
        if (!initLogged) {
            initLogged = true;
            CONSENSUS.info("Initialized system contract consensus with authorized signer: {}", a);
            LOG.info("Authorized signer {} from {}", a, from);
        }
    }

    private void pollL1(Duration timeout) {
        for (ConsumerRecord<String, byte[]> r : l1Reader.poll(timeout)) {
            // l1-events is never skipped (README, "A record that does not decode"): the authorized
            // signer could be in this very record, so signing on would use a stale authority.
            L1Event ev = undecodable.decodeOrStop(EventCodec.L1_EVENT, r);
            if (ev instanceof L1AuthorizedSigner a) {
                l1Signer = a;
                l1SignerOffset = r.offset();
            }
        }
    }

    /**
     * Following L1: when l1-events names another signer than the one in force, records the change in
     * signed-blocks (its own transaction) and only then applies it, so every block signed after it
     * is checked against the new signer and none before it.
     */
    private void refreshAuthority() {
        if (policy.source() != AuthorizedSignerPolicy.Source.L1) {
            return;
        }
        pollL1(Duration.ZERO);
        if (l1Signer == null || (lastChange != null && lastChange.signer().equals(l1Signer.signer()))) {
            return;
        }
        AuthorizedSignerChange change = new AuthorizedSignerChange(l1Signer.signer(), lastNumber + 1, l1SignerOffset, l1Signer.l1BlockNumber(),
                l1Signer.systemConfig(), signer.address().toHex(), System.currentTimeMillis());
        try {
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(Topics.SIGNED_BLOCKS.name(), 0, Long.toString(change.fromHeight()),
                    EventCodec.SIGNED_BLOCKS.encode(change)));
            producer.commitTransaction();
        } catch (KafkaException e) {
            if (fenced(e)) {
                throw e;
            }
            LOG.warn("Recording the authorized signer change to {} failed ({}); re-reading signed-blocks", change.signer(), e.getMessage());
            recoverProducer();
            return;
        }
        boolean first = lastChange == null && !initLogged;
        lastChange = change;
        authorized = Address.fromHex(change.signer());
        if (first) {
            logInit(authorized, "L1 SystemConfig " + change.systemConfig() + " at L1 block " + change.l1BlockNumber());
        } else {
            CONSENSUS.info("Authorized signer updated to: {}", authorized);
        }
        LOG.info("Blocks from height {} on must be signed by {} (L1 SystemConfig {} at L1 block {}, {}-0@{})", change.fromHeight(), authorized,
                change.systemConfig(), change.l1BlockNumber(), Topics.L1_EVENTS.name(), l1SignerOffset);
    }

    /**
     * Holds the block while this key is not the authorized signer, re-reading l1-events for a change;
     * false on shutdown. Logs once per authorized signer, not once per poll.
     */
    private boolean awaitAuthorized(BlockPayload p) {
        while (running.get()) {
            refreshAuthority();
            Address a = authorized;
            if (a != null && a.equals(signer.address())) {
                if (lastHoldLog != null) {
                    LOG.info("This signer ({}) is the authorized signer again; signing resumes at block {}", a, p.number());
                    lastHoldLog = null;
                }
                return true;
            }
            String why = a == null ? "no authorized signer is known yet (waiting for L1's in " + Topics.L1_EVENTS.name() + ")"
                    : "this signer's address " + signer.address() + " is not the authorized signer " + a;
            if (!why.equals(lastHoldLog)) {
                LOG.error("Not signing block {} hash {}: {}; holding it and every later block until the authorized signer changes",
                        p.number(), p.hash(), why);
                lastHoldLog = why;
            }
            if (!sleepWhileRunning(HOLD_POLL_MS)) {
                return false;
            }
        }
        return false;
    }

    /** After a Kafka failure with unknown outcome: new producer, high-water mark re-read from signed-blocks. */
    private void recoverProducer() {
        try {
            producer.close(Duration.ZERO);
        } catch (RuntimeException ignored) {
            // broken producer
        }
        producer = newProducer();
        producer.initTransactions();
        lastNumber = 0;
        lastHash = Genesis.of(spec).header().hash().toHex();
        signedHashes.clear();
        remember(0, lastHash);
        lastStreamOffset = -1;
        lastChange = null;
        readHighWaterMark();
        if (policy.source() == AuthorizedSignerPolicy.Source.L1) {
            authorized = lastChange == null ? null : Address.fromHex(lastChange.signer());
        }
        streamReader.seek(streamPartition, lastStreamOffset + 1);
    }

    /**
     * Signs, retrying the same block with capped exponential backoff until it succeeds or the service
     * stops: skipping it would leave every later block without a parent to sign against. Returns null
     * on shutdown. A signature that does not recover to our own address is treated as a failure, so a
     * reader never sees a block it must reject.
     */
    private byte[] signWithRetry(BlockPayload p, BlockHeader header) {
        long delay = FIRST_RETRY_MS;
        for (int attempt = 1; running.get(); attempt++) {
            try {
                long started = System.nanoTime();
                byte[] sig = signer.sign(header.sealHash());
                signingTime.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                var recovered = BlockSignatures.recover(header.sealHash(), sig);
                if (!recovered.equals(signer.address())) {
                    throw new IllegalStateException("the signature recovers to " + recovered + ", not to the signer " + signer.address());
                }
                return sig;
            } catch (RuntimeException e) {
                signingFailures.increment();
                LOG.error("An error occurred while signing block {} hash {}: failed to sign: {}; retrying the same block in {} ms (attempt {})",
                        p.number(), p.hash(), e.getMessage(), delay, attempt);
            }
            if (!sleepWhileRunning(delay)) {
                break;
            }
            delay = Math.min(delay * 2, MAX_RETRY_MS);
        }
        return null;
    }

    private boolean sleepWhileRunning(long millis) {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        try {
            while (running.get() && System.nanoTime() < until) {
                Thread.sleep(Math.min(50, Math.max(1, TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime()))));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return running.get();
    }

    /** Fencing may surface directly or wrapped (e.g. a failed send reported by commitTransaction()). */
    static boolean fenced(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ProducerFencedException || t instanceof InvalidProducerEpochException) {
                return true;
            }
        }
        return false;
    }

    private static void close(AutoCloseable c) {
        try {
            if (c != null) {
                c.close();
            }
        } catch (Exception ignored) {
            // shutting down
        }
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
}
