package org.rollupnode.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rollupnode.execution.types.Address;
import org.rollupnode.schemas.AuthorizedSignerChange;
import org.rollupnode.schemas.BlockPayload;
import org.rollupnode.schemas.EventCodec;
import org.rollupnode.schemas.L1AuthorizedSigner;
import org.rollupnode.schemas.SignedBlock;
import org.rollupnode.schemas.Topics;

/**
 * Replay follows authorized-signer change records by position in signed-blocks: blocks after a
 * change must carry the new signer, blocks before it keep theirs, and each change must copy the
 * l1-events record it cites. {@code --consensus.authorized-signer} takes precedence over them.
 */
class ReplaySignerChangeTest {
    private static final BigInteger A = ReplayTest.SIGNER;
    private static final BigInteger B = ReplayTest.OTHER;
    private static final String SYSTEM_CONFIG = "0x" + "5c".repeat(20);
    private static final String L1_HASH = "0x" + "11".repeat(32);

    /** l1-events: A at offset 0, B at offset 1. Blocks 1-2 signed by A, a change to B (citing offset {@code cited}), block 3 by {@code third}. */
    private static InMemoryRecords rotated(List<BlockPayload> c, long cited, BigInteger third) {
        InMemoryRecords m = new InMemoryRecords();
        m.add(Topics.L1_EVENTS.name(), EventCodec.L1_EVENT.encode(new L1AuthorizedSigner(SYSTEM_CONFIG, ReplayTest.address(A), 5, L1_HASH)));
        m.add(Topics.L1_EVENTS.name(), EventCodec.L1_EVENT.encode(new L1AuthorizedSigner(SYSTEM_CONFIG, ReplayTest.address(B), 9, L1_HASH)));
        m.add(Topics.SIGNED_BLOCKS.name(), EventCodec.SIGNED_BLOCKS.encode(new AuthorizedSignerChange(ReplayTest.address(A), 1, 0, 5,
                SYSTEM_CONFIG, ReplayTest.address(A), 0)));
        for (int i = 0; i < c.size(); i++) {
            BlockPayload p = c.get(i);
            if (i == 2) {
                m.add(Topics.SIGNED_BLOCKS.name(), EventCodec.SIGNED_BLOCKS.encode(new AuthorizedSignerChange(ReplayTest.address(B), 3, cited, 9,
                        SYSTEM_CONFIG, ReplayTest.address(A), 0)));
            }
            BigInteger key = i < 2 ? A : third;
            m.add(Topics.SEQUENCER_STREAM.name(), EventCodec.SEQUENCER_STREAM.encode(p));
            m.add(Topics.SIGNED_BLOCKS.name(), EventCodec.SIGNED_BLOCK.encode(new SignedBlock(p, ReplayTest.sign(p, key),
                    ReplayTest.address(key), i, 0)));
        }
        return m;
    }

    @Test
    void blocksAfterAChangeNeedTheNewSignerAndBlocksBeforeKeepTheirs() throws Exception {
        List<BlockPayload> c = ReplayTest.chain(3);
        ReplayReport ok = new Replay(ReplayTest.DEV, null).run(rotated(c, 1, B), 1, Long.MAX_VALUE, null);
        assertTrue(ok.ok(), String.valueOf(ok.divergence()));
        assertEquals(3, ok.blocksChecked());
        assertEquals(0, ok.unsignedTail(), "change records are not stream events");

        ReplayReport old = new Replay(ReplayTest.DEV, null).run(rotated(c, 1, A), 1, Long.MAX_VALUE, null);
        assertEquals(3, old.divergence().block(), "the old signer after the change is refused");
        assertEquals("signature", old.divergence().check());
        assertEquals(ReplayTest.address(B), old.divergence().expected());
    }

    @Test
    void aChangeThatDoesNotCopyL1IsCaught() throws Exception {
        ReplayReport r = new Replay(ReplayTest.DEV, null).run(rotated(ReplayTest.chain(3), 0, B), 1, Long.MAX_VALUE, null);
        assertEquals("authorized-signer", r.divergence().check());
        assertEquals(ReplayTest.address(A), r.divergence().expected(), "l1-events offset 0 names A");
        assertEquals(ReplayTest.address(B), r.divergence().actual());
    }

    @Test
    void theFlagTakesPrecedenceOverChangeRecords() throws Exception {
        ReplayReport r = new Replay(ReplayTest.DEV, Address.fromHex(ReplayTest.address(A))).run(rotated(ReplayTest.chain(3), 1, B), 1,
                Long.MAX_VALUE, null);
        assertEquals(3, r.divergence().block());
        assertEquals(ReplayTest.address(A), r.divergence().expected());
    }
}
