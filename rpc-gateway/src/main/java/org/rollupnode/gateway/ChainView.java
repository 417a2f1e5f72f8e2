package org.rollupnode.gateway;

import java.io.IOException;
import java.nio.file.Path;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.rollupnode.chain.BlockArchive;
import org.rollupnode.chain.CanonicalChain;
import org.rollupnode.chain.ChainFolder;
import org.rollupnode.chain.ExecutedBlocks;
import org.rollupnode.chain.Payloads;
import org.rollupnode.execution.builder.BuiltBlock;
import org.rollupnode.execution.builder.InvalidBlockException;
import org.rollupnode.execution.chain.ChainSpec;
import org.rollupnode.execution.chain.Genesis;
import org.rollupnode.execution.types.Address;
import org.rollupnode.execution.types.Hex;
import org.rollupnode.kafka.KafkaSettings;
import org.rollupnode.schemas.AuthorizedSignerChange;
import org.rollupnode.schemas.EventCodec;
import org.rollupnode.schemas.SequencerRevert;
import org.rollupnode.schemas.SignedBlock;
import org.rollupnode.schemas.SignedBlocksEvent;
import org.rollupnode.schemas.SignedRevert;
import org.rollupnode.schemas.Topics;
import org.rollupnode.chain.BlockSignatures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's chain, folded from {@code signed-blocks}: every block's signature is checked and
 * its payload re-executed before clients can see it. A block that fails either check is reported
 * loudly and not served; the first committed record for a height wins, until a revert record
 * (the signer's copy of a sequencer-stream revert) unwinds the chain below it: then the blocks above
 * the revert height are no longer served and the next block at that height is imported.
 */
public final class ChainView implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("rollup_node::rpc");

    private final ChainSpec spec;
    private final KafkaSettings kafka;
    private final ChainFolder folder;
    private final CanonicalChain chain;
    private volatile Address signer;
    private final boolean signerFixed;
    private volatile AuthorizedSignerChange lastSignerChange;
    private final java.util.List<java.util.function.Consumer<CanonicalChain.ChainBlock>> onBlock = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile SequencerRevert lastRevert;
    private final AtomicBoolean running = new AtomicBoolean();
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private volatile boolean synced;
    private final CountDownLatch targetKnown = new CountDownLatch(1);
    private volatile long startingBlock;
    private volatile long highestBlock;
    private static final Duration PROGRESS_LOG_INTERVAL = Duration.ofSeconds(5);
    private volatile String lastError;
    private Thread thread;
    /** signed-blocks is the chain: a record that does not decode stops this view at it, never skipped. */
    private final org.rollupnode.kafka.UndecodableRecords undecodable;

    /**
     * Blocks whose post-state stays in memory for state queries ({@code eth_getBalance} etc. at a
     * block number); as many as a revert can reach. Older blocks are still served, their state is not.
     */
    public static final int RETAINED_STATES = ChainFolder.DEFAULT_RETAINED_BLOCKS;

    /**
     * Newest blocks kept as objects; older ones are served from a {@link BlockArchive} on disk.
     * A minute of 1 s blocks: what receipt polling and subscriptions read, without the heap
     * growing with the chain (about 2 KB per transaction kept as objects).
     */
    public static final int BLOCKS_IN_MEMORY = 64;

    /** {@link #BLOCKS_IN_MEMORY}, or {@code -Drollupnode.gateway.blocks-in-memory}. */
    static int blocksInMemory() {
        return Integer.getInteger("rollupnode.gateway.blocks-in-memory", BLOCKS_IN_MEMORY);
    }

    /** Where the archive's scratch directory goes: {@code -Drollupnode.gateway.archive-dir}, else the JVM's temp directory. */
    static Path archiveParent() {
        String dir = System.getProperty("rollupnode.gateway.archive-dir");
        return dir != null ? Path.of(dir) : Path.of(System.getProperty("java.io.tmpdir"), "rollup-node-gateway");
    }

    private final BlockArchive archive;

    public ChainView(ChainSpec spec, KafkaSettings kafka, Address authorizedSigner) {
        this(spec, kafka, authorizedSigner, false);
    }

    /**
     * @param authorizedSigner      required signer of the blocks; null pins the signer of the first block
     * @param authorizedSignerFixed the signer is {@code --consensus.authorized-signer}: change records in
     *                              signed-blocks are logged but do not replace it
     */
    public ChainView(ChainSpec spec, KafkaSettings kafka, Address authorizedSigner, boolean authorizedSignerFixed) {
        this.signerFixed = authorizedSignerFixed;
        this.spec = spec;
        this.kafka = kafka;
        this.folder = new ChainFolder(spec);
        this.archive = openArchive();
        this.chain = archive == null ? new CanonicalChain(Genesis.of(spec), RETAINED_STATES)
                : new CanonicalChain(Genesis.of(spec), RETAINED_STATES, archive, blocksInMemory());
        this.signer = authorizedSigner;
        this.undecodable = new org.rollupnode.kafka.UndecodableRecords("rpc-gateway chain view", kafka);
    }

    /**
     * Shares the executions of a sequencer running in this process: a signed block whose hash it
     * just built is not executed a second time (see {@link ExecutedBlocks}). Call before {@link #start}.
     */
    public ChainView reuse(ExecutedBlocks executed) {
        folder.reuse(executed);
        return this;
    }

    /** Blocks imported without executing them again (built by this process's sequencer). */
    public long reusedBlocks() {
        return folder.reusedCount();
    }

    /** Blocks imported by re-executing their payload. */
    public long reexecutedBlocks() {
        return folder.reexecutedCount();
    }

    /** Where this view stopped at a record that does not decode (empty when it did not). */
    public java.util.List<org.rollupnode.kafka.UndecodableRecords.Halt> undecodableHalts() {
        return undecodable.halts();
    }

    public CanonicalChain chain() {
        return chain;
    }

    public ChainSpec spec() {
        return spec;
    }

    public boolean synced() {
        return synced;
    }

    public String lastError() {
        return lastError;
    }

    public Address signer() {
        return signer;
    }

    /** Whether the signer is the flag's (fixed) rather than followed from signed-blocks. */
    public boolean signerFixed() {
        return signerFixed;
    }

    /** The last authorized-signer change record read from signed-blocks, or null. */
    public AuthorizedSignerChange lastSignerChange() {
        return lastSignerChange;
    }

    /** The last revert this view applied, or null. */
    public SequencerRevert lastRevert() {
        return lastRevert;
    }

    private final java.util.List<java.util.function.Consumer<java.util.List<CanonicalChain.ChainBlock>>> onRevert =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * Called on the chain-view thread after a revert record took blocks off the served chain, with
     * those blocks lowest first; the replacement blocks then arrive through {@link #onBlock} as usual.
     */
    public void onRevert(java.util.function.Consumer<java.util.List<CanonicalChain.ChainBlock>> listener) {
        this.onRevert.add(listener);
    }

    /** Called on the chain-view thread after each block is appended. */
    public void onBlock(java.util.function.Consumer<CanonicalChain.ChainBlock> listener) {
        this.onBlock.add(listener);
    }

    public void start() {
        if (running.compareAndSet(false, true)) {
            thread = new Thread(this::run, "chain-view");
            thread.setDaemon(true);
            thread.start();
        }
    }

    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Progress while catching up, or empty once caught up. Before the target is known (the topic's
     * end not read yet) the view is behind by an unknown amount: highest is reported as current.
     */
    public java.util.Optional<SyncProgress> syncProgress() {
        if (synced) {
            return java.util.Optional.empty();
        }
        long current = chain.head().number();
        long start = Math.min(startingBlock, current);
        return java.util.Optional.of(new SyncProgress(start, current, Math.max(highestBlock, current)));
    }

    /** Waits until the catch-up target (end of signed-blocks) is known, so the first answer to eth_syncing has it. */
    public boolean awaitTarget(Duration timeout) throws InterruptedException {
        return targetKnown.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void run() {
        TopicPartition tp = new TopicPartition(Topics.SIGNED_BLOCKS.name(), 0);
        while (running.get()) {
            try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(kafka.readerConfig("gateway-chain-view"))) {
                c.assign(List.of(tp));
                c.seek(tp, chain.head().number() == 0 ? 0 : nextOffset);
                if (synced) {
                    fold(c);
                } else {
                    try (TopicTail tail = new TopicTail(kafka, "gateway-chain-view-tail")) {
                        catchUp(c, tp, tail);
                    }
                    fold(c);
                }
            } catch (RuntimeException e) {
                lastError = e.getMessage();
                LOG.error("Chain view consumer failed, retrying in 1 s: {}", e.getMessage());
                sleep(1000);
            }
        }
    }

    /**
     * Folds up to the end of the topic as read at start, then re-reads the end: a sequencer that kept
     * producing meanwhile moves the target, and only a re-check that finds nothing new ends the
     * catch-up. Progress is logged at start and every few seconds.
     */
    private void catchUp(KafkaConsumer<String, byte[]> c, TopicPartition tp, TopicTail tail) {
        if (targetKnown.getCount() > 0) {
            startingBlock = chain.head().number(); // a retried catch-up keeps the first start
        }
        TopicTail.Tail target = tail.read();
        highestBlock = target.height();
        targetKnown.countDown();
        long records = Math.max(0, target.endOffset() - c.position(tp));
        LOG.info("Catching up: block {} of {} ({} offsets of {} to fold)", startingBlock, Math.max(startingBlock, highestBlock),
                records, tp);
        long lastLog = System.nanoTime();
        while (running.get()) {
            foldOnce(c);
            long now = System.nanoTime();
            if (undecodable.stopped(tp)) {
                // Stopped at a bad record: serve what is known (RPC stays up); /ready reports the halt.
                synced = true;
                caughtUp.countDown();
                LOG.warn("Chain view stopped at an undecodable record; serving up to block {}", chain.head().number());
                return;
            }
            if (c.position(tp) >= target.endOffset()) {
                TopicTail.Tail again = tail.read();
                if (again.endOffset() <= c.position(tp)) {
                    synced = true;
                    caughtUp.countDown();
                    LOG.info("Chain view caught up at block {}", chain.head().number());
                    return;
                }
                target = again;
                highestBlock = again.height();
            } else if (now - lastLog >= PROGRESS_LOG_INTERVAL.toNanos()) {
                target = tail.read();
                highestBlock = target.height();
                LOG.info("Catching up: block {} of {}", chain.head().number(), Math.max(chain.head().number(), highestBlock));
                lastLog = now;
            }
        }
    }

    private void fold(KafkaConsumer<String, byte[]> c) {
        while (running.get()) {
            foldOnce(c);
        }
    }

    private void foldOnce(KafkaConsumer<String, byte[]> c) {
        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(50))) {
            if (undecodable.stopped(r)) {
                continue;
            }
            SignedBlocksEvent ev;
            try {
                ev = EventCodec.SIGNED_BLOCKS.decode(r.value(), r.topic(), r.partition(), r.offset());
            } catch (RuntimeException e) {
                lastError = e.getMessage();
                undecodable.onUndecodable(c, r, e); // stops: signed-blocks never allows moving a record aside
                continue;
            }
            accept(ev, r);
            nextOffset = r.offset() + 1;
        }
    }

    private long nextOffset;

    private void accept(SignedBlocksEvent ev, ConsumerRecord<String, byte[]> r) {
        if (ev instanceof SignedRevert sr) {
            applyRevert(sr.revert(), r);
            return;
        }
        if (ev instanceof AuthorizedSignerChange change) {
            applySignerChange(change, r);
            return;
        }
        SignedBlock sb = (SignedBlock) ev;
        long number = sb.payload().number();
        long head = folder.head().number();
        if (number <= head) {
            if (!sb.payload().hash().equals(chain.byNumber(number).map(b -> b.hash().toHex()).orElse(null))) {
                LOG.error("Ignoring a second signed block for height {} at {}-{}@{}: first one wins", number, r.topic(), r.partition(), r.offset());
            }
            return;
        }
        try {
            Address recovered = BlockSignatures.recover(Payloads.header(sb.payload()).sealHash(), Hex.decode(sb.signature()));
            if (signer == null) {
                signer = recovered;
                LOG.info("No authorized signer configured; pinning the signer of the first block: {}", recovered);
            }
            if (!recovered.equals(signer)) {
                throw new InvalidBlockException("block " + number + " is signed by " + recovered + ", not the authorized signer " + signer);
            }
            BuiltBlock built = folder.apply(sb.payload());
            CanonicalChain.ChainBlock block = new CanonicalChain.ChainBlock(built, sb.signature(), recovered.toHex(), sb.payload().sequencerId());
            chain.append(block);
            for (var listener : onBlock) {
                try {
                    listener.accept(block);
                } catch (RuntimeException e) {
                    LOG.error("Block listener failed on block {}: {}", number, e.getMessage(), e);
                }
            }
            if (LOG.isDebugEnabled()) {
                LOG.debug("Imported block {} ({} transactions; so far {} re-executed, {} taken from this process's sequencer)", number,
                        built.transactions().size(), folder.reexecutedCount(), folder.reusedCount());
            }
        } catch (InvalidBlockException | IllegalArgumentException e) {
            lastError = e.getMessage();
            LOG.error("Refusing signed block at {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
        }
    }

    /**
     * Blocks after this record must be signed by its signer (blocks already served stay: they were
     * checked against the signer in force before it), unless the flag fixes the signer.
     */
    private void applySignerChange(AuthorizedSignerChange change, ConsumerRecord<String, byte[]> r) {
        lastSignerChange = change;
        if (signerFixed) {
            if (!Address.fromHex(change.signer()).equals(signer)) {
                LOG.warn("signed-blocks names {} as the authorized signer from height {} ({}-{}@{}), but --consensus.authorized-signer {} "
                        + "takes precedence", change.signer(), change.fromHeight(), r.topic(), r.partition(), r.offset(), signer);
            }
            return;
        }
        Address before = signer;
        signer = Address.fromHex(change.signer());
        LOG.info("Authorized signer {} for the blocks after {}-{}@{} (from height {}, L1 block {}){}", signer, r.topic(), r.partition(),
                r.offset(), change.fromHeight(), change.l1BlockNumber(), before == null ? "" : "; was " + before);
    }

    /** Truncates the served chain and the folder together; refused (loudly) if it names a block this view does not hold. */
    private void applyRevert(SequencerRevert rv, ConsumerRecord<String, byte[]> r) {
        try {
            long from = folder.head().number();
            folder.revertTo(rv.revertToNumber(), rv.revertToHash());
            List<CanonicalChain.ChainBlock> dropped = chain.truncateTo(rv.revertToNumber());
            lastRevert = rv;
            for (var listener : onRevert) {
                try {
                    listener.accept(dropped);
                } catch (RuntimeException e) {
                    LOG.error("Revert listener failed on the revert to block {}: {}", rv.revertToNumber(), e.getMessage(), e);
                }
            }
            LOG.warn("Reverted the served chain from block {} to {} ({}) per {}-{}@{}: {}", from, rv.revertToNumber(), rv.revertToHash(),
                    r.topic(), r.partition(), r.offset(), rv.reason());
        } catch (InvalidBlockException | IllegalArgumentException e) {
            lastError = e.getMessage();
            LOG.error("Refusing the revert at {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static BlockArchive openArchive() {
        try {
            BlockArchive a = BlockArchive.create(archiveParent());
            LOG.info("Blocks older than the newest {} are archived in {} (rebuilt from the topics at every start)", blocksInMemory(),
                    a.directory());
            return a;
        } catch (IOException | RuntimeException e) {
            LOG.warn("No block archive ({}): every served block stays in memory, and the heap grows with the chain", e.getMessage());
            return null;
        }
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
        if (archive != null) {
            archive.close();
        }
    }
}
