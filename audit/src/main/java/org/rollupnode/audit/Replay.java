package org.rollupnode.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.rollupnode.chain.BlockSignatures;
import org.rollupnode.chain.ChainFolder;
import org.rollupnode.chain.PayloadRejected;
import org.rollupnode.chain.Payloads;
import org.rollupnode.execution.builder.InvalidBlockException;
import org.rollupnode.execution.chain.ChainSpec;
import org.rollupnode.execution.types.Address;
import org.rollupnode.execution.types.Hex;
import org.rollupnode.schemas.BlockPayload;
import org.rollupnode.schemas.EventCodec;
import org.rollupnode.schemas.SequencerStreamEvent;
import org.rollupnode.schemas.SignedBlock;
import org.rollupnode.schemas.Topics;

/**
 * The auditors' check (invariants 1, 2 and 5): reads the sequencer stream and signed-blocks,
 * re-executes every block from genesis and stops at the first divergence. Pure apart from its
 * {@link RecordSource}; the same code runs against a live cluster and against an export file.
 */
public final class Replay {
    /** Progress after each block: (blocks done, blocks to do). */
    public interface Progress {
        void update(long done, long total, long elapsedMillis);
    }

    private final ChainSpec spec;
    private final Address authorizedSigner;

    /** @param authorizedSigner required signer; null pins the signer of block 1 and requires it for every block */
    public Replay(ChainSpec spec, Address authorizedSigner) {
        this.spec = spec;
        this.authorizedSigner = authorizedSigner;
    }

    public ReplayReport run(RecordSource source, long from, long to, Progress progress) {
        long t0 = System.currentTimeMillis();
        Map<Long, List<Located<BlockPayload>>> stream = new TreeMap<>();
        List<TopicRecord> streamRecords = source.read(Topics.SEQUENCER_STREAM.name());
        for (TopicRecord r : streamRecords) {
            SequencerStreamEvent ev;
            try {
                ev = EventCodec.SEQUENCER_STREAM.decode(r.value(), r.topic(), r.partition(), r.offset());
            } catch (RuntimeException e) {
                return fail(t0, from, to, 0, 0, new ReplayReport.Divergence(-1, "decode", "record", "a decodable payload",
                        e.getMessage(), r.topic(), r.offset(), e.getMessage()));
            }
            if (ev instanceof BlockPayload p) {
                stream.computeIfAbsent(p.number(), k -> new ArrayList<>()).add(new Located<>(p, r));
            }
        }
        Map<Long, List<Located<SignedBlock>>> signed = new TreeMap<>();
        for (TopicRecord r : source.read(Topics.SIGNED_BLOCKS.name())) {
            try {
                SignedBlock sb = EventCodec.SIGNED_BLOCK.decode(r.value(), r.topic(), r.partition(), r.offset());
                signed.computeIfAbsent(sb.payload().number(), k -> new ArrayList<>()).add(new Located<>(sb, r));
            } catch (RuntimeException e) {
                return fail(t0, from, to, 0, 0, new ReplayReport.Divergence(-1, "decode", "record", "a decodable signed block",
                        e.getMessage(), r.topic(), r.offset(), e.getMessage()));
            }
        }
        long last = stream.isEmpty() ? 0 : ((TreeMap<Long, ?>) stream).lastKey();
        long end = Math.min(to, last);
        ChainFolder folder = new ChainFolder(spec);
        Address signer = authorizedSigner;
        long checked = 0;
        long txs = 0;
        long unsignedTail = 0;
        for (long n = 1; n <= end; n++) {
            List<Located<BlockPayload>> at = stream.get(n);
            if (at == null) {
                return fail(t0, from, to, checked, txs, new ReplayReport.Divergence(n, "contiguity", "number", "a payload at height " + n,
                        "none (the stream skips from " + (n - 1) + ")", Topics.SEQUENCER_STREAM.name(), -1,
                        "the sequencer stream has no payload at height " + n));
            }
            if (at.size() > 1) {
                return fail(t0, from, to, checked, txs, new ReplayReport.Divergence(n, "single-payload-per-height", "hash", at.get(0).value().hash(),
                        at.get(1).value().hash(), Topics.SEQUENCER_STREAM.name(), at.get(1).record().offset(),
                        "two committed payloads for height " + n + " at offsets " + at.get(0).record().offset() + " and "
                                + at.get(1).record().offset()));
            }
            Located<BlockPayload> p = at.get(0);
            List<Located<SignedBlock>> sigs = signed.get(n);
            if (sigs == null) {
                unsignedTail++;
            } else {
                if (unsignedTail > 0) {
                    return fail(t0, from, to, checked, txs, new ReplayReport.Divergence(n - 1, "signature", "signed-blocks",
                            "a signed block", "none", Topics.SIGNED_BLOCKS.name(), -1, "block " + (n - 1) + " was never signed but " + n + " was"));
                }
                if (sigs.size() > 1) {
                    return fail(t0, from, to, checked, txs, new ReplayReport.Divergence(n, "single-signature-per-height", "hash",
                            sigs.get(0).value().payload().hash(), sigs.get(1).value().payload().hash(), Topics.SIGNED_BLOCKS.name(),
                            sigs.get(1).record().offset(), "two signed blocks for height " + n));
                }
                SignedBlock sb = sigs.get(0).value();
                long off = sigs.get(0).record().offset();
                if (!sb.payload().equals(p.value())) {
                    return fail(t0, from, to, checked, txs, new ReplayReport.Divergence(n, "signed-payload", "payload", p.value().hash(),
                            sb.payload().hash(), Topics.SIGNED_BLOCKS.name(), off,
                            "the payload in signed-blocks differs from the sequencer stream's at height " + n));
                }
                Address recovered;
                try {
                    recovered = BlockSignatures.recover(Payloads.header(sb.payload()).sealHash(), Hex.decode(sb.signature()));
                } catch (RuntimeException e) {
                    return fail(t0, from, to, checked, txs, new ReplayReport.Divergence(n, "signature", "signature", "a valid signature",
                            sb.signature(), Topics.SIGNED_BLOCKS.name(), off, e.getMessage()));
                }
                if (signer == null) {
                    signer = recovered;
                }
                if (!recovered.equals(signer) || !recovered.toHex().equals(sb.signer())) {
                    return fail(t0, from, to, checked, txs, new ReplayReport.Divergence(n, "signature", "signer", signer.toHex(),
                            recovered.toHex(), Topics.SIGNED_BLOCKS.name(), off,
                            "block " + n + " is signed by " + recovered + " (record claims " + sb.signer() + "), not by " + signer));
                }
            }
            try {
                txs += folder.apply(p.value()).transactions().size();
            } catch (PayloadRejected e) {
                return fail(t0, from, to, checked, txs, new ReplayReport.Divergence(n, "re-execution", e.field(), e.expected(), e.actual(),
                        Topics.SEQUENCER_STREAM.name(), p.record().offset(), e.getMessage()));
            } catch (InvalidBlockException e) {
                return fail(t0, from, to, checked, txs, new ReplayReport.Divergence(n, "re-execution", "block", "valid", e.getMessage(),
                        Topics.SEQUENCER_STREAM.name(), p.record().offset(), e.getMessage()));
            }
            if (n >= from) {
                checked++;
            }
            if (progress != null) {
                progress.update(n, end, System.currentTimeMillis() - t0);
            }
        }
        long elapsed = System.currentTimeMillis() - t0;
        return new ReplayReport(spec.name(), from, end, checked, txs, elapsed, elapsed == 0 ? checked : checked * 1000.0 / elapsed,
                "ok", null, unsignedTail);
    }

    private ReplayReport fail(long t0, long from, long to, long checked, long txs, ReplayReport.Divergence d) {
        long elapsed = System.currentTimeMillis() - t0;
        return new ReplayReport(spec.name(), from, to, checked, txs, elapsed, elapsed == 0 ? checked : checked * 1000.0 / elapsed,
                "divergence", d, 0);
    }

    private record Located<T>(T value, TopicRecord record) {}

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
