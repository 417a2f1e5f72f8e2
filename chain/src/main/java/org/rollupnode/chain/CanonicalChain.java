package org.rollupnode.chain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.rollupnode.execution.builder.BuiltBlock;
import org.rollupnode.execution.builder.ExecutedTransaction;
import org.rollupnode.execution.chain.Genesis;
import org.rollupnode.execution.state.WorldState;
import org.rollupnode.execution.types.Hash32;

/**
 * The chain as a reader (gateway) sees it: blocks by number and hash, transactions by hash, and
 * state snapshots of recent blocks. One writer appends; any number of readers query concurrently.
 */
public final class CanonicalChain {
    /** A block with the signature it was published with and the sequencer instance that built it (null for genesis). */
    public record ChainBlock(BuiltBlock block, String signature, String signer, String sequencerId) {
        public long number() {
            return block.header().number();
        }

        public Hash32 hash() {
            return block.header().hash();
        }
    }

    public record TxLocation(long blockNumber, int index) {}

    private final int retainedStates;
    /** Where blocks older than the newest {@link #blocksInMemory} go; null keeps every block in memory. */
    private final BlockArchive archive;
    private final int blocksInMemory;
    /** Entries below {@link #archivedBelow} (except genesis) are null: those blocks are in the archive. */
    private final List<ChainBlock> blocks = new ArrayList<>();
    private volatile long archivedBelow = 1;
    /** Archived blocks decoded lately, by number (a small LRU). */
    private final java.util.LinkedHashMap<Long, ChainBlock> recentlyRead = new java.util.LinkedHashMap<>(32, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, ChainBlock> eldest) {
            return size() > 16;
        }
    };
    private final Map<Hash32, Long> numberByHash = new ConcurrentHashMap<>();
    private final Map<Hash32, TxLocation> txIndex = new ConcurrentHashMap<>();
    private final Map<Long, WorldState> states = new ConcurrentHashMap<>();
    private volatile ChainBlock head;

    public CanonicalChain(Genesis genesis, int retainedStates) {
        this(genesis, retainedStates, null, Integer.MAX_VALUE);
    }

    /**
     * A chain that keeps only its newest {@code blocksInMemory} blocks as objects and moves older
     * ones to {@code archive} (still served by number, hash and transaction hash, and still
     * removed by a revert that reaches them). Post-states are kept apart, for {@code retainedStates} blocks.
     */
    public CanonicalChain(Genesis genesis, int retainedStates, BlockArchive archive, int blocksInMemory) {
        if (blocksInMemory < 1) {
            throw new IllegalArgumentException("blocksInMemory must be at least 1, got " + blocksInMemory);
        }
        this.retainedStates = retainedStates;
        this.archive = archive;
        this.blocksInMemory = blocksInMemory;
        append(new ChainBlock(new BuiltBlock(genesis.header(), List.of(), genesis.state()), null, null, null));
    }

    public synchronized void append(ChainBlock b) {
        if (head != null && b.number() != head.number() + 1) {
            throw new IllegalArgumentException("block " + b.number() + " does not follow " + head.number());
        }
        blocks.add(b);
        numberByHash.put(b.hash(), b.number());
        for (ExecutedTransaction e : b.block().transactions()) {
            txIndex.put(e.transaction().hash(), new TxLocation(b.number(), e.index()));
        }
        states.put(b.number(), b.block().postState());
        long evict = b.number() - retainedStates;
        if (evict > 0) {
            states.remove(evict); // genesis (0) is kept: it is the root of every replay
            // The block itself stays served (header, transactions, receipts), but not its state:
            // every retained post-state pins the trie nodes its block changed, so keeping them all
            // made the live set grow with the chain.
            ChainBlock old = blocks.get((int) evict);
            if (old != null && old.block().postState() != null) {
                blocks.set((int) evict, new ChainBlock(new BuiltBlock(old.block().header(), old.block().transactions(), null),
                        old.signature(), old.signer(), old.sequencerId()));
            }
        }
        head = b;
        long out = b.number() - blocksInMemory;
        if (archive != null && out > 0) { // genesis stays
            ChainBlock old = blocks.get((int) out);
            if (old != null) { // null: archived already (the chain was reverted below it and regrew)
                // stored before it leaves the maps, so a concurrent reader finds it in one or the other
                archive.put(old);
                archivedBelow = Math.max(archivedBelow, out + 1);
                blocks.set((int) out, null);
                numberByHash.remove(old.hash());
                for (ExecutedTransaction e : old.block().transactions()) {
                    txIndex.remove(e.transaction().hash(), new TxLocation(out, e.index()));
                }
            }
        }
    }

    /**
     * Drops every block above {@code number} (an applied revert record): they are no longer served
     * by number, hash or transaction hash. Returns the dropped blocks, lowest first.
     */
    public synchronized List<ChainBlock> truncateTo(long number) {
        if (number < 0 || number > head.number()) {
            throw new IllegalArgumentException("cannot truncate to block " + number + ": the head is " + head.number());
        }
        List<ChainBlock> dropped = new ArrayList<>();
        while (blocks.size() - 1 > number) {
            long n = blocks.size() - 1;
            ChainBlock b = blocks.remove((int) n);
            if (b == null) { // archived: it leaves the archive too
                b = archive.block(n).orElseThrow(() -> new IllegalStateException("block " + n + " is missing from the archive"));
                archive.remove(b);
                synchronized (recentlyRead) {
                    recentlyRead.remove(n);
                }
            }
            dropped.add(0, b);
            numberByHash.remove(b.hash());
            for (ExecutedTransaction e : b.block().transactions()) {
                // a later block may hold the same transaction again only after this one is gone
                txIndex.remove(e.transaction().hash(), new TxLocation(b.number(), e.index()));
            }
            states.remove(b.number());
        }
        ChainBlock target = blocks.get((int) number);
        if (target == null) {
            // The new head comes back into memory with its post-state (state queries at "latest" need it),
            // indexed here before it leaves the archive so a concurrent reader finds it in one or the other.
            ChainBlock stored = archive.block(number).orElseThrow(() -> new IllegalStateException("block " + number + " is missing from the archive"));
            target = new ChainBlock(new BuiltBlock(stored.block().header(), stored.block().transactions(), states.get(number)),
                    stored.signature(), stored.signer(), stored.sequencerId());
            blocks.set((int) number, target);
            numberByHash.put(target.hash(), number);
            for (ExecutedTransaction e : target.block().transactions()) {
                txIndex.put(e.transaction().hash(), new TxLocation(number, e.index()));
            }
            archive.remove(stored);
            synchronized (recentlyRead) {
                recentlyRead.remove(number);
            }
        }
        head = target;
        archivedBelow = Math.min(archivedBelow, number);
        if (head.block().postState() != null) {
            states.putIfAbsent(number, head.block().postState());
        }
        return dropped;
    }

    public ChainBlock head() {
        return head;
    }

    public Optional<ChainBlock> byNumber(long number) {
        ChainBlock b;
        synchronized (this) {
            if (number < 0 || number >= blocks.size()) {
                return Optional.empty();
            }
            b = blocks.get((int) number);
        }
        return b != null ? Optional.of(b) : archived(number);
    }

    /**
     * An archived block, decoded; the last few stay decoded, as clients tend to ask for several
     * receipts of the same recent block and a block of thousands of transactions takes milliseconds to decode.
     */
    private Optional<ChainBlock> archived(long number) {
        ChainBlock b;
        synchronized (recentlyRead) {
            b = recentlyRead.get(number);
        }
        if (b != null) {
            return Optional.of(b);
        }
        Optional<ChainBlock> read = archive.block(number);
        synchronized (this) {
            ChainBlock now = number < blocks.size() ? blocks.get((int) number) : null;
            if (now != null) {
                return Optional.of(now); // reverted and rebuilt while it was read
            }
            if (read.isEmpty() || number >= blocks.size()) {
                return Optional.empty(); // reverted away
            }
            synchronized (recentlyRead) {
                recentlyRead.put(number, read.get());
            }
        }
        return read;
    }

    public Optional<ChainBlock> byHash(Hash32 hash) {
        Long n = numberByHash.get(hash);
        if (n == null && archive != null) {
            n = archive.number(hash).orElse(null);
        }
        return n == null ? Optional.empty() : byNumber(n);
    }

    public Optional<TxLocation> transaction(Hash32 hash) {
        TxLocation at = txIndex.get(hash);
        if (at == null && archive != null) {
            return archive.transaction(hash);
        }
        return Optional.ofNullable(at);
    }

    /** The lowest height still held as objects (older ones, genesis aside, are read from the archive). */
    public long oldestInMemory() {
        return archivedBelow;
    }

    /** The state after block {@code number}, if still retained. */
    public Optional<WorldState> stateAt(long number) {
        return Optional.ofNullable(states.get(number));
    }
}
