package org.rollupnode.sequencer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;
import org.rollupnode.schemas.BlockPayload;
import org.rollupnode.schemas.SequencerRevert;
import org.rollupnode.schemas.SignedBlock;
import org.rollupnode.schemas.SignedRevert;

/** The leader's gate on signed-blocks, and how the sequencer folds that topic. Hashes are labels, not real block hashes. */
class BuildGateTest {
    /** Our chain: heights 0..10, hash "h<n>"; 0..2 no longer retained. */
    static final LongFunction<String> OURS = n -> n >= 3 && n <= 10 ? "h" + n : null;

    @Test
    void buildsWhenTheSignerIsAtOrSlightlyBehindOurHead() {
        BuildGate.Decision d = BuildGate.decide(10, OURS, 10, "h10", -1, 4);
        assertTrue(d.build(), d.reason());
        assertEquals(0, d.unsigned());
        assertTrue(BuildGate.decide(10, OURS, 7, "h7", -1, 4).build(), "3 unsigned < 4");
        assertTrue(BuildGate.decide(10, OURS, 0, null, -1, 0).build(), "0 = no limit, as the Rust node");
        assertTrue(BuildGate.decide(10, OURS, 2, "not-checked", -1, 0).build(), "a block we no longer retain cannot be compared");
    }

    @Test
    void holdsAtTheUnsignedLimit() {
        BuildGate.Decision d = BuildGate.decide(10, OURS, 6, "h6", -1, 4);
        assertEquals(BuildGate.State.SIGNER_BEHIND, d.state());
        assertEquals(4, d.unsigned());
        assertTrue(d.reason().contains("last signed 6"), d.reason());
    }

    @Test
    void neverBuildsBelowWhatIsSigned() {
        BuildGate.Decision d = BuildGate.decide(10, OURS, 12, "x12", -1, 0);
        assertEquals(BuildGate.State.STALE_HEAD, d.state());
        assertTrue(d.reason().contains("signed-blocks has block 12") && d.reason().contains("ends at block 10"), d.reason());
    }

    @Test
    void aDifferentSignedBlockAtAHeightWeHaveIsAFork() {
        BuildGate.Decision d = BuildGate.decide(10, OURS, 9, "other", -1, 0);
        assertEquals(BuildGate.State.FORKED, d.state());
        assertTrue(d.reason().contains("other") && d.reason().contains("h9"), d.reason());
    }

    @Test
    void signedBlocksAboveAPendingRevertDoNotCount() {
        // We reverted to 5 and rebuilt 6..7; the signer signed up to 9 of the old branch and has not copied the revert yet.
        LongFunction<String> rebuilt = n -> n <= 5 ? "h" + n : n <= 7 ? "new" + n : null;
        BuildGate.Decision d = BuildGate.decide(7, rebuilt, 9, "h9", 5, 4);
        assertTrue(d.build(), d.reason());
        assertEquals(2, d.unsigned());
        assertEquals(BuildGate.State.SIGNER_BEHIND, BuildGate.decide(7, rebuilt, 9, "h9", 5, 2).state());
    }

    static BlockPayload payload(long n, String hash) {
        return new BlockPayload(n, hash, "p", 0, "0x00", "0", 0, 0, "s", "t", "r", "0x", "0x", "1", "0x", List.of(), 0, 0, "seq", 0, 0);
    }

    static SignedBlock signedBlock(long n, String hash) {
        return new SignedBlock(payload(n, hash), "0xsig", "0xsigner", n, 0);
    }

    @Test
    void signedHeadFollowsTheSignersRules() {
        SignedHead h = new SignedHead();
        assertEquals(0, h.number());
        assertTrue(h.apply(signedBlock(1, "a1")));
        assertTrue(h.apply(signedBlock(2, "a2")));
        assertTrue(h.apply(signedBlock(3, "a3")));
        assertFalse(h.apply(signedBlock(3, "b3")), "a second block at a height is ignored");
        assertFalse(h.apply(signedBlock(5, "a5")), "a gap is ignored");
        assertEquals(3, h.number());
        assertEquals("a3", h.hash());
        assertEquals(-1, h.revertStreamOffset());

        SequencerRevert rv = new SequencerRevert(1, "a1", 3, "test", 0, 0, 0, 0, "seq", 0);
        assertTrue(h.apply(new SignedRevert(rv, 42, "0xsigner", 0)));
        assertEquals(1, h.number());
        assertEquals("a1", h.hash());
        assertEquals(42, h.revertStreamOffset());
        assertTrue(h.apply(signedBlock(2, "b2")), "the height after the revert target is signed again");
        assertFalse(h.apply(new SignedRevert(new SequencerRevert(4, "x", 5, "test", 0, 0, 0, 0, "seq", 0), 50, "0xsigner", 0)),
                "a revert above the signed head is ignored");
        assertEquals(Map.of(2L, "b2"), Map.of(h.number(), h.hash()));
    }
}
