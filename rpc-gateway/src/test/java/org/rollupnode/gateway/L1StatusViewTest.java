package org.rollupnode.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigInteger;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.rollupnode.execution.tx.Transaction;
import org.rollupnode.execution.types.Address;
import org.rollupnode.execution.types.Hash32;
import org.rollupnode.execution.types.Hex;
import org.rollupnode.schemas.L1Finalized;
import org.rollupnode.schemas.L1Head;
import org.rollupnode.schemas.L1MessageQueued;
import org.rollupnode.schemas.L1Reorg;
import org.rollupnode.watcher.L1WatcherStatus;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/** rollupNode_getL1MessageByIndex and the L1 part of rollupNode_status, folded from l1-events records. */
class L1StatusViewTest {
    static final String SENDER = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";
    static final String TARGET = "0x" + "42".repeat(20);

    static String hash(String b, long n) {
        return "0x" + b.repeat(2) + String.format("%062x", n);
    }

    static L1MessageQueued msg(long q, long block, String value, String data) {
        return new L1MessageQueued(q, block, hash("aa", block), hash("ee", q), 0, SENDER, TARGET, value, 100_000 + q, data);
    }

    static Hash32 l2Hash(L1MessageQueued m) {
        return Transaction.l1Message(m.queueIndex(), m.gasLimit(), Address.fromHex(m.target()), new BigInteger(m.value()),
                Hex.decode(m.data()), Address.fromHex(m.sender())).hash();
    }

    /** Scroll's rolling queue hash, written out with web3j's keccak. */
    static String rolling(String prevHex, Hash32 txHash) {
        byte[] h = Hash.sha3(Numeric.hexStringToByteArray(prevHex.substring(2) + txHash.toHex().substring(2)));
        h[28] = h[29] = h[30] = h[31] = 0;
        return Numeric.toHexString(h);
    }

    @Test
    @SuppressWarnings("unchecked")
    void envelopeHasTheRustShapeAndTheRollingQueueHash() {
        L1StatusView v = new L1StatusView(null, "dev");
        L1MessageQueued m0 = msg(0, 3, "1000", "0x");
        L1MessageQueued m1 = msg(1, 4, "0", "0xcafe");
        v.apply(m0);
        v.apply(m1);
        v.apply(new L1Head(5, hash("aa", 5), hash("aa", 4), 1));
        Map<String, Object> e = v.messageByIndex(1, h -> h.equals(l2Hash(m1)) ? Optional.of(7L) : Optional.empty());
        Map<String, Object> tx = (Map<String, Object>) e.get("transaction");
        assertEquals(Map.of("queueIndex", "0x1", "gas", "0x186a1", "to", TARGET, "value", "0x0", "sender", SENDER, "input", "0xcafe"), tx);
        assertEquals(4L, e.get("l1_block_number"));
        assertEquals(7L, e.get("l2_block_number"));
        String q0 = rolling("0x" + "00".repeat(32), l2Hash(m0));
        assertEquals(rolling(q0, l2Hash(m1)), e.get("queue_hash"));
        assertEquals(q0, v.messageByIndex(0, h -> Optional.empty()).get("queue_hash"));
        assertNull(v.messageByIndex(0, h -> Optional.empty()).get("l2_block_number"), "not included yet");
        assertNull(v.messageByIndex(2, h -> Optional.empty()), "no message at or above 2");
    }

    @Test
    void aReorgReplacesTheMessageAndItsQueueHash() {
        L1StatusView v = new L1StatusView(null, "dev");
        L1MessageQueued m0 = msg(0, 3, "1", "0x");
        v.apply(m0);
        v.apply(msg(1, 4, "2", "0x"));
        v.apply(new L1Head(5, hash("aa", 5), hash("aa", 4), 1));
        Object before = v.messageByIndex(1, h -> Optional.empty()).get("queue_hash");
        v.apply(new L1Reorg(3, hash("aa", 3), 4, "test"));
        assertNull(v.messageByIndex(1, h -> Optional.empty()), "removed by the reorg");
        L1MessageQueued replacement = new L1MessageQueued(1, 4, hash("bb", 4), hash("ef", 1), 0, SENDER, TARGET, "3", 100_001, "0x");
        v.apply(replacement);
        Map<String, Object> e = v.messageByIndex(1, h -> Optional.empty());
        assertEquals("0x3", ((Map<?, ?>) e.get("transaction")).get("value"));
        String q0 = rolling("0x" + "00".repeat(32), l2Hash(m0));
        assertEquals(rolling(q0, l2Hash(replacement)), e.get("queue_hash"));
        assertEquals(false, before.equals(e.get("queue_hash")));
    }

    @Test
    void mainnetHasNoQueueHashBelowItsV2StartIndex() {
        L1StatusView v = new L1StatusView(null, "scroll-mainnet");
        v.apply(new L1MessageQueued(953_884, 3, hash("aa", 3), hash("ee", 1), 0, SENDER, TARGET, "0", 1, "0x"));
        assertNull(v.messageByIndex(0, h -> Optional.empty()).get("queue_hash"));
        assertEquals(953_884L, Long.decode((String) ((Map<?, ?>) v.messageByIndex(0, h -> Optional.empty()).get("transaction")).get("queueIndex")),
                "the first message at or above the index, as the Rust node answers");
    }

    @Test
    void statusReportsL1DownFromTheLiveWatcher() {
        L1StatusView v = new L1StatusView(null, "dev");
        v.apply(new L1Head(9, hash("aa", 9), hash("aa", 8), 1));
        v.apply(new L1Finalized(7, hash("aa", 7)));
        assertEquals(9L, v.status().get("processed"));
        assertEquals(7L, v.status().get("finalized"));
        assertNull(v.status().get("connected"), "unknown without a watcher in this process");
        v.liveStatus(() -> new L1WatcherStatus("http://127.0.0.1:1", false, 9L, 8L, 7L, 9L, hash("aa", 9), null, true, null,
                "Connection refused", 5, 3));
        Map<String, Object> s = v.status();
        assertEquals(false, s.get("connected"));
        assertEquals("Syncing", s.get("status"));
        assertEquals("Connection refused", s.get("lastError"));
    }

    @Test
    void aGatewayWithoutTheWatcherReadsConnectedFromHeartbeatsAndAStaleOneMeansDisconnected() {
        long[] now = {100_000};
        L1StatusView v = new L1StatusView(null, "dev", () -> now[0]);
        v.apply(new L1Head(5, hash("aa", 5), hash("aa", 4), 1));
        assertNull(v.status().get("connected"), "no heartbeat ever: unknown");
        v.apply(new org.rollupnode.schemas.L1WatcherHeartbeat("w-1", 99_000, 2_000, true, 7L, 6L, 5L, 5L, false, null, null));
        Map<String, Object> s = v.status();
        assertEquals(true, s.get("connected"));
        assertEquals(7L, s.get("latest"), "L1's latest from the heartbeat");
        assertEquals(false, ((Map<?, ?>) s.get("watcher")).get("stale"));
        now[0] = 99_000 + 6_000;
        assertEquals(true, v.status().get("connected"), "3 intervals old is still fresh");
        now[0] = 99_000 + 6_001;
        s = v.status();
        assertEquals(false, s.get("connected"), "no heartbeat for more than 3 intervals: the watcher is gone");
        assertEquals(true, ((Map<?, ?>) s.get("watcher")).get("stale"));
        org.junit.jupiter.api.Assertions.assertTrue(String.valueOf(s.get("lastError")).contains("no heartbeat from L1 watcher w-1 for 6001 ms"),
                String.valueOf(s));
        v.apply(new org.rollupnode.schemas.L1WatcherHeartbeat("w-1", 105_000, 2_000, false, 7L, 6L, 5L, 5L, false, "Connection refused", null));
        s = v.status();
        assertEquals(false, s.get("connected"));
        assertEquals("Connection refused", s.get("lastError"));
    }

    @Test
    void revertRequestsMustStayBetweenFinalizedAndTheL1Head() {
        L1StatusView v = new L1StatusView(null, "dev", () -> 0);
        org.junit.jupiter.api.Assertions.assertTrue(v.revertRefusal(3).startsWith("no L1 block processed yet"));
        v.apply(new L1Head(5, hash("aa", 5), hash("aa", 4), 1));
        v.apply(new L1Finalized(3, hash("aa", 3)));
        assertNull(v.revertRefusal(3));
        assertNull(v.revertRefusal(5));
        assertEquals("block 6 is above the L1 head 5", v.revertRefusal(6));
        assertEquals("block 2 is below the finalized L1 block 3: finalized L1 blocks are not unwound", v.revertRefusal(2));
        v.liveStatus(() -> new L1WatcherStatus("http://l1", true, 8L, null, null, 5L, null, null, false, null, null, 0, 0));
        assertNull(v.revertRefusal(8), "up to L1's latest block as the watcher sees it");
    }
}
