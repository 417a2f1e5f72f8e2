package org.rollupnode.sequencer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
import org.rollupnode.execution.builder.InvalidBlockException;
import org.rollupnode.execution.chain.ChainSpec;
import org.rollupnode.execution.tx.Transaction;
import org.rollupnode.execution.tx.TransactionDecoder;
import org.rollupnode.execution.types.Hex;
import org.rollupnode.kafka.KafkaSettings;
import org.rollupnode.schemas.BlockPayload;
import org.rollupnode.schemas.EventCodec;
import org.rollupnode.schemas.PendingTransaction;
import org.rollupnode.schemas.SequencerControl;
import org.rollupnode.schemas.SequencerStreamEvent;
import org.rollupnode.schemas.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sequencer-service: folds {@code pending-transactions} into a mempool, builds a payload every
 * slot and appends it to the single-partition sequencer stream, one Kafka transaction per block.
 *
 * <p>Start-up order matters (architecture §4): first claim the producer identity, which fences any
 * older sequencer, then read the stream to its end, then build on that head.
 */
public final class SequencerService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("rollup_node::sequencer");
    static final String TRANSACTIONAL_ID = "rollup-node-sequencer";

    private final SequencerConfig config;
    private final ChainSpec spec;
    private final KafkaSettings kafka;
    private final long gasLimit;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean automatic = new AtomicBoolean();
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private volatile Throwable failure;
    private volatile long headNumber = -1;
    private Thread thread;

    private final Mempool mempool = new Mempool();
    private ChainFolder folder;
    private KafkaProducer<String, byte[]> producer;
    private KafkaConsumer<String, byte[]> streamReader;
    private KafkaConsumer<String, byte[]> pendingReader;
    private KafkaConsumer<String, byte[]> controlReader;
    private final TopicPartition streamPartition = new TopicPartition(Topics.SEQUENCER_STREAM.name(), 0);

    public SequencerService(SequencerConfig config, ChainSpec spec, KafkaSettings kafka) {
        this.config = config;
        this.spec = spec;
        this.kafka = kafka;
        this.gasLimit = config.gasLimit() != null ? config.gasLimit() : spec.defaultBlockGasLimit();
    }

    public void start() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        automatic.set(config.autoStart());
        thread = new Thread(this::run, "sequencer");
        thread.start();
    }

    /** Waits until the service has read the stream to its end and is ready to build. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean automaticSequencing() {
        return automatic.get();
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
            while (running.get()) {
                long now = System.currentTimeMillis();
                if (now >= nextSlot) {
                    if (automatic.get()) {
                        buildSlot(nextSlot);
                    }
                    // A slot that came while we were building is skipped, not queued.
                    nextSlot = nextSlotAfter(System.currentTimeMillis(), blockMs);
                    continue;
                }
                pollInputs(Duration.ofMillis(Math.min(50, Math.max(1, nextSlot - now))));
            }
        } catch (ProducerFencedException | InvalidProducerEpochException e) {
            failure = e;
            LOG.error("Another sequencer instance took over (producer fenced); this instance stops building now");
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
        producer = newProducer();
        producer.initTransactions(); // fences any older instance before we read the head
        streamReader = new KafkaConsumer<>(kafka.readerConfig("sequencer-stream-reader"));
        streamReader.assign(List.of(streamPartition));
        streamReader.seekToBeginning(List.of(streamPartition));
        readStreamToEnd();
        pendingReader = new KafkaConsumer<>(kafka.readerConfig("sequencer-mempool"));
        List<TopicPartition> pending = new ArrayList<>();
        for (PartitionInfo p : pendingReader.partitionsFor(Topics.PENDING_TRANSACTIONS.name())) {
            pending.add(new TopicPartition(p.topic(), p.partition()));
        }
        pendingReader.assign(pending);
        // Accepted but not yet included transactions must survive a restart: re-read them all;
        // the ones already included are recognised by their nonce and dropped.
        pendingReader.seekToBeginning(pending);
        controlReader = new KafkaConsumer<>(kafka.readerConfig("sequencer-control"));
        TopicPartition control = new TopicPartition(Topics.SEQUENCER_CONTROL.name(), 0);
        controlReader.assign(List.of(control));
        controlReader.seekToEnd(List.of(control));
        controlReader.position(control);
        pollInputs(Duration.ofMillis(100));
        LOG.info("Sequencer ready at head {} ({}), automatic sequencing {}, block time {} ms, gas limit {}, fee recipient {}",
                folder.head().number(), folder.head().hash(), automatic.get() ? "on" : "off",
                config.blockTime().toMillis(), gasLimit, config.feeRecipient());
        caughtUp.countDown();
    }

    private KafkaProducer<String, byte[]> newProducer() {
        return new KafkaProducer<>(kafka.transactionalProducerConfig(config.sequencerId(), TRANSACTIONAL_ID));
    }

    /** Reads committed payloads up to the end of the stream, re-executing the ones we did not build. */
    private void readStreamToEnd() throws InvalidBlockException {
        long end = streamReader.endOffsets(List.of(streamPartition)).get(streamPartition);
        while (streamReader.position(streamPartition) < end) {
            for (ConsumerRecord<String, byte[]> r : streamReader.poll(Duration.ofMillis(200))) {
                SequencerStreamEvent ev = EventCodec.SEQUENCER_STREAM.decode(r.value(), r.topic(), r.partition(), r.offset());
                if (ev instanceof BlockPayload p) {
                    BlockHeader head = folder.head();
                    if (p.number() <= head.number()) {
                        // Our own payload coming back, or a duplicate from a rogue writer: first one wins.
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
        headNumber = folder.head().number();
        mempool.pruneIncluded(folder.headState());
    }

    private void pollInputs(Duration timeout) {
        for (ConsumerRecord<String, byte[]> r : pendingReader.poll(timeout)) {
            PendingTransaction p;
            Transaction tx;
            try {
                p = EventCodec.PENDING_TRANSACTION.decode(r.value(), r.topic(), r.partition(), r.offset());
                tx = TransactionDecoder.decode(Hex.decode(p.raw()));
            } catch (RuntimeException e) {
                // The gateway validated it; a record that fails here is corrupt. Loud, not silent.
                LOG.error("Undecodable pending transaction at {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
                continue;
            }
            if (tx.nonce() < folder.headState().nonce(tx.sender())) {
                continue; // already included (or superseded) before a restart
            }
            Mempool.AddResult result = mempool.add(tx, tx.sender());
            if (LOG.isTraceEnabled()) {
                LOG.trace("Pending transaction {} from {} nonce {}: {}", tx.hash(), tx.sender(), tx.nonce(), result);
            }
        }
        for (ConsumerRecord<String, byte[]> r : controlReader.poll(Duration.ZERO)) {
            SequencerControl c = EventCodec.SEQUENCER_CONTROL.decode(r.value(), r.topic(), r.partition(), r.offset());
            boolean on = c.action() == SequencerControl.Action.ENABLE_AUTOMATIC_SEQUENCING;
            automatic.set(on);
            LOG.info("Automatic sequencing {} (requested by {})", on ? "enabled" : "disabled", c.requestedBy());
        }
    }

    private void buildSlot(long slotMillis) throws InvalidBlockException {
        long startNanos = System.nanoTime();
        BlockHeader parent = folder.head();
        long timestamp = Math.max(parent.timestamp(), System.currentTimeMillis() / 1000);
        BlockEnv env = new BlockEnv(parent.number() + 1, timestamp, config.feeRecipient(), gasLimit,
                BaseFee.next(parent, spec.baseFeeOverhead()));
        BlockBuilder builder = new BlockBuilder(spec, parent, folder.headState(), env);
        Mempool.Fill fill = mempool.fill(builder, startNanos + config.payloadBuildingDuration().toNanos());
        for (Mempool.Dropped d : fill.dropped()) {
            LOG.info("Dropped transaction {} from {}: {}", d.entry().tx().hash(), d.entry().sender(), d.message());
        }
        if (builder.transactionCount() == 0 && !config.allowEmptyBlocks()) {
            LOG.trace("Built empty payload for slot {}, discarding payload (no transactions, --sequencer.allow-empty-blocks not set)", slotMillis);
            return;
        }
        BuiltBlock built = builder.seal(new byte[0]);
        long buildMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        BlockPayload payload = Payloads.toPayload(built, 0, 0, config.sequencerId(), System.currentTimeMillis(), buildMillis);
        try {
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(Topics.SEQUENCER_STREAM.name(), 0, Long.toString(payload.number()),
                    EventCodec.SEQUENCER_STREAM.encode(payload)));
            producer.commitTransaction();
        } catch (ProducerFencedException | InvalidProducerEpochException e) {
            throw e;
        } catch (KafkaException e) {
            // Outcome unknown: never reuse this producer. Put the transactions back, re-claim the
            // identity and learn from the stream itself whether the payload made it.
            LOG.warn("Publishing payload {} failed ({}); re-reading the sequencer stream", payload.number(), e.getMessage());
            fill.included().forEach(en -> mempool.add(en.tx(), en.sender()));
            try {
                producer.close(Duration.ZERO);
            } catch (RuntimeException ignored) {
                // already broken
            }
            producer = newProducer();
            producer.initTransactions();
            readStreamToEnd();
            return;
        }
        folder.advance(built);
        headNumber = built.header().number();
        LOG.info("Built payload with id {}, hash: {}, number: {} containing {} transactions. (gas used {}, build {} ms)",
                Long.toHexString(slotMillis), built.header().hash(), built.header().number(), built.transactions().size(),
                built.header().gasUsed(), buildMillis);
        readStreamToEnd(); // skips our own record; catches a rogue writer's record loudly
    }

    private void closeClients() {
        for (AutoCloseable c : new AutoCloseable[] {streamReader, pendingReader, controlReader}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // shutting down
            }
        }
        if (producer != null) {
            try {
                producer.close(Duration.ofSeconds(5));
            } catch (RuntimeException ignored) {
                // shutting down
            }
        }
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
}
