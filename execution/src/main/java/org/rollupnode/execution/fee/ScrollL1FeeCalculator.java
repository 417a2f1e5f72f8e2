package org.rollupnode.execution.fee;

import java.math.BigInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.rollupnode.execution.chain.ChainSpec;
import org.rollupnode.execution.evm.L1FeeCalculator;
import org.rollupnode.execution.state.StateOverlay;
import org.rollupnode.execution.state.StateView;
import org.rollupnode.execution.state.WorldState;
import org.rollupnode.execution.tx.Transaction;
import org.rollupnode.execution.types.Hash32;
import org.rollupnode.execution.util.GenerationalCache;

/**
 * The L1 data fee every block of a Scroll chain charges, read from the L1GasPriceOracle slots of
 * the state before the transaction. All chains we run start at Galileo, so the Galileo formula
 * applies (scroll-rules.md §5.2). L1 messages never pay it.
 *
 * <p>The fee is asked for by the gateway's admission, the block builder and every re-executing
 * reader, once per transaction each: it was a fifth of a loaded node's CPU (BENCHMARKS.md). Two
 * memos make the repeats cheap without changing a result: the compressed size is a pure function
 * of the signed bytes, so it is kept per transaction hash; the oracle slots are a function of the
 * oracle's storage root, so they are kept for the last root seen, and used only while the block
 * being built has not written the oracle account (its root in the snapshot is then still exact).
 */
public final class ScrollL1FeeCalculator implements L1FeeCalculator {
    // as the sender recovery cache: admission computes it, intake and the build find it, across a backlog
    private static final GenerationalCache<Hash32, Integer> COMPRESSED_SIZES = new GenerationalCache<>(131_072);
    private static final ScrollL1FeeCalculator GALILEO = new ScrollL1FeeCalculator(L1FeeFormula.GALILEO);

    private static final AtomicReference<RootSlots> LAST_ORACLE_ROOT = new AtomicReference<>();

    private final L1FeeFormula formula;

    /** The slots under an oracle storage root, and the last snapshot seen with that root. */
    private record RootSlots(WorldState snapshot, Hash32 storageRoot, OracleSlots slots) {}

    public ScrollL1FeeCalculator(L1FeeFormula formula) {
        this.formula = formula;
    }

    /** The calculator of a chain: every block builder and every re-executing reader uses this one. */
    public static L1FeeCalculator forSpec(ChainSpec spec) {
        return GALILEO;
    }

    @Override
    public BigInteger l1Fee(Transaction tx, StateView state) {
        if (tx.isL1Message()) {
            return BigInteger.ZERO;
        }
        OracleSlots slots = oracleSlots(state);
        if (formula == L1FeeFormula.GALILEO) {
            return ScrollL1Fee.galileoForCompressedSize(compressedSize(tx), slots);
        }
        return ScrollL1Fee.fee(formula, tx.encoded(), tx.data(), slots);
    }

    /** The compressed size, memoized by hash: a pure function of the signed bytes. */
    @Override
    public void prepare(Transaction tx) {
        if (!tx.isL1Message() && formula == L1FeeFormula.GALILEO) {
            compressedSize(tx);
        }
    }

    /** {@code min(len(zstd(tx)), len(tx))} of the signed transaction, computed once per process. */
    static int compressedSize(Transaction tx) {
        int known = tx.knownL1CompressedSize();
        if (known >= 0) {
            return known;
        }
        Hash32 key = tx.hash();
        Integer size = COMPRESSED_SIZES.get(key);
        if (size == null) {
            size = ScrollZstd.compressedSize(tx.encoded());
            COMPRESSED_SIZES.put(key, size);
        }
        tx.rememberL1CompressedSize(size);
        return size;
    }

    /** Forgets both memos, as in a fresh process (benchmarks of a cold re-execution). */
    static void clearMemos() {
        COMPRESSED_SIZES.clear();
        LAST_ORACLE_ROOT.set(null);
    }

    private OracleSlots oracleSlots(StateView state) {
        WorldState snapshot = null;
        if (state instanceof WorldState w) {
            snapshot = w;
        } else if (state instanceof StateOverlay o && !o.writes(OracleSlots.L1_GAS_PRICE_ORACLE)) {
            snapshot = o.base();
        }
        if (snapshot == null) {
            return read(state);
        }
        RootSlots last = LAST_ORACLE_ROOT.get();
        // A block's transactions all see the same parent snapshot: an immutable state, so the same
        // object has the same oracle root and the account lookup (a hash and a trie walk) is skipped.
        if (last != null && last.snapshot() == snapshot) {
            return last.slots();
        }
        Hash32 root = snapshot.account(OracleSlots.L1_GAS_PRICE_ORACLE).storageRoot();
        if (last != null && last.storageRoot().equals(root)) {
            LAST_ORACLE_ROOT.set(new RootSlots(snapshot, root, last.slots()));
            return last.slots();
        }
        OracleSlots slots = read(snapshot);
        LAST_ORACLE_ROOT.set(new RootSlots(snapshot, root, slots));
        return slots;
    }

    private static OracleSlots read(StateView state) {
        return OracleSlots.read(slot -> state.storageAt(OracleSlots.L1_GAS_PRICE_ORACLE, slot));
    }
}
