package org.rollupnode.watcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rollupnode.schemas.L1Finalized;
import org.rollupnode.schemas.L1Head;
import org.rollupnode.schemas.L1MessageQueued;
import org.rollupnode.schemas.L1Reorg;
import org.rollupnode.schemas.L1Safe;

class L1ViewTest {
    private static String hash(int n) {
        return String.format("0x%064x", n);
    }

    private static L1MessageQueued msg(long index, long block) {
        return new L1MessageQueued(index, block, hash((int) block), hash(1000 + (int) index), 0,
                "0x" + "11".repeat(20), "0x" + "22".repeat(20), "0", 21_000, "0x");
    }

    private static L1Head head(long n) {
        return new L1Head(n, hash((int) n), hash((int) n - 1), 1_700_000_000L + n);
    }

    @Test
    void foldsMessagesHeadsAndTags() {
        L1View v = new L1View();
        v.apply(msg(0, 2));
        v.apply(msg(1, 2));
        v.apply(head(3));
        v.apply(new L1Safe(2, hash(2)));
        v.apply(new L1Finalized(1, hash(1)));
        v.apply(msg(2, 5));
        v.apply(head(5));
        assertEquals(5, v.processed().orElseThrow().number());
        assertEquals(2, v.safe().orElseThrow().number());
        assertEquals(1, v.finalized().orElseThrow().number());
        assertEquals(3, v.nextQueueIndex().getAsLong());
        assertEquals(List.of(0L, 1L, 2L), List.copyOf(v.messages().keySet()));
        assertEquals(List.of(msg(0, 2), msg(1, 2)), v.eligibleMessages(0, 4, 10), "block 5 not yet eligible");
        assertEquals(List.of(msg(1, 2)), v.eligibleMessages(1, 5, 1), "at most max");
    }

    @Test
    void aQueueGapIsRefused() {
        L1View v = new L1View();
        v.apply(msg(7, 2));
        L1WatcherException e = assertThrows(L1WatcherException.class, () -> v.apply(msg(9, 3)));
        assertEquals(L1WatcherException.Code.QUEUE_GAP, e.code());
        assertTrue(e.getMessage().contains("expected queue index 8"), e.getMessage());
    }

    @Test
    void headsMustAdvanceAndLink() {
        L1View v = new L1View();
        v.apply(head(3));
        assertEquals(L1WatcherException.Code.INCONSISTENT_TOPIC, assertThrows(L1WatcherException.class, () -> v.apply(head(3))).code());
        L1Head orphan = new L1Head(4, hash(4), hash(99), 0);
        assertEquals(L1WatcherException.Code.INCONSISTENT_TOPIC, assertThrows(L1WatcherException.class, () -> v.apply(orphan)).code());
        assertThrows(L1WatcherException.class, () -> v.apply(msg(0, 3)), "a message for an already processed block");
    }

    @Test
    void aReorgVoidsEverythingAboveTheAncestor() {
        L1View v = new L1View();
        v.apply(msg(0, 2));
        v.apply(head(2));
        v.apply(msg(1, 3));
        v.apply(msg(2, 4));
        v.apply(head(6));
        v.apply(new L1Safe(5, hash(5)));
        v.apply(new L1Finalized(2, hash(2)));
        v.apply(new L1Reorg(2, hash(2), 3, "test"));
        assertEquals(new L1View.BlockRef(2, hash(2)), v.processed().orElseThrow());
        assertEquals(List.of(0L), List.copyOf(v.messages().keySet()));
        assertEquals(1, v.nextQueueIndex().getAsLong(), "the new branch continues at the first removed index");
        assertTrue(v.safe().isEmpty());
        assertEquals(2, v.finalized().orElseThrow().number());
        assertEquals(1, v.reorgCount());
        v.apply(msg(1, 3)); // the replacement branch
        v.apply(new L1Head(3, hash(33), hash(2), 0));
        assertEquals(2, v.nextQueueIndex().getAsLong());
    }

    @Test
    void aReorgBetweenHeadsKeepsTheAncestorAsProcessed() {
        L1View v = new L1View();
        v.apply(msg(0, 2));
        v.apply(head(9)); // one head for a whole range
        v.apply(new L1Reorg(2, hash(2), 3, "test"));
        assertTrue(v.head().isEmpty(), "head 9 is void");
        assertEquals(2, v.processed().orElseThrow().number());
        assertEquals(hash(2), v.knownBlockHashes().firstEntry().getValue());
        L1Head wrongParent = new L1Head(3, hash(3), hash(77), 0);
        assertThrows(L1WatcherException.class, () -> v.apply(wrongParent), "the next head must link to the ancestor");
    }

    @Test
    void pruningKeepsTheQueuePosition() {
        L1View v = new L1View();
        v.apply(msg(0, 1));
        v.apply(msg(1, 2));
        v.apply(head(2));
        v.pruneMessagesUpToBlock(2);
        assertTrue(v.messages().isEmpty());
        assertEquals(2, v.nextQueueIndex().getAsLong());
        assertThrows(L1WatcherException.class, () -> v.apply(msg(5, 3)));
    }

    @Test
    void anUnwindVoidsWhatIsAboveItsBlockLikeAReorgAndNamesItsRequest() {
        L1View v = new L1View();
        v.apply(msg(0, 2));
        v.apply(msg(1, 3));
        v.apply(head(4));
        v.apply(new org.rollupnode.schemas.L1Unwind(2, hash(2), 17, "rpc:gw", "rollupNodeAdmin_revertToL1Block(2)"));
        assertEquals(new L1View.BlockRef(2, hash(2)), v.processed().orElseThrow());
        assertEquals(List.of(0L), List.copyOf(v.messages().keySet()));
        assertEquals(1, v.nextQueueIndex().getAsLong());
        assertEquals(17, v.lastUnwind().orElseThrow().controlOffset());
        assertEquals(1, v.reorgCount(), "readers re-check what they included");
        v.apply(msg(1, 3)); // the re-read
        v.apply(new L1Head(3, hash(3), hash(2), 0));
        assertEquals(2, v.nextQueueIndex().getAsLong());
    }

    @Test
    void anUnwindOnAnEmptyViewOnlyMarksTheRequestAndHeartbeatsChangeNoL1State() {
        L1View v = new L1View();
        v.apply(new org.rollupnode.schemas.L1Unwind(5, hash(5), 3, "rpc", "x"));
        assertTrue(v.processed().isEmpty(), "nothing was processed, so nothing is skipped either");
        assertEquals(3, v.lastUnwind().orElseThrow().controlOffset());
        v.apply(msg(0, 2));
        v.apply(head(2));
        var hb = new org.rollupnode.schemas.L1WatcherHeartbeat("w", 1, 1000, true, 9L, 8L, 7L, 2L, false, null, null);
        v.apply(hb);
        assertEquals(hb, v.heartbeat().orElseThrow());
        assertEquals(2, v.processed().orElseThrow().number());
        assertTrue(v.finalized().isEmpty(), "a heartbeat's numbers are not L1 records");
        assertEquals(0, v.reorgCount());
    }
}
