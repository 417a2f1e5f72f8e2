package org.rollupnode.sequencer;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.rollupnode.chain.ChainFolder;
import org.rollupnode.execution.builder.ExecutedTransaction;
import org.rollupnode.execution.tx.Transaction;
import org.rollupnode.execution.types.Address;
import org.rollupnode.execution.types.Hex;
import org.rollupnode.schemas.L1MessageQueued;
import org.rollupnode.watcher.L1View;

/**
 * Which L1 messages go into the next block (invariant 3): consecutive queue indexes from the next
 * one to include, only from L1 blocks eligible under the inclusion mode, at most {@code max}, and
 * a contiguous prefix whose declared gas limits fit the block. Also finds an included message that
 * an L1 reorg took away. Pure; the view is folded from {@code l1-events}.
 */
public final class L1Inclusion {
    private L1Inclusion() {}

    /** An L1 message of an L2 block that L1 no longer has (or has with other fields). */
    public record ReorgedMessage(long l2Block, long queueIndex, long l1BlockNumber, String reason) {}

    /** The newest L1 block whose messages are eligible, or -1 when none is yet. */
    public static long eligibleUpTo(L1View view, InclusionMode mode) {
        return switch (mode.kind()) {
            case FINALIZED -> view.finalized().map(f -> f.number() - mode.depth()).orElse(-1L);
            case DEPTH -> view.processed().map(p -> p.number() - mode.depth()).orElse(-1L);
        };
    }

    public static List<Transaction> select(L1View view, InclusionMode mode, long nextQueueIndex, int max) {
        return select(view, mode, nextQueueIndex, max, Long.MAX_VALUE);
    }

    /**
     * Walks the eligible messages in queue order summing their declared gas limits and stops at the
     * first one that would take the sum above {@code blockGasLimit} (equality fits), as the Rust
     * node does: never skipping ahead, so what is included stays a contiguous prefix.
     */
    public static List<Transaction> select(L1View view, InclusionMode mode, long nextQueueIndex, int max, long blockGasLimit) {
        return select(view, mode, nextQueueIndex, max, blockGasLimit, Long.MAX_VALUE);
    }

    /** As above, never taking a message from an L1 block above {@code maxL1Block} (an unwind in progress). */
    public static List<Transaction> select(L1View view, InclusionMode mode, long nextQueueIndex, int max, long blockGasLimit,
                                           long maxL1Block) {
        long upTo = Math.min(eligibleUpTo(view, mode), maxL1Block);
        if (upTo < 0 || max <= 0) {
            return List.of();
        }
        List<Transaction> out = new ArrayList<>();
        long gas = 0;
        for (L1MessageQueued m : view.eligibleMessages(nextQueueIndex, upTo, max)) {
            if (m.gasLimit() > blockGasLimit - gas) {
                break;
            }
            gas += m.gasLimit();
            out.add(toTransaction(m));
        }
        return out;
    }

    public static Transaction toTransaction(L1MessageQueued m) {
        return Transaction.l1Message(m.queueIndex(), m.gasLimit(), Address.fromHex(m.target()), new BigInteger(m.value()),
                Hex.decode(m.data()), Address.fromHex(m.sender()));
    }

    /**
     * {@code rollupNodeAdmin_revertToL1Block(l1Block)}: the lowest retained L2 block holding an L1
     * message queued in an L1 block above {@code l1Block}, by the view's record of it or, when the
     * view no longer has it (already unwound), by the record it was included from; a message known
     * to neither counts as above (it can only have left the view through a reorg or an unwind).
     * Messages below {@code settledBelow} are in blocks too old to revert and are not checked.
     */
    public static Optional<ReorgedMessage> firstIncludedAbove(List<ChainFolder.Retained> retained, L1View view, long settledBelow,
                                                             java.util.function.LongFunction<L1MessageQueued> includedFrom, long l1Block) {
        for (ChainFolder.Retained r : retained) {
            for (ExecutedTransaction e : r.block().transactions()) {
                Transaction tx = e.transaction();
                if (!tx.isL1Message()) {
                    break; // L1 messages come first
                }
                long q = tx.queueIndex();
                if (q < settledBelow) {
                    continue;
                }
                L1MessageQueued m = view.message(q).orElseGet(() -> includedFrom.apply(q));
                if (m == null || m.l1BlockNumber() > l1Block) {
                    String from = m == null ? "an L1 block no longer known" : "L1 block " + m.l1BlockNumber();
                    return Optional.of(new ReorgedMessage(r.number(), q, m == null ? -1 : m.l1BlockNumber(),
                            "L2 block " + r.number() + " included L1 message " + q + " from " + from + " above L1 block " + l1Block));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The lowest retained L2 block holding an L1 message that {@code view} no longer vouches for:
     * the message is gone (an L1 reorg removed it and the new branch has not, or not yet, queued
     * that index again) or the index now carries another message. Messages below
     * {@code settledBelow} were pruned from the view as final and are not checked.
     *
     * @param includedFrom the L1 record each included message was taken from, when known (for the report)
     */
    public static Optional<ReorgedMessage> firstReorgedAway(List<ChainFolder.Retained> retained, L1View view, long settledBelow,
                                                           java.util.function.LongFunction<L1MessageQueued> includedFrom) {
        for (ChainFolder.Retained r : retained) {
            for (ExecutedTransaction e : r.block().transactions()) {
                Transaction tx = e.transaction();
                if (!tx.isL1Message()) {
                    break; // L1 messages come first
                }
                long q = tx.queueIndex();
                if (q < settledBelow) {
                    continue;
                }
                L1MessageQueued was = includedFrom.apply(q);
                long l1Block = was == null ? -1 : was.l1BlockNumber();
                String where = was == null ? "" : " from L1 block " + was.l1BlockNumber() + " (" + was.l1BlockHash() + ")";
                Optional<L1MessageQueued> now = view.message(q);
                if (now.isEmpty()) {
                    return Optional.of(new ReorgedMessage(r.number(), q, l1Block, "L1 reorg removed L1 message " + q + where
                            + ", included in L2 block " + r.number()));
                }
                if (!toTransaction(now.get()).hash().equals(tx.hash())) {
                    return Optional.of(new ReorgedMessage(r.number(), q, l1Block, "L1 reorg replaced L1 message " + q + where
                            + ", included in L2 block " + r.number() + ", by a different message in L1 block "
                            + now.get().l1BlockNumber() + " (" + now.get().l1BlockHash() + ")"));
                }
            }
        }
        return Optional.empty();
    }
}
