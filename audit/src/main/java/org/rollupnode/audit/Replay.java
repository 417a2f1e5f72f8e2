package org.rollupnode.audit;

import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.rollupnode.chain.BlockSignatures;
import org.rollupnode.chain.ChainFolder;
import org.rollupnode.chain.PayloadRejected;
import org.rollupnode.chain.Payloads;
import org.rollupnode.execution.builder.BuiltBlock;
import org.rollupnode.execution.builder.ExecutedTransaction;
import org.rollupnode.execution.builder.InvalidBlockException;
import org.rollupnode.execution.chain.ChainSpec;
import org.rollupnode.execution.evm.L1FeeCalculator;
import org.rollupnode.execution.fee.ScrollL1FeeCalculator;
import org.rollupnode.execution.tx.TransactionPrefetch;
import org.rollupnode.execution.tx.Transaction;
import org.rollupnode.execution.types.Address;
import org.rollupnode.execution.types.Hash32;
import org.rollupnode.execution.types.Hex;
import org.rollupnode.schemas.BlockPayload;
import org.rollupnode.schemas.EventCodec;
import org.rollupnode.schemas.L1Event;
import org.rollupnode.schemas.L1MessageQueued;
import org.rollupnode.schemas.SequencerRevert;
import org.rollupnode.schemas.SequencerStreamEvent;
import org.rollupnode.schemas.SignedBlock;
import org.rollupnode.schemas.SignedBlocksEvent;
import org.rollupnode.schemas.SignedRevert;
import org.rollupnode.schemas.AuthorizedSignerChange;
import org.rollupnode.schemas.L1AuthorizedSigner;
import org.rollupnode.schemas.Topics;
import org.rollupnode.watcher.L1View;

/**
 * The auditors' check (invariants 1, 2, 3 and 5): reads the sequencer stream, signed-blocks and
 * l1-events, re-executes every block from genesis in stream order and stops at the first
 * divergence. Pure apart from its {@link RecordSource}; the same code runs against a live cluster
 * and against an export file.
 *
 * <p>A height may appear twice only across an explicit revert record that names a block the chain
 * holds; signed-blocks must carry the same blocks and reverts in the same order. Every L1 message
 * a block includes must have been queued on L1 with identical fields (an l1-events record), queue
 * indexes consecutive with none skipped; and every L1 message of the final chain must still be the
 * one l1-events holds at its index after all L1 reorgs.
 */
public final class Replay {
    /** Progress after each block: (blocks done, blocks to do). */
    public interface Progress {
        void update(long done, long total, long elapsedMillis);
    }

    private final ChainSpec spec;
    private final Address authorizedSigner;
    private final L1FeeCalculator l1Fees;

    /**
     * @param authorizedSigner required signer ({@code --consensus.authorized-signer}: authorized-signer change
     *                         records in signed-blocks do not replace it); null pins the signer of block 1 and
     *                         then follows the change records, each checked against the l1-events record it copies
     */
    public Replay(ChainSpec spec, Address authorizedSigner) {
        this.spec = spec;
        this.authorizedSigner = authorizedSigner;
        this.l1Fees = ScrollL1FeeCalculator.forSpec(spec);
    }

    private record Located<T>(T value, TopicRecord record) {}

    /** The prefetch started for the stream event {@code event} (compared by identity). */
    private record Ahead(Located<SequencerStreamEvent> event, TransactionPrefetch prefetch) {}

    /** A payload's hash and stream offset. */
    private record Seen(String hash, long offset) {}

    /** An L1 message a block of the current chain includes, and the block's stream offset. */
    private record IncludedL1(long queueIndex, Hash32 hash, long offset) {}

    /** A divergence found while walking; carries the report's details. */
    private static final class Diverged extends Exception {
        final ReplayReport.Divergence d;

        Diverged(long block, String check, String field, String expected, String actual, String topic, long offset, String message) {
            super(message, null, false, false);
            d = new ReplayReport.Divergence(block, check, field, expected, actual, topic, offset, message);
        }
    }

    /** What l1-events says: every message ever queued (by L2 transaction hash, per index) and the final view. */
    private record L1Record(Map<Long, Set<Hash32>> everQueued, L1View finalView, long records, Map<Long, String> signersByOffset) {}

    public ReplayReport run(RecordSource source, long from, long to, Progress progress) {
        long t0 = System.currentTimeMillis();
        Walk w = new Walk(from, to, progress, t0);
        try {
            w.run(source);
        } catch (Diverged e) {
            long elapsed = System.currentTimeMillis() - t0;
            return new ReplayReport(spec.name(), from, to, w.checked, w.txs, elapsed, elapsed == 0 ? w.checked : w.checked * 1000.0 / elapsed,
                    "divergence", e.d, 0);
        }
        long elapsed = System.currentTimeMillis() - t0;
        return new ReplayReport(spec.name(), from, w.end, w.checked, w.txs, elapsed, elapsed == 0 ? w.checked : w.checked * 1000.0 / elapsed,
                "ok", null, w.unsignedTail);
    }

    private final class Walk {
        /** Heights whose payload hash and offset are kept, to name the first of two payloads at one height. */
        static final int RECENT_HEIGHTS = 4 * ChainFolder.DEFAULT_RETAINED_BLOCKS;

        final long from;
        final long to;
        final Progress progress;
        final long t0;
        long checked;
        long txs;
        long end;
        long total;
        long unsignedTail;
        final ChainFolder folder = new ChainFolder(spec);
        /** Hash and offset of the newest payloads by height (truncated by reverts). */
        final TreeMap<Long, Seen> recent = new TreeMap<>();
        /** The L1 messages of the current chain's blocks that include any, by height (truncated by reverts). */
        final TreeMap<Long, List<IncludedL1>> l1Included = new TreeMap<>();
        /** Stream events read ahead of the one being applied (up to the next payload). */
        final ArrayDeque<Located<SequencerStreamEvent>> pending = new ArrayDeque<>();
        RecordSource.Records streamRecords;
        RecordSource.Records signedRecords;
        /** The next signed-blocks record, read but not yet matched. */
        Located<SignedBlocksEvent> signedPeek;
        long signedHead;
        Address signer = authorizedSigner;
        L1Record l1;

        Walk(long from, long to, Progress progress, long t0) {
            this.from = from;
            this.to = to;
            this.progress = progress;
            this.t0 = t0;
        }

        void run(RecordSource source) throws Diverged {
            // The stream's and signed-blocks' ends are fixed before l1-events is read, so on a live
            // cluster every L1 message a block includes is already in the l1-events read below.
            try (RecordSource.Records stream = source.open(Topics.SEQUENCER_STREAM.name());
                 RecordSource.Records signedBlocks = source.open(Topics.SIGNED_BLOCKS.name())) {
                streamRecords = stream;
                signedRecords = signedBlocks;
                l1 = readL1(source);
                long records = progress == null ? -1 : source.count(Topics.SEQUENCER_STREAM.name());
                total = records < 0 ? to : Math.min(to, records);
                Ahead ahead = null;
                Located<SequencerStreamEvent> e;
                while ((e = nextEvent()) != null) {
                    if (e.value() instanceof BlockPayload p) {
                        if (p.number() > to) {
                            break;
                        }
                        TransactionPrefetch mine = ahead != null && ahead.event() == e ? ahead.prefetch() : null;
                        // The next block's decoding, sender recovery and L1 fee compression run on the
                        // other cores while this one executes: they depend only on the payload's bytes.
                        ahead = startNext();
                        applyPayload(new Located<>(p, e.record()), mine);
                    } else if (e.value() instanceof SequencerRevert rv) {
                        applyRevert(new Located<>(rv, e.record()));
                    }
                }
                checkFinalChainAgainstL1();
                // signed-blocks records past the stream's end are not compared, but must still decode
                while (peekSigned() != null) {
                    signedPeek = null;
                }
            }
        }

        /** The next stream event: one read ahead, else the next record; null at the end of the stream. */
        Located<SequencerStreamEvent> nextEvent() throws Diverged {
            return pending.isEmpty() ? readEvent() : pending.poll();
        }

        Located<SequencerStreamEvent> readEvent() throws Diverged {
            if (!streamRecords.hasNext()) {
                return null;
            }
            TopicRecord r = streamRecords.next();
            try {
                return new Located<>(EventCodec.SEQUENCER_STREAM.decode(r.value(), r.topic(), r.partition(), r.offset()), r);
            } catch (RuntimeException ex) {
                throw new Diverged(-1, "decode", "record", "a decodable payload", ex.getMessage(), r.topic(), r.offset(), ex.getMessage());
            }
        }

        /** The prefetch of the next payload in the stream (read ahead into {@code pending}), or null (none left to apply). */
        Ahead startNext() throws Diverged {
            for (Located<SequencerStreamEvent> e : pending) {
                if (e.value() instanceof BlockPayload p) {
                    return prefetch(e, p);
                }
            }
            Located<SequencerStreamEvent> e;
            while ((e = readEvent()) != null) {
                pending.add(e);
                if (e.value() instanceof BlockPayload p) {
                    return prefetch(e, p);
                }
            }
            return null;
        }

        Ahead prefetch(Located<SequencerStreamEvent> e, BlockPayload p) {
            if (p.number() > to) {
                return null;
            }
            // A transaction that does not decode makes transactions() null: applying the
            // payload then decodes it again and reports the error in place.
            return new Ahead(e, TransactionPrefetch.decodeAndStart(p.transactions(), Payloads::transaction, l1Fees::prepare));
        }

        /** The next signed-blocks record without consuming it, or null when there is none. */
        Located<SignedBlocksEvent> peekSigned() throws Diverged {
            if (signedPeek == null && signedRecords.hasNext()) {
                TopicRecord r = signedRecords.next();
                try {
                    signedPeek = new Located<>(EventCodec.SIGNED_BLOCKS.decode(r.value(), r.topic(), r.partition(), r.offset()), r);
                } catch (RuntimeException ex) {
                    throw new Diverged(-1, "decode", "record", "a decodable signed block", ex.getMessage(), r.topic(), r.offset(), ex.getMessage());
                }
            }
            return signedPeek;
        }

        void applyPayload(Located<BlockPayload> lp, TransactionPrefetch prefetched) throws Diverged {
            BlockPayload p = lp.value();
            long n = p.number();
            long head = folder.head().number();
            String streamTopic = Topics.SEQUENCER_STREAM.name();
            if (n <= head) {
                Seen first = recent.get(n);
                throw new Diverged(n, "single-payload-per-height", "hash", first == null ? "?" : first.hash(), p.hash(), streamTopic,
                        lp.record().offset(), "two committed payloads for height " + n + " at offsets "
                                + (first == null ? "?" : first.offset()) + " and " + lp.record().offset()
                                + " without a revert record between them");
            }
            if (n > head + 1) {
                throw new Diverged(head + 1, "contiguity", "number", "a payload at height " + (head + 1),
                        "none (the stream skips from " + head + " to " + n + ")", streamTopic, lp.record().offset(),
                        "the sequencer stream has no payload at height " + (head + 1));
            }
            checkSigned(new Located<>(p, lp.record()));
            BuiltBlock built;
            List<Transaction> decoded = null;
            if (prefetched != null) {
                prefetched.finish(); // takes over what the other cores have not started
                decoded = prefetched.transactions();
            }
            try {
                built = folder.apply(p, decoded);
            } catch (PayloadRejected e) {
                String check = e.field().startsWith("l1") ? "l1-queue-order" : "re-execution";
                throw new Diverged(n, check, e.field(), e.expected(), e.actual(), streamTopic, lp.record().offset(), e.getMessage());
            } catch (InvalidBlockException e) {
                throw new Diverged(n, "re-execution", "block", "valid", e.getMessage(), streamTopic, lp.record().offset(), e.getMessage());
            }
            checkL1MessagesQueued(n, built, lp.record());
            recent.put(n, new Seen(p.hash(), lp.record().offset()));
            if (recent.size() > RECENT_HEIGHTS) {
                recent.pollFirstEntry();
            }
            List<IncludedL1> l1Messages = new ArrayList<>();
            for (ExecutedTransaction ex : built.transactions()) {
                if (!ex.transaction().isL1Message()) {
                    break;
                }
                l1Messages.add(new IncludedL1(ex.transaction().queueIndex(), ex.transaction().hash(), lp.record().offset()));
            }
            if (!l1Messages.isEmpty()) {
                l1Included.put(n, l1Messages);
            }
            end = Math.max(end, n);
            txs += built.transactions().size();
            if (n >= from) {
                checked++;
            }
            if (progress != null) {
                progress.update(n, Math.max(total, n), System.currentTimeMillis() - t0);
            }
        }

        void applyRevert(Located<SequencerRevert> lr) throws Diverged {
            SequencerRevert rv = lr.value();
            String topic = Topics.SEQUENCER_STREAM.name();
            long head = folder.head().number();
            if (rv.revertToNumber() >= head) {
                throw new Diverged(rv.revertToNumber(), "revert", "revertToNumber", "below the head " + head, Long.toString(rv.revertToNumber()),
                        topic, lr.record().offset(), "the revert record at offset " + lr.record().offset() + " names height "
                                + rv.revertToNumber() + " but the chain's head is " + head + ": nothing to unwind");
            }
            if (rv.revertedFromNumber() != head) {
                throw new Diverged(rv.revertToNumber(), "revert", "revertedFromNumber", Long.toString(head), Long.toString(rv.revertedFromNumber()),
                        topic, lr.record().offset(), "the revert record at offset " + lr.record().offset() + " claims to unwind from "
                                + rv.revertedFromNumber() + " but the head is " + head);
            }
            try {
                folder.revertTo(rv.revertToNumber(), rv.revertToHash());
            } catch (PayloadRejected e) {
                throw new Diverged(rv.revertToNumber(), "revert", e.field(), e.expected(), e.actual(), topic, lr.record().offset(), e.getMessage());
            }
            if (folder.nextL1QueueIndex() != rv.nextL1QueueIndex()) {
                throw new Diverged(rv.revertToNumber(), "revert", "nextL1QueueIndex", Long.toString(rv.nextL1QueueIndex()),
                        Long.toString(folder.nextL1QueueIndex()), topic, lr.record().offset(), "the revert record claims the next L1 queue index "
                                + rv.nextL1QueueIndex() + " but block " + rv.revertToNumber() + " is followed by " + folder.nextL1QueueIndex());
            }
            recent.tailMap(rv.revertToNumber(), false).clear();
            l1Included.tailMap(rv.revertToNumber(), false).clear();
            checkSigned(new Located<>(rv, lr.record()));
        }

        /** Compares the next signed-blocks record, if any, with the stream event just applied ({@code want}). */
        void checkSigned(Located<SequencerStreamEvent> want) throws Diverged {
            while (peekSigned() != null && signedPeek.value() instanceof AuthorizedSignerChange c) {
                applySignerChange(c, signedPeek.record());
                signedPeek = null;
            }
            Located<SignedBlocksEvent> got = peekSigned();
            if (got == null) {
                // applied after the last signed-blocks record: the signer has not got there yet
                if (want.value() instanceof BlockPayload) {
                    unsignedTail++;
                }
                return;
            }
            String topic = Topics.SIGNED_BLOCKS.name();
            long off = got.record().offset();
            if (want.value() instanceof SequencerRevert rv) {
                if (!(got.value() instanceof SignedRevert sr) || !sr.revert().equals(rv)) {
                    throw new Diverged(rv.revertToNumber(), "signed-revert", "revert", "the revert at stream offset " + want.record().offset(),
                            describe(got.value()), topic, off, "signed-blocks does not repeat the revert to height " + rv.revertToNumber()
                                    + " where the sequencer stream has it");
                }
                signedHead = rv.revertToNumber();
                signedPeek = null;
                return;
            }
            BlockPayload p = (BlockPayload) want.value();
            long n = p.number();
            if (!(got.value() instanceof SignedBlock sb)) {
                throw new Diverged(n, "signed-revert", "revert", "block " + n, describe(got.value()), topic, off,
                        "signed-blocks holds a revert where the sequencer stream has block " + n);
            }
            long sn = sb.payload().number();
            if (sn > n) {
                throw new Diverged(n, "signature", "signed-blocks", "a signed block", "none", topic, off,
                        "block " + n + " was never signed but " + sn + " was");
            }
            if (sn < n || sn <= signedHead) {
                throw new Diverged(sn, "single-signature-per-height", "hash", p.hash(), sb.payload().hash(), topic, off,
                        "two signed blocks for height " + sn + " without a revert between them");
            }
            if (!sb.payload().equals(p)) {
                throw new Diverged(n, "signed-payload", "payload", p.hash(), sb.payload().hash(), topic, off,
                        "the payload in signed-blocks differs from the sequencer stream's at height " + n);
            }
            Address recovered;
            try {
                recovered = BlockSignatures.recover(Payloads.header(sb.payload()).sealHash(), Hex.decode(sb.signature()));
            } catch (RuntimeException e) {
                throw new Diverged(n, "signature", "signature", "a valid signature", sb.signature(), topic, off, e.getMessage());
            }
            if (signer == null) {
                signer = recovered;
            }
            if (!recovered.equals(signer) || !recovered.toHex().equals(sb.signer())) {
                throw new Diverged(n, "signature", "signer", signer.toHex(), recovered.toHex(), topic, off,
                        "block " + n + " is signed by " + recovered + " (record claims " + sb.signer() + "), not by " + signer);
            }
            signedHead = n;
            signedPeek = null;
        }

        /**
         * From this record on every block must be signed by its signer (unless the signer was given):
         * it must copy the authorized-signer record of l1-events at the offset it names.
         */
        void applySignerChange(AuthorizedSignerChange c, TopicRecord at) throws Diverged {
            String fromL1 = l1.signersByOffset().get(c.l1EventsOffset());
            if (l1.records() > 0 && !c.signer().equals(fromL1)) {
                throw new Diverged(c.fromHeight(), "authorized-signer", "signer", fromL1 == null ? "an authorized_signer record at l1-events offset "
                        + c.l1EventsOffset() : fromL1, c.signer(), Topics.SIGNED_BLOCKS.name(), at.offset(), "signed-blocks makes " + c.signer()
                        + " the authorized signer from height " + c.fromHeight() + " citing l1-events offset " + c.l1EventsOffset() + ", which holds "
                        + (fromL1 == null ? "no authorized signer" : fromL1));
            }
            if (authorizedSigner == null) {
                signer = Address.fromHex(c.signer());
            }
        }

        /** Each L1 message of a block must have been queued on L1 with exactly these fields at some point. */
        void checkL1MessagesQueued(long n, BuiltBlock built, TopicRecord at) throws Diverged {
            for (ExecutedTransaction e : built.transactions()) {
                Transaction tx = e.transaction();
                if (!tx.isL1Message()) {
                    break;
                }
                Set<Hash32> versions = l1.everQueued().get(tx.queueIndex());
                if (versions == null || !versions.contains(tx.hash())) {
                    String actual = l1.records() == 0 ? "l1-events holds no records" : versions == null
                            ? "no message with this queue index in l1-events" : "l1-events has index " + tx.queueIndex() + " only with other fields";
                    throw new Diverged(n, "l1-messages", "queueIndex " + tx.queueIndex(), "an L1 message queued with identical fields", actual,
                            Topics.SEQUENCER_STREAM.name(), at.offset(), "block " + n + " includes L1 message " + tx.queueIndex() + " (" + tx.hash()
                                    + ") that l1-events never carried: " + actual);
                }
            }
        }

        /** After every reorg and revert, the chain's L1 messages must be the ones L1 still has. */
        void checkFinalChainAgainstL1() throws Diverged {
            if (l1.records() == 0) {
                return; // nothing to compare with; a block with L1 messages already failed checkL1MessagesQueued
            }
            for (var block : l1Included.entrySet()) {
                for (IncludedL1 m : block.getValue()) {
                    var now = l1.finalView().message(m.queueIndex());
                    if (now.isEmpty() || !toTransaction(now.get()).hash().equals(m.hash())) {
                        long n = block.getKey();
                        String actual = now.isEmpty() ? "removed by an L1 reorg" : "replaced by " + toTransaction(now.get()).hash()
                                + " from L1 block " + now.get().l1BlockNumber();
                        throw new Diverged(n, "l1-messages", "queueIndex " + m.queueIndex(), m.hash().toHex(), actual,
                                Topics.SEQUENCER_STREAM.name(), m.offset(), "block " + n + " still includes L1 message " + m.queueIndex()
                                        + " that L1 no longer has (" + actual + ") and no revert record unwound it");
                    }
                }
            }
        }

        L1Record readL1(RecordSource source) throws Diverged {
            Map<Long, Set<Hash32>> ever = new HashMap<>();
            Map<Long, String> signers = new HashMap<>();
            L1View view = new L1View();
            long n = 0;
            try (RecordSource.Records records = source.open(Topics.L1_EVENTS.name())) {
                while (records.hasNext()) {
                    TopicRecord r = records.next();
                    try {
                        L1Event ev = EventCodec.L1_EVENT.decode(r.value(), r.topic(), r.partition(), r.offset());
                        view.apply(ev);
                        if (ev instanceof L1AuthorizedSigner a) {
                            signers.put(r.offset(), a.signer());
                        }
                        if (ev instanceof L1MessageQueued m) {
                            ever.computeIfAbsent(m.queueIndex(), k -> new HashSet<>()).add(toTransaction(m).hash());
                        }
                    } catch (RuntimeException e) {
                        throw new Diverged(-1, "l1-events", "record", "a record consistent with the ones before", e.getMessage(), r.topic(),
                                r.offset(), e.getMessage());
                    }
                    n++;
                }
            }
            return new L1Record(ever, view, n, signers);
        }
    }

    static Transaction toTransaction(L1MessageQueued m) {
        return Transaction.l1Message(m.queueIndex(), m.gasLimit(), Address.fromHex(m.target()), new BigInteger(m.value()),
                Hex.decode(m.data()), Address.fromHex(m.sender()));
    }

    private static String describe(SignedBlocksEvent e) {
        if (e instanceof AuthorizedSignerChange c) {
            return "an authorized signer change to " + c.signer();
        }
        return e instanceof SignedRevert sr ? "a revert to height " + sr.revert().revertToNumber()
                : "block " + ((SignedBlock) e).payload().number() + " " + ((SignedBlock) e).payload().hash();
    }

    /** Convenience for callers that only want to print. */
    public static Progress printer(Consumer<String> out) {
        long[] lastPrint = {0};
        return (done, total, elapsed) -> {
            long now = System.currentTimeMillis();
            if (now - lastPrint[0] >= 1000 || done == total) {
                lastPrint[0] = now;
                double rate = elapsed == 0 ? done : done * 1000.0 / elapsed;
                long eta = rate <= 0 ? 0 : (long) ((total - done) / rate);
                out.accept(String.format("replayed %d/%d blocks (%.0f blocks/s, ETA %d s)", done, total, rate, eta));
            }
        };
    }
}
