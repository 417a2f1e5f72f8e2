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
    private final List<ChainBlock> blocks = new ArrayList<>();
    private final Map<Hash32, Long> numberByHash = new ConcurrentHashMap<>();
    private final Map<Hash32, TxLocation> txIndex = new ConcurrentHashMap<>();
    private final Map<Long, WorldState> states = new ConcurrentHashMap<>();
    private volatile ChainBlock head;

    public CanonicalChain(Genesis genesis, int retainedStates) {
        this.retainedStates = retainedStates;
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
            if (old.block().postState() != null) {
                blocks.set((int) evict, new ChainBlock(new BuiltBlock(old.block().header(), old.block().transactions(), null),
                        old.signature(), old.signer(), old.sequencerId()));
            }
        }
        head = b;
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
            ChainBlock b = blocks.remove(blocks.size() - 1);
            dropped.add(0, b);
            numberByHash.remove(b.hash());
            for (ExecutedTransaction e : b.block().transactions()) {
                // a later block may hold the same transaction again only after this one is gone
                txIndex.remove(e.transaction().hash(), new TxLocation(b.number(), e.index()));
            }
            states.remove(b.number());
        }
        head = blocks.get((int) number);
        if (head.block().postState() != null) {
            states.putIfAbsent(number, head.block().postState());
        }
        return dropped;
    }

    public ChainBlock head() {
        return head;
    }

    public Optional<ChainBlock> byNumber(long number) {
        synchronized (this) {
            if (number < 0 || number >= blocks.size()) {
                return Optional.empty();
            }
            return Optional.of(blocks.get((int) number));
        }
    }

    public Optional<ChainBlock> byHash(Hash32 hash) {
        Long n = numberByHash.get(hash);
        return n == null ? Optional.empty() : byNumber(n);
    }

    public Optional<TxLocation> transaction(Hash32 hash) {
        return Optional.ofNullable(txIndex.get(hash));
    }

    /** The state after block {@code number}, if still retained. */
    public Optional<WorldState> stateAt(long number) {
        return Optional.ofNullable(states.get(number));
    }
}
