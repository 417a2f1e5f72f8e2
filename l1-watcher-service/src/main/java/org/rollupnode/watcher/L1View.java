package org.rollupnode.watcher;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.rollupnode.schemas.L1AuthorizedSigner;
import org.rollupnode.schemas.L1Event;
import org.rollupnode.schemas.L1Finalized;
import org.rollupnode.schemas.L1Head;
import org.rollupnode.schemas.L1MessageQueued;
import org.rollupnode.schemas.L1Reorg;
import org.rollupnode.schemas.L1Safe;
import org.rollupnode.schemas.L1Unwind;
import org.rollupnode.schemas.L1WatcherHeartbeat;

/**
 * The fold of {@code l1-events}: what L1 looks like to any reader (the watcher itself at restart,
 * the sequencer, the gateway's {@code rollupNode_status}). Feed it every record in topic order.
 * It refuses records that contradict the ones before (a queue gap, a head that goes backwards or
 * does not link to its parent) with {@link L1WatcherException}, so a broken topic is loud.
 *
 * <p>Not thread-safe: one reader thread folds, others get copies.
 */
public final class L1View {
    /** Heads kept for reorg detection; at the L1 tip one per block, far more than 64 blocks of finality. */
    public static final int MAX_HEADS = 256;

    /** An L1 block the view vouches for. */
    public record BlockRef(long number, String hash) {}

    private final ArrayDeque<L1Head> heads = new ArrayDeque<>();
    private BlockRef processed;
    private final TreeMap<Long, L1MessageQueued> messages = new TreeMap<>();
    private long nextQueueIndex = -1;
    private L1Safe safe;
    private L1Finalized finalized;
    private L1Reorg lastReorg;
    private L1Unwind lastUnwind;
    private L1WatcherHeartbeat heartbeat;
    private L1AuthorizedSigner authorizedSigner;
    private long reorgs;
    private long applied;

    public void apply(L1Event event) {
        if (event instanceof L1MessageQueued m) {
            applyMessage(m);
        } else if (event instanceof L1Head h) {
            applyHead(h);
        } else if (event instanceof L1Safe s) {
            safe = s;
        } else if (event instanceof L1Finalized f) {
            finalized = f;
        } else if (event instanceof L1Reorg r) {
            applyReorg(r);
        } else if (event instanceof L1Unwind u) {
            // An operator's unwind voids the same records a reorg to that block would; on a view
            // that holds nothing yet it only marks the request as carried out.
            if (processed != null) {
                applyReorg(new L1Reorg(u.toNumber(), u.toHash(), u.toNumber() + 1, u.reason()));
            }
            lastUnwind = u;
        } else if (event instanceof L1WatcherHeartbeat hb) {
            heartbeat = hb;
        } else if (event instanceof L1AuthorizedSigner a) {
            // Not voided by reorgs: the watcher reads the slot again at the new head and publishes any difference.
            authorizedSigner = a;
        }
        applied++;
    }

    private void applyMessage(L1MessageQueued m) {
        if (nextQueueIndex >= 0 && m.queueIndex() != nextQueueIndex) {
            throw new L1WatcherException(L1WatcherException.Code.QUEUE_GAP, "L1 message queue gap: expected queue index "
                    + nextQueueIndex + " but L1 block " + m.l1BlockNumber() + " tx " + m.l1TxHash() + " log " + m.logIndex()
                    + " carries " + m.queueIndex());
        }
        if (processed != null && m.l1BlockNumber() <= processed.number()) {
            throw new L1WatcherException(L1WatcherException.Code.INCONSISTENT_TOPIC, "L1 message " + m.queueIndex()
                    + " from block " + m.l1BlockNumber() + " arrives after block " + processed.number() + " was processed");
        }
        messages.put(m.queueIndex(), m);
        nextQueueIndex = m.queueIndex() + 1;
    }

    private void applyHead(L1Head h) {
        if (processed != null) {
            if (h.number() <= processed.number()) {
                throw new L1WatcherException(L1WatcherException.Code.INCONSISTENT_TOPIC, "L1 head " + h.number()
                        + " does not advance past processed block " + processed.number() + " without a reorg record");
            }
            if (h.number() == processed.number() + 1 && !h.parentHash().equals(processed.hash())) {
                throw new L1WatcherException(L1WatcherException.Code.INCONSISTENT_TOPIC, "L1 head " + h.number() + " has parent "
                        + h.parentHash() + " but block " + processed.number() + " is " + processed.hash());
            }
        }
        heads.addLast(h);
        processed = new BlockRef(h.number(), h.hash());
        while (heads.size() > MAX_HEADS) {
            heads.removeFirst();
        }
    }

    private void applyReorg(L1Reorg r) {
        long ancestor = r.commonAncestorNumber();
        while (!heads.isEmpty() && heads.peekLast().number() > ancestor) {
            heads.removeLast();
        }
        NavigableMap<Long, L1MessageQueued> removed = new TreeMap<>();
        for (L1MessageQueued m : messages.values()) {
            if (m.l1BlockNumber() > ancestor) {
                removed.put(m.queueIndex(), m);
            }
        }
        if (!removed.isEmpty()) {
            // Queue indexes grow with L1 order, so the removed ones are a suffix.
            nextQueueIndex = removed.firstKey();
            removed.keySet().forEach(messages::remove);
        }
        if (safe != null && safe.number() > ancestor) {
            safe = null;
        }
        if (finalized != null && finalized.number() > ancestor) {
            finalized = null;
        }
        // Everything up to the ancestor stays processed, whether or not a head was published for it.
        if (processed == null || processed.number() > ancestor) {
            processed = new BlockRef(ancestor, r.commonAncestorHash());
        }
        lastReorg = r;
        reorgs++;
    }

    /** Drops messages from blocks at or below {@code l1BlockNumber}; the next queue index is kept. */
    public void pruneMessagesUpToBlock(long l1BlockNumber) {
        messages.values().removeIf(m -> m.l1BlockNumber() <= l1BlockNumber);
    }

    /** Drops messages with a queue index below {@code queueIndex} (e.g. once included in L2). */
    public void pruneMessagesBelow(long queueIndex) {
        messages.headMap(queueIndex, false).clear();
    }

    /**
     * The last L1 block the watcher has fully processed: the last head, or a reorg's common
     * ancestor if that is newer. A {@code depth:N} reader counts from its number.
     */
    public Optional<BlockRef> processed() {
        return Optional.ofNullable(processed);
    }

    /** The last {@link L1Head} record still valid (a reorg may have voided newer ones). */
    public Optional<L1Head> head() {
        return Optional.ofNullable(heads.peekLast());
    }

    public Optional<L1Safe> safe() {
        return Optional.ofNullable(safe);
    }

    public Optional<L1Finalized> finalized() {
        return Optional.ofNullable(finalized);
    }

    /** The queue index the next message must carry, empty before the first message. */
    public OptionalLong nextQueueIndex() {
        return nextQueueIndex < 0 ? OptionalLong.empty() : OptionalLong.of(nextQueueIndex);
    }

    /** Messages still held (not pruned), by queue index. */
    public NavigableMap<Long, L1MessageQueued> messages() {
        return Collections.unmodifiableNavigableMap(messages);
    }

    public Optional<L1MessageQueued> message(long queueIndex) {
        return Optional.ofNullable(messages.get(queueIndex));
    }

    /** Recent heads, oldest first. */
    public List<L1Head> recentHeads() {
        return List.copyOf(heads);
    }

    /**
     * Every (block number, hash) this view can vouch for, newest first: recent heads, the blocks of
     * held messages, safe and finalized. A reorg's common ancestor is the newest of these still on L1.
     */
    public NavigableMap<Long, String> knownBlockHashes() {
        TreeMap<Long, String> known = new TreeMap<>();
        if (finalized != null) {
            known.put(finalized.number(), finalized.hash());
        }
        if (safe != null) {
            known.put(safe.number(), safe.hash());
        }
        for (L1MessageQueued m : messages.values()) {
            known.put(m.l1BlockNumber(), m.l1BlockHash());
        }
        for (Iterator<L1Head> it = heads.iterator(); it.hasNext(); ) {
            L1Head h = it.next();
            known.put(h.number(), h.hash());
        }
        if (processed != null) {
            known.put(processed.number(), processed.hash());
        }
        return known.descendingMap();
    }

    public Optional<L1Reorg> lastReorg() {
        return Optional.ofNullable(lastReorg);
    }

    /** The last operator unwind ({@code rollupNodeAdmin_revertToL1Block}) carried out by the watcher. */
    public Optional<L1Unwind> lastUnwind() {
        return Optional.ofNullable(lastUnwind);
    }

    /** The newest watcher heartbeat. */
    public Optional<L1WatcherHeartbeat> heartbeat() {
        return Optional.ofNullable(heartbeat);
    }

    /** The last authorized block signer the watcher read from L1's SystemConfig, if any. */
    public Optional<L1AuthorizedSigner> authorizedSigner() {
        return Optional.ofNullable(authorizedSigner);
    }

    /** Reorgs and unwinds applied so far: a reader re-checks what it included when this changes. */
    public long reorgCount() {
        return reorgs;
    }

    public long eventsApplied() {
        return applied;
    }

    /** Messages from {@code fromQueueIndex} on whose L1 block is at most {@code maxL1Block}, in queue order, at most {@code max}. */
    public List<L1MessageQueued> eligibleMessages(long fromQueueIndex, long maxL1Block, int max) {
        List<L1MessageQueued> out = new ArrayList<>();
        long expected = fromQueueIndex;
        for (L1MessageQueued m : messages.tailMap(fromQueueIndex, true).values()) {
            if (out.size() >= max || m.queueIndex() != expected || m.l1BlockNumber() > maxL1Block) {
                break;
            }
            out.add(m);
            expected++;
        }
        return out;
    }
}
