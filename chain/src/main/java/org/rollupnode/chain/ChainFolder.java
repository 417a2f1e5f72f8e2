package org.rollupnode.chain;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.rollupnode.execution.block.BlockHeader;
import org.rollupnode.execution.builder.BlockBuilder;
import org.rollupnode.execution.builder.BuiltBlock;
import org.rollupnode.execution.builder.ExecutedTransaction;
import org.rollupnode.execution.builder.InvalidBlockException;
import org.rollupnode.execution.chain.ChainSpec;
import org.rollupnode.execution.chain.Genesis;
import org.rollupnode.execution.state.WorldState;
import org.rollupnode.execution.tx.InvalidTransactionException;
import org.rollupnode.execution.tx.Transaction;
import org.rollupnode.execution.tx.TransactionDecoder;
import org.rollupnode.execution.types.Address;
import org.rollupnode.execution.rlp.RlpException;
import org.rollupnode.schemas.BlockPayload;

/**
 * Folds payloads onto the chain, re-executing each one and checking that the result is
 * byte-for-byte the header the payload claims (invariant 2, determinism). Pure: no I/O.
 *
 * <p>It keeps the last {@code retained} blocks (header, post-state, L1 queue position), so an
 * explicit revert record can unwind the chain to any of them; states are persistent tries, so
 * each retained block costs only the paths it changed. A revert deeper than that is refused.
 */
public final class ChainFolder {
    /** Blocks kept for reverts by default: far more than an L1 reorg under any sane inclusion mode can reach. */
    public static final int DEFAULT_RETAINED_BLOCKS = 256;

    /**
     * One retained height: the block and the queue index the next block must include first. A
     * block this folder retained itself keeps its L2 transactions compact
     * ({@code l2}: raw bytes and senders, about a fifth of a decoded transaction's heap) and
     * {@code block()} then holds its header, post-state and only its L1 messages (what reorg checks
     * read); {@link #full()} decodes the rest, as {@link ChainFolder#revertTo} does for the blocks it
     * hands back. {@code l2} is null when {@code block()} holds every transaction.
     */
    public record Retained(BuiltBlock block, long nextL1QueueIndex, CompactTransactions l2) {
        public Retained(BuiltBlock block, long nextL1QueueIndex) {
            this(block, nextL1QueueIndex, null);
        }

        public long number() {
            return block.header().number();
        }

        /** The block with all its transactions (receipts are not retained). */
        public BuiltBlock full() {
            if (l2 == null) {
                return block;
            }
            List<ExecutedTransaction> all = new ArrayList<>(block.transactions());
            all.addAll(l2.decode());
            return new BuiltBlock(block.header(), all, block.postState());
        }
    }

    /** L2 transactions as their bytes, senders and positions in the block. */
    public static final class CompactTransactions {
        private final byte[][] raw;
        private final Address[] senders;
        private final int[] indexes;

        CompactTransactions(List<ExecutedTransaction> l2) {
            raw = new byte[l2.size()][];
            senders = new Address[l2.size()];
            indexes = new int[l2.size()];
            for (int i = 0; i < raw.length; i++) {
                Transaction tx = l2.get(i).transaction();
                raw[i] = tx.unsafeEncoded();
                senders[i] = tx.sender();
                indexes[i] = l2.get(i).index();
            }
        }

        public int size() {
            return raw.length;
        }

        List<ExecutedTransaction> decode() {
            List<ExecutedTransaction> out = new ArrayList<>(raw.length);
            for (int i = 0; i < raw.length; i++) {
                // bytes this folder executed: they decode, and the sender was recovered then
                Transaction tx = TransactionDecoder.decode(raw[i]);
                tx.restoreSender(senders[i]);
                out.add(new ExecutedTransaction(tx, null, 0, null, null, indexes[i], null));
            }
            return out;
        }
    }

    private final ChainSpec spec;
    private final int retainedBlocks;
    private final ArrayDeque<Retained> retained = new ArrayDeque<>();
    private BlockHeader head;
    private WorldState headState;
    private long nextL1QueueIndex;
    private ExecutedBlocks executed;
    // written by the folding thread only; volatile so a metrics thread reads current values
    private volatile long reusedCount;
    private volatile long reexecutedCount;

    public ChainFolder(ChainSpec spec) {
        this(spec, DEFAULT_RETAINED_BLOCKS);
    }

    /** @param retainedBlocks how many blocks below the head a revert may reach (at least 1) */
    public ChainFolder(ChainSpec spec, int retainedBlocks) {
        if (retainedBlocks < 1) {
            throw new IllegalArgumentException("retainedBlocks must be at least 1, got " + retainedBlocks);
        }
        Genesis g = Genesis.of(spec);
        this.spec = spec;
        this.retainedBlocks = retainedBlocks;
        this.head = g.header();
        this.headState = g.state();
        retain(new BuiltBlock(g.header(), List.of(), g.state()));
    }

    private ChainFolder(ChainSpec spec, int retainedBlocks, List<Retained> restored) {
        this.spec = spec;
        this.retainedBlocks = retainedBlocks;
        this.retained.addAll(restored);
        Retained head = restored.get(restored.size() - 1);
        this.head = head.block().header();
        this.headState = head.block().postState();
        this.nextL1QueueIndex = head.nextL1QueueIndex();
    }

    /**
     * A folder resumed from a state store instead of genesis: {@code restored} are consecutive
     * blocks, oldest first, the head last (a revert can reach any of them). Their transactions
     * come from the topic records and carry no receipts: the folder only needs them to hand L2
     * transactions back on a revert and to check included L1 messages.
     */
    public static ChainFolder restore(ChainSpec spec, int retainedBlocks, List<Retained> restored) {
        if (restored.isEmpty()) {
            throw new IllegalArgumentException("nothing to restore");
        }
        for (int i = 1; i < restored.size(); i++) {
            BlockHeader parent = restored.get(i - 1).block().header();
            BlockHeader child = restored.get(i).block().header();
            if (child.number() != parent.number() + 1 || !child.parentHash().equals(parent.hash())) {
                throw new IllegalArgumentException("restored block " + child.number() + " does not extend " + parent.number());
            }
        }
        int from = Math.max(0, restored.size() - (retainedBlocks + 1));
        return new ChainFolder(spec, retainedBlocks, restored.subList(from, restored.size()));
    }

    public int retainedBlocks() {
        return retainedBlocks;
    }

    /**
     * Takes a payload's execution from {@code blocks} when this process already executed a block
     * with the hash the payload claims (see {@link ExecutedBlocks}); null re-executes every payload.
     */
    public ChainFolder reuse(ExecutedBlocks blocks) {
        this.executed = blocks;
        return this;
    }

    /** Payloads applied from a block this process had already executed (no second execution). */
    public long reusedCount() {
        return reusedCount;
    }

    /** Payloads applied by re-executing them. */
    public long reexecutedCount() {
        return reexecutedCount;
    }

    private void retain(BuiltBlock block) {
        retained.addLast(compact(block, nextL1QueueIndex));
        // the head plus retainedBlocks below it
        while (retained.size() > retainedBlocks + 1) {
            retained.removeFirst();
        }
    }

    /**
     * What a retained block is kept for: its header and post-state to unwind to, its L1 messages
     * for reorg checks, its L2 transactions to hand back to a mempool on a revert. Receipts are
     * dropped and L2 transactions kept as bytes: at 3,000 transfers per block, 256 blocks of
     * decoded transactions were most of the node's live heap (BENCHMARKS.md, v9).
     */
    private static Retained compact(BuiltBlock block, long nextL1QueueIndex) {
        List<ExecutedTransaction> txs = block.transactions();
        int l1 = 0;
        while (l1 < txs.size() && txs.get(l1).transaction().isL1Message()) {
            l1++;
        }
        List<ExecutedTransaction> l1Messages = new ArrayList<>(l1);
        for (int i = 0; i < l1; i++) {
            ExecutedTransaction e = txs.get(i);
            l1Messages.add(new ExecutedTransaction(e.transaction(), null, 0, null, null, e.index(), null));
        }
        return new Retained(new BuiltBlock(block.header(), l1Messages, block.postState()), nextL1QueueIndex,
                new CompactTransactions(txs.subList(l1, txs.size())));
    }

    /** The lowest height a revert can still go back to. */
    public long oldestRetained() {
        return retained.peekFirst().number();
    }

    /** Retained blocks, oldest first, the head last. */
    public List<Retained> retained() {
        return List.copyOf(retained);
    }

    /** The retained block at {@code number}, or null if it is above the head or too old. */
    public Retained retainedAt(long number) {
        long oldest = oldestRetained();
        if (number < oldest || number > head.number()) {
            return null;
        }
        Iterator<Retained> it = retained.iterator();
        for (long n = oldest; it.hasNext(); n++) {
            Retained r = it.next();
            if (n == number) {
                return r;
            }
        }
        return null;
    }

    /**
     * Unwinds to block {@code number}, which must be retained and have hash {@code expectedHash}.
     * Returns the removed blocks, lowest first (their L2 transactions go back to a mempool).
     * On a refusal the folder is unchanged.
     */
    public List<BuiltBlock> revertTo(long number, String expectedHash) throws PayloadRejected {
        if (number > head.number()) {
            throw new PayloadRejected(number, "revertToNumber", "at most the head " + head.number(), Long.toString(number),
                    "cannot revert to block " + number + ": the head is " + head.number());
        }
        Retained target = retainedAt(number);
        if (target == null) {
            throw new PayloadRejected(number, "revertToNumber", "a retained block (" + oldestRetained() + ".." + head.number() + ")",
                    Long.toString(number), "cannot revert to block " + number + ": only the last " + retainedBlocks
                            + " blocks are retained (oldest " + oldestRetained() + "); a deeper revert needs a replay from genesis");
        }
        String actual = target.block().header().hash().toHex();
        if (expectedHash != null && !actual.equalsIgnoreCase(expectedHash)) {
            throw new PayloadRejected(number, "revertToHash", expectedHash, actual,
                    "cannot revert to block " + number + ": the revert names hash " + expectedHash + " but this chain has " + actual);
        }
        List<BuiltBlock> removed = new ArrayList<>();
        while (retained.peekLast().number() > number) {
            removed.add(0, retained.removeLast().full());
        }
        head = target.block().header();
        headState = target.block().postState();
        nextL1QueueIndex = target.nextL1QueueIndex();
        return removed;
    }

    public ChainSpec spec() {
        return spec;
    }

    public BlockHeader head() {
        return head;
    }

    public WorldState headState() {
        return headState;
    }

    /** The queue index of the next L1 message a block must include (consecutive, none skipped). */
    public long nextL1QueueIndex() {
        return nextL1QueueIndex;
    }

    /** Advances onto a block this process built itself (already executed; no need to redo it). */
    public void advance(BuiltBlock own) {
        if (own.header().number() != head.number() + 1 || !own.header().parentHash().equals(head.hash())) {
            throw new IllegalArgumentException("block " + own.header().number() + " does not extend head " + head.number());
        }
        long next = nextL1QueueIndex;
        for (var e : own.transactions()) {
            if (e.transaction().isL1Message()) {
                next = e.transaction().queueIndex() + 1;
            }
        }
        head = own.header();
        headState = own.postState();
        nextL1QueueIndex = next;
        retain(own);
    }

    /** Invariant 3 on a payload: L1 messages first, consecutive from the next queue index, counted right. */
    private long checkL1Messages(BlockPayload payload, List<Transaction> txs) throws PayloadRejected {
        long n = payload.number();
        long expected = nextL1QueueIndex;
        int i = 0;
        for (; i < txs.size() && txs.get(i).isL1Message(); i++) {
            if (txs.get(i).queueIndex() != expected) {
                throw new PayloadRejected(n, "l1QueueIndex", Long.toString(expected), Long.toString(txs.get(i).queueIndex()),
                        "payload " + n + ": L1 message at position " + i + " has queue index " + txs.get(i).queueIndex()
                                + ", expected " + expected + " (consecutive, none skipped)");
            }
            expected++;
        }
        for (int j = i; j < txs.size(); j++) {
            if (txs.get(j).isL1Message()) {
                throw new PayloadRejected(n, "l1MessageOrder", "L1 messages first", "L1 message at position " + j + " after an L2 transaction",
                        "payload " + n + ": an L1 message follows an L2 transaction");
            }
        }
        if (payload.l1MessagesIncluded() != i || payload.nextL1QueueIndex() != expected) {
            throw new PayloadRejected(n, "l1MessagesIncluded", i + " / next " + expected,
                    payload.l1MessagesIncluded() + " / next " + payload.nextL1QueueIndex(),
                    "payload " + n + ": L1 message count or next queue index does not match its transactions");
        }
        return expected;
    }

    /** Applies the next payload; on any failure the folder is unchanged. */
    public BuiltBlock apply(BlockPayload payload) throws InvalidBlockException {
        return apply(payload, null);
    }

    /**
     * As {@link #apply(BlockPayload)}, with the payload's transactions already decoded by the
     * caller ({@code Payloads.transactions(payload)}, for example while the previous block
     * executed); null decodes them here.
     */
    public BuiltBlock apply(BlockPayload payload, List<Transaction> decoded) throws InvalidBlockException {
        long n = payload.number();
        if (n != head.number() + 1) {
            throw new PayloadRejected(n, "number", Long.toString(n), Long.toString(head.number() + 1),
                    "payload " + n + " does not follow head " + head.number());
        }
        BlockHeader claimed;
        List<Transaction> txs;
        BuiltBlock own = null;
        try {
            claimed = Payloads.header(payload);
            own = executed == null ? null : executed.get(claimed.hash());
            // the block this process built holds the very transactions the claimed hash commits to
            txs = own != null ? own.transactions().stream().map(e -> e.transaction()).toList()
                    : decoded != null ? decoded : Payloads.transactions(payload);
        } catch (IllegalArgumentException | RlpException | InvalidTransactionException e) {
            throw new PayloadRejected(n, "encoding", "well-formed payload", e.getMessage(),
                    "payload " + n + " is malformed: " + e.getMessage());
        }
        if (!claimed.hash().toHex().equals(payload.hash())) {
            throw new PayloadRejected(n, "hash", payload.hash(), claimed.hash().toHex(),
                    "payload " + n + ": hash " + payload.hash() + " is not the hash of its header fields " + claimed.hash());
        }
        if (!claimed.parentHash().equals(head.hash())) {
            throw new PayloadRejected(n, "parentHash", claimed.parentHash().toHex(), head.hash().toHex(),
                    "payload " + n + ": parent hash " + claimed.parentHash() + " is not the head's hash " + head.hash());
        }
        long nextQueue = checkL1Messages(payload, txs);
        BuiltBlock rebuilt = own;
        if (rebuilt != null) {
            reusedCount++;
        } else {
            try {
                rebuilt = BlockBuilder.reexecute(spec, head, headState, Payloads.env(payload), txs, claimed.extraData());
            } catch (InvalidBlockException e) {
                throw new PayloadRejected(n, "transactions", "every transaction valid", e.getMessage(), e.getMessage());
            }
            reexecutedCount++;
        }
        HeaderDiff.Diff diff = HeaderDiff.diff(claimed, rebuilt.header());
        if (diff != null) {
            throw new PayloadRejected(n, diff.field(), diff.expected(), diff.actual(),
                    "payload " + n + " does not re-execute to its header: " + diff);
        }
        head = rebuilt.header();
        headState = rebuilt.postState();
        nextL1QueueIndex = nextQueue;
        retain(rebuilt);
        return rebuilt;
    }
}
