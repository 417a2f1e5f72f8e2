package org.rollupnode.sequencer;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.rollupnode.execution.tx.Transaction;
import org.rollupnode.execution.types.Address;
import org.rollupnode.execution.types.Hex;
import org.rollupnode.schemas.L1MessageQueued;
import org.rollupnode.watcher.L1View;

/**
 * Which L1 messages go into the next block (invariant 3): consecutive queue indexes from the next
 * one to include, only from L1 blocks eligible under the inclusion mode, at most {@code max}.
 * Pure; the view is folded from {@code l1-events}.
 */
public final class L1Inclusion {
    private L1Inclusion() {}

    /** The newest L1 block whose messages are eligible, or -1 when none is yet. */
    public static long eligibleUpTo(L1View view, InclusionMode mode) {
        return switch (mode.kind()) {
            case FINALIZED -> view.finalized().map(f -> f.number() - mode.depth()).orElse(-1L);
            case DEPTH -> view.processed().map(p -> p.number() - mode.depth()).orElse(-1L);
        };
    }

    public static List<Transaction> select(L1View view, InclusionMode mode, long nextQueueIndex, int max) {
        long upTo = eligibleUpTo(view, mode);
        if (upTo < 0 || max <= 0) {
            return List.of();
        }
        List<Transaction> out = new ArrayList<>();
        for (L1MessageQueued m : view.eligibleMessages(nextQueueIndex, upTo, max)) {
            out.add(toTransaction(m));
        }
        return out;
    }

    public static Transaction toTransaction(L1MessageQueued m) {
        return Transaction.l1Message(m.queueIndex(), m.gasLimit(), Address.fromHex(m.target()), new BigInteger(m.value()),
                Hex.decode(m.data()), Address.fromHex(m.sender()));
    }
}
