package org.rollupnode.chain.store;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.rocksdb.RocksDBException;
import org.rollupnode.chain.ChainFolder;
import org.rollupnode.chain.Payloads;
import org.rollupnode.execution.block.BlockHeader;
import org.rollupnode.execution.builder.BuiltBlock;
import org.rollupnode.execution.builder.ExecutedTransaction;
import org.rollupnode.execution.chain.ChainSpec;
import org.rollupnode.execution.chain.Genesis;
import org.rollupnode.execution.tx.Transaction;
import org.rollupnode.execution.types.Hash32;
import org.rollupnode.schemas.BlockPayload;
import org.rollupnode.schemas.EventCodec;
import org.rollupnode.schemas.SequencerStreamEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a {@link ChainFolder}'s head in a {@link StateStore} as it folds the sequencer stream,
 * and resumes a folder from it at start. The store is a cache: whenever it cannot be trusted
 * (unopenable, another chain, ahead of the topic, disagreeing with the topic's record at its
 * checkpoint, a missing node) it is deleted with a warning and the caller replays from offset 0.
 */
public final class FolderPersistence implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("rollup_node::state");

    /** A folder resumed at a checkpoint; the topic is read again from {@code offset + 1}. */
    public record Restored(ChainFolder folder, StateStore.Checkpoint checkpoint) {}

    private final Path dir;
    private final ChainSpec spec;
    private final Hash32 genesisHash;
    private StateStore store;
    private boolean writeFailed;

    private FolderPersistence(Path dir, ChainSpec spec, Hash32 genesisHash, StateStore store) {
        this.dir = dir;
        this.spec = spec;
        this.genesisHash = genesisHash;
        this.store = store;
    }

    /**
     * Opens the store in {@code dir}, rebuilding it (empty) when it is unusable.
     *
     * @throws StateStoreException only when the directory cannot be written (UNWRITABLE)
     */
    public static FolderPersistence open(Path dir, ChainSpec spec) throws StateStoreException {
        Hash32 genesis = Genesis.of(spec).header().hash();
        return new FolderPersistence(dir, spec, genesis, openOrRebuild(dir, genesis));
    }

    private static StateStore openOrRebuild(Path dir, Hash32 genesis) throws StateStoreException {
        try {
            return StateStore.open(dir, genesis);
        } catch (StateStoreException e) {
            if (e.reason() == StateStoreException.Reason.UNWRITABLE) {
                throw e;
            }
            LOG.warn("State store unusable ({}); deleting {} and rebuilding it by replay from the topic", e.getMessage(), dir);
            deleteDir(dir);
            return StateStore.open(dir, genesis);
        }
    }

    private static void deleteDir(Path dir) throws StateStoreException {
        try {
            StateStore.delete(dir);
        } catch (IOException e) {
            throw new StateStoreException(StateStoreException.Reason.UNWRITABLE, "cannot delete the unusable state store " + dir + ": " + e, e);
        }
    }

    public Path directory() {
        return dir;
    }

    public StateStore store() {
        return store;
    }

    /** Throws the store away and starts an empty one: the caller replays from offset 0. */
    public void rebuild(String why) throws StateStoreException {
        LOG.warn("State store at {} cannot be used ({}); rebuilding it by replay from the topic", dir, why);
        store.close();
        deleteDir(dir);
        store = StateStore.open(dir, genesisHash);
        writeFailed = false;
    }

    /**
     * The folder at the store's checkpoint, or empty when the caller must replay from offset 0
     * (no checkpoint, or one that cannot be trusted: then the store has been rebuilt empty).
     *
     * @param topicEnd    end offset of the topic the folder reads
     * @param topicAgrees whether the topic's record at the checkpoint offset produced that head
     */
    public Optional<Restored> restore(int retainedBlocks, long topicEnd, Predicate<StateStore.Checkpoint> topicAgrees)
            throws StateStoreException {
        StateStore.Checkpoint cp;
        try {
            Optional<StateStore.Checkpoint> found = store.checkpoint();
            if (found.isEmpty()) {
                LOG.info("State store at {} has no checkpoint yet; replaying the topic from offset 0", dir);
                return Optional.empty();
            }
            cp = found.get();
        } catch (StateStoreException e) {
            rebuild(e.getMessage());
            return Optional.empty();
        }
        if (cp.offset() >= topicEnd) {
            rebuild("its checkpoint (block " + cp.number() + ", offset " + cp.offset() + ") is ahead of the topic, which ends at offset "
                    + topicEnd + ": was the topic recreated?");
            return Optional.empty();
        }
        try {
            if (!store.hasNode(cp.stateRoot())) {
                rebuild("the state root " + cp.stateRoot() + " of its checkpoint is missing");
                return Optional.empty();
            }
            if (!topicAgrees.test(cp)) {
                rebuild("the topic's record at offset " + cp.offset() + " did not produce block " + cp.number() + " (" + cp.blockHash() + ")");
                return Optional.empty();
            }
            List<ChainFolder.Retained> retained = retainedBlocks(cp, retainedBlocks);
            ChainFolder folder = ChainFolder.restore(spec, retainedBlocks, retained);
            LOG.info("Loaded state at block {} (root {}) from {}; resuming the topic after offset {} ({} blocks retained for reverts)",
                    cp.number(), cp.stateRoot(), dir, cp.offset(), retained.size() - 1);
            return Optional.of(new Restored(folder, cp));
        } catch (RuntimeException | StateStoreException e) {
            rebuild("restoring its checkpoint failed: " + e.getMessage());
            return Optional.empty();
        }
    }

    /** The stored blocks from the head down to the oldest one still linked to it, oldest first. */
    private List<ChainFolder.Retained> retainedBlocks(StateStore.Checkpoint cp, int retainedBlocks) throws StateStoreException {
        List<ChainFolder.Retained> out = new ArrayList<>();
        Hash32 expected = cp.blockHash();
        for (long n = cp.number(); n >= Math.max(0, cp.number() - retainedBlocks); n--) {
            ChainFolder.Retained r = n == 0 ? genesis() : stored(n);
            if (r == null || !r.block().header().hash().equals(expected)) {
                if (n == cp.number()) {
                    throw new IllegalStateException("the checkpoint's block " + n + " is not stored as " + expected);
                }
                break; // older records are from a chain since reverted, or pruned: reverts reach down to here
            }
            out.add(r);
            expected = r.block().header().parentHash();
        }
        if (!out.get(0).block().header().stateRoot().equals(cp.stateRoot())) {
            throw new IllegalStateException("the checkpoint's state root " + cp.stateRoot() + " is not block " + cp.number() + "'s");
        }
        Collections.reverse(out);
        return out;
    }

    private ChainFolder.Retained genesis() {
        Genesis g = Genesis.of(spec);
        return new ChainFolder.Retained(new BuiltBlock(g.header(), List.of(), g.state()), 0);
    }

    private ChainFolder.Retained stored(long n) throws StateStoreException {
        Optional<StateStore.StoredBlock> sb = store.block(n);
        if (sb.isEmpty()) {
            return null;
        }
        SequencerStreamEvent ev = EventCodec.SEQUENCER_STREAM.decode(sb.get().payload(), "state-store", 0, sb.get().offset());
        if (!(ev instanceof BlockPayload p)) {
            return null;
        }
        BlockHeader header = Payloads.header(p);
        List<Transaction> txs = Payloads.transactions(p);
        List<ExecutedTransaction> executed = new ArrayList<>(txs.size());
        for (int i = 0; i < txs.size(); i++) {
            executed.add(new ExecutedTransaction(txs.get(i), null, 0, null, null, i, null));
        }
        return new ChainFolder.Retained(new BuiltBlock(header, executed, store.state(header.stateRoot())), p.nextL1QueueIndex());
    }

    /** After the folder applied or built {@code payload} (record at {@code offset}): one batch write. */
    public void applied(BuiltBlock block, BlockPayload payload, long offset, ChainFolder folder) {
        BlockHeader h = block.header();
        long keepFrom = Math.max(0, h.number() - folder.retainedBlocks());
        try {
            store.writeBlock(new StateStore.Checkpoint(h.number(), h.hash(), h.stateRoot(), offset), block.postState(),
                    EventCodec.SEQUENCER_STREAM.encode(payload), keepFrom);
        } catch (RocksDBException | RuntimeException e) {
            writeFailure(h.number(), e);
        }
    }

    /** After the folder applied a revert record at {@code offset}: the checkpoint goes back to the new head. */
    public void reverted(ChainFolder folder, long offset) {
        BlockHeader h = folder.head();
        try {
            store.writeRevert(new StateStore.Checkpoint(h.number(), h.hash(), h.stateRoot(), offset));
        } catch (RocksDBException | RuntimeException e) {
            writeFailure(h.number(), e);
        }
    }

    /** The checkpoint stays at the last good write, so a restart replays the rest: never wrong, only slower. */
    private void writeFailure(long number, Exception e) {
        if (!writeFailed) {
            LOG.error("Writing block {} to the state store {} failed: {}; the store keeps its older checkpoint", number, dir, e.getMessage());
            writeFailed = true;
        }
    }

    @Override
    public void close() {
        store.close();
    }
}
