package org.rollupnode.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rollupnode.chain.ChainFolder;
import org.rollupnode.chain.Payloads;
import org.rollupnode.execution.builder.BaseFee;
import org.rollupnode.execution.builder.BlockBuilder;
import org.rollupnode.execution.builder.BlockEnv;
import org.rollupnode.execution.builder.BuiltBlock;
import org.rollupnode.execution.chain.ChainSpecs;
import org.rollupnode.execution.tx.Transaction;
import org.rollupnode.execution.types.Address;
import org.rollupnode.execution.types.Hex;
import org.rollupnode.schemas.BlockPayload;
import org.rollupnode.schemas.EventCodec;
import org.rollupnode.schemas.L1Event;
import org.rollupnode.schemas.L1Head;
import org.rollupnode.schemas.L1MessageQueued;
import org.rollupnode.schemas.L1Reorg;
import org.rollupnode.schemas.SequencerRevert;
import org.rollupnode.schemas.SignedBlock;
import org.rollupnode.schemas.SignedRevert;
import org.rollupnode.schemas.Topics;

/**
 * Replay with revert records and L1 messages, on in-memory records: a height twice only across a
 * revert, signed-blocks repeating the revert, and L1 messages checked against l1-events.
 */
class ReplayRevertTest {
    static final String SENDER = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";
    static final String TARGET = "0x" + "42".repeat(20);
    static final Address SIGNER = Address.fromHex(ReplayTest.address(ReplayTest.SIGNER));

    static String hash(String b, long n) {
        return "0x" + b.repeat(2) + String.format("%062x", n);
    }

    static L1MessageQueued msg(long q, long l1Block, String branch, String value) {
        return new L1MessageQueued(q, l1Block, hash(branch, l1Block), hash("ee", q), 0, SENDER, TARGET, value, 50_000, "0x");
    }

    static Transaction tx(L1MessageQueued m) {
        return Replay.toTransaction(m);
    }

    /** Builds blocks on {@code f} (advancing it): each entry is the L1 messages of one block, plus one L2 transfer. */
    static List<BlockPayload> build(ChainFolder f, List<List<Transaction>> l1PerBlock, long firstNonce, long value) throws Exception {
        List<BlockPayload> out = new ArrayList<>();
        long nonce = firstNonce;
        for (List<Transaction> l1 : l1PerBlock) {
            var parent = f.head();
            BlockBuilder b = new BlockBuilder(ReplayTest.DEV, parent, f.headState(), new BlockEnv(parent.number() + 1, parent.timestamp() + 1,
                    ChainSpecs.FEE_VAULT, 20_000_000, BaseFee.next(parent, ReplayTest.DEV.baseFeeOverhead())));
            long next = f.nextL1QueueIndex();
            for (Transaction t : l1) {
                b.add(t);
            }
            b.add(ReplayTest.transfer(2, nonce++, value));
            BuiltBlock built = b.seal(new byte[0]);
            f.advance(built);
            out.add(Payloads.toPayload(built, l1.size(), next + l1.size(), "seq", 0, 0));
        }
        return out;
    }

    /** A scenario: L1 messages 0 (block 10) and 1 (block 11); L2 block 1 includes 0, block 2 includes 1, block 3 none. */
    static final class Scenario {
        final InMemoryRecords m = new InMemoryRecords();
        final L1MessageQueued m0 = msg(0, 10, "aa", "5");
        final L1MessageQueued m1 = msg(1, 11, "aa", "6");
        final L1MessageQueued m1b = msg(1, 12, "bb", "60"); // the reorg's replacement branch
        final ChainFolder f = new ChainFolder(ReplayTest.DEV);
        final List<BlockPayload> first;
        BlockPayload b1;

        Scenario() throws Exception {
            first = build(f, List.of(List.of(tx(m0)), List.of(tx(m1)), List.of()), 0, 1);
            b1 = first.get(0);
        }

        void l1(L1Event... events) {
            for (L1Event e : events) {
                m.add(Topics.L1_EVENTS.name(), EventCodec.L1_EVENT.encode(e));
            }
        }

        void stream(Object... events) {
            for (Object e : events) {
                if (e instanceof BlockPayload p) {
                    m.add(Topics.SEQUENCER_STREAM.name(), EventCodec.SEQUENCER_STREAM.encode(p));
                } else {
                    m.add(Topics.SEQUENCER_STREAM.name(), EventCodec.SEQUENCER_STREAM.encode((SequencerRevert) e));
                }
            }
        }

        void signed(Object... events) {
            for (Object e : events) {
                if (e instanceof BlockPayload p) {
                    m.add(Topics.SIGNED_BLOCKS.name(), EventCodec.SIGNED_BLOCKS.encode(
                            new SignedBlock(p, ReplayTest.sign(p, ReplayTest.SIGNER), SIGNER.toHex(), 0, 0)));
                } else {
                    m.add(Topics.SIGNED_BLOCKS.name(), EventCodec.SIGNED_BLOCKS.encode(new SignedRevert((SequencerRevert) e, 0, SIGNER.toHex(), 0)));
                }
            }
        }

        /** Reverts to block 1 and rebuilds 2 and 3 with the replacement message 1. */
        List<BlockPayload> rebuilt() throws Exception {
            f.revertTo(1, b1.hash());
            return build(f, List.of(List.of(tx(m1b)), List.of()), 1, 2);
        }

        SequencerRevert revertTo1() {
            return new SequencerRevert(1, b1.hash(), 3, "L1 reorg removed L1 message 1 from L1 block 11, included in L2 block 2", 10, 11, 1, 1,
                    "seq", 0);
        }

        ReplayReport replay() {
            return new Replay(ReplayTest.DEV, SIGNER).run(m, 1, Long.MAX_VALUE, null);
        }
    }

    @Test
    void aRevertAfterAnL1ReorgReplaysCleanWithTheHeightsBuiltTwice() throws Exception {
        Scenario s = new Scenario();
        List<BlockPayload> again = s.rebuilt();
        s.l1(s.m0, s.m1, new L1Head(11, hash("aa", 11), hash("aa", 10), 1), new L1Reorg(10, hash("aa", 10), 11, "test"), s.m1b,
                new L1Head(12, hash("bb", 12), hash("bb", 11), 2));
        s.stream(s.first.get(0), s.first.get(1), s.first.get(2), s.revertTo1(), again.get(0), again.get(1));
        s.signed(s.first.get(0), s.first.get(1), s.first.get(2), s.revertTo1(), again.get(0), again.get(1));
        ReplayReport r = s.replay();
        assertTrue(r.ok(), String.valueOf(r.divergence()));
        assertEquals(5, r.blocksChecked(), "3 blocks, then 2 and 3 again");
        assertEquals(0, r.unsignedTail());
    }

    @Test
    void theSameHeightTwiceWithoutARevertIsCaught() throws Exception {
        Scenario s = new Scenario();
        List<BlockPayload> again = s.rebuilt();
        s.l1(s.m0, s.m1, new L1Reorg(10, hash("aa", 10), 11, "test"), s.m1b);
        s.stream(s.first.get(0), s.first.get(1), s.first.get(2), again.get(0));
        ReplayReport r = s.replay();
        assertEquals("single-payload-per-height", r.divergence().check());
        assertEquals(2, r.divergence().block());
        assertEquals(3, r.divergence().offset());
    }

    @Test
    void aRevertNamingAnotherHashOrTheWrongQueuePositionIsCaught() throws Exception {
        Scenario s = new Scenario();
        s.l1(s.m0, s.m1);
        SequencerRevert wrongHash = new SequencerRevert(1, s.first.get(1).hash(), 3, "test", -1, -1, -1, 1, "seq", 0);
        s.stream(s.first.get(0), s.first.get(1), s.first.get(2), wrongHash);
        ReplayReport r = s.replay();
        assertEquals("revert", r.divergence().check());
        assertEquals("revertToHash", r.divergence().field());
        assertEquals(s.b1.hash(), r.divergence().actual());

        Scenario t = new Scenario();
        t.l1(t.m0, t.m1);
        t.stream(t.first.get(0), t.first.get(1), t.first.get(2), new SequencerRevert(1, t.b1.hash(), 3, "test", -1, -1, -1, 0, "seq", 0));
        assertEquals("nextL1QueueIndex", t.replay().divergence().field(), "block 1 included message 0, so 1 comes next");
    }

    @Test
    void signedBlocksMustRepeatTheRevertBeforeSigningAReplacedHeight() throws Exception {
        Scenario s = new Scenario();
        List<BlockPayload> again = s.rebuilt();
        s.l1(s.m0, s.m1, new L1Reorg(10, hash("aa", 10), 11, "test"), s.m1b);
        s.stream(s.first.get(0), s.first.get(1), s.first.get(2), s.revertTo1(), again.get(0));
        s.signed(s.first.get(0), s.first.get(1), s.first.get(2), again.get(0)); // no revert in signed-blocks
        ReplayReport r = s.replay();
        assertEquals("signed-revert", r.divergence().check());
        assertEquals(1, r.divergence().block());
        assertEquals(Topics.SIGNED_BLOCKS.name(), r.divergence().topic());
    }

    @Test
    void anL1MessageNeverQueuedOrQueuedWithOtherFieldsIsCaught() throws Exception {
        Scenario s = new Scenario();
        s.l1(s.m0); // message 1 never appears in l1-events
        s.stream(s.first.get(0), s.first.get(1));
        ReplayReport r = s.replay();
        assertEquals("l1-messages", r.divergence().check());
        assertEquals(2, r.divergence().block());
        assertEquals("no message with this queue index in l1-events", r.divergence().actual());

        Scenario t = new Scenario();
        t.l1(t.m0, msg(1, 11, "aa", "7")); // index 1 was queued with value 7, the block pays 6
        t.stream(t.first.get(0), t.first.get(1));
        ReplayReport r2 = t.replay();
        assertEquals("l1-messages", r2.divergence().check());
        assertEquals("l1-events has index 1 only with other fields", r2.divergence().actual());

        Scenario u = new Scenario();
        u.stream(u.first.get(0));
        assertEquals("l1-events holds no records", u.replay().divergence().actual());
    }

    @Test
    void aSkippedQueueIndexIsFlagged() throws Exception {
        ChainFolder f = new ChainFolder(ReplayTest.DEV);
        L1MessageQueued m0 = msg(0, 10, "aa", "1");
        L1MessageQueued m1 = msg(1, 10, "aa", "1");
        // Built by hand past the folder's check: block 1 includes message 1 without 0.
        var parent = f.head();
        BlockBuilder b = new BlockBuilder(ReplayTest.DEV, parent, f.headState(), new BlockEnv(1, parent.timestamp() + 1, ChainSpecs.FEE_VAULT,
                20_000_000, BaseFee.next(parent, ReplayTest.DEV.baseFeeOverhead())));
        b.add(tx(m1));
        BlockPayload p = Payloads.toPayload(b.seal(new byte[0]), 1, 2, "seq", 0, 0);
        InMemoryRecords m = new InMemoryRecords();
        m.add(Topics.L1_EVENTS.name(), EventCodec.L1_EVENT.encode(m0));
        m.add(Topics.L1_EVENTS.name(), EventCodec.L1_EVENT.encode(m1));
        m.add(Topics.SEQUENCER_STREAM.name(), EventCodec.SEQUENCER_STREAM.encode(p));
        ReplayReport r = new Replay(ReplayTest.DEV, null).run(m, 1, Long.MAX_VALUE, null);
        assertEquals("l1-queue-order", r.divergence().check());
        assertEquals("l1QueueIndex", r.divergence().field());
        assertEquals("0", r.divergence().expected());
        assertEquals("1", r.divergence().actual());
    }

    @Test
    void anIncludedMessageThatAnL1ReorgRemovedWithoutARevertIsCaught() throws Exception {
        Scenario s = new Scenario();
        s.l1(s.m0, s.m1, new L1Head(11, hash("aa", 11), hash("aa", 10), 1), new L1Reorg(10, hash("aa", 10), 11, "test"), s.m1b);
        s.stream(s.first.get(0), s.first.get(1), s.first.get(2));
        ReplayReport r = s.replay();
        assertEquals("l1-messages", r.divergence().check());
        assertEquals(2, r.divergence().block());
        assertTrue(r.divergence().actual().startsWith("replaced by " + Hex.encode(tx(s.m1b).hash().toArray())), r.divergence().actual());
    }
}
