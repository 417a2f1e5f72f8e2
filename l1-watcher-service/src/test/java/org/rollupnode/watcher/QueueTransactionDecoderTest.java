package org.rollupnode.watcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rollupnode.schemas.L1MessageQueued;
import org.web3j.protocol.core.methods.response.Log;

/** Logs written out by hand from the ABI rules, so the expected values do not come from the decoder. */
class QueueTransactionDecoderTest {
    private static final String TOPIC0 = "0x69cfcb8e6d4192b8aba9902243912587f37e550d75c1fa801491fce26717f37e";
    private static final String SENDER = "0x000000000000000000000000" + "7885bcbd5cecef1336b5300fb5186a12ddd8c478";
    private static final String TARGET = "0x000000000000000000000000" + "781e90f1c8fc4611c9b7497c3b47f99ef6969cbc";
    private static final String BLOCK_HASH = "0x" + "ab".repeat(32);
    private static final String TX_HASH = "0x" + "cd".repeat(32);

    private static String word(String hexNoPrefix) {
        return "0".repeat(64 - hexNoPrefix.length()) + hexNoPrefix;
    }

    /** value 1 ether, queueIndex 948625 (0xe7991), gasLimit 2,000,000 (0x1e8480), data 0x8ef1332e. */
    private static final String DATA = "0x" + word("de0b6b3a7640000") + word("e7991") + word("1e8480") + word("80") + word("4")
            + "8ef1332e" + "0".repeat(56);

    private static Log log(List<String> topics, String data) {
        return new Log(false, "0x3", "0x1", TX_HASH, BLOCK_HASH, "0x12d687", "0x" + "00".repeat(20), data, null, topics);
    }

    @Test
    void decodesScrollsQueueTransaction() {
        assertEquals(TOPIC0, QueueTransactionDecoder.TOPIC0);
        L1MessageQueued m = QueueTransactionDecoder.decode(log(List.of(TOPIC0, SENDER, TARGET), DATA));
        assertEquals(new L1MessageQueued(948625, 1_234_567, BLOCK_HASH, TX_HASH, 3, "0x7885bcbd5cecef1336b5300fb5186a12ddd8c478",
                "0x781e90f1c8fc4611c9b7497c3b47f99ef6969cbc", "1000000000000000000", 2_000_000, "0x8ef1332e"), m);
    }

    @Test
    void gasLimitAboveU64SaturatesLikeTheRustNode() {
        String huge = "0x" + word("de0b6b3a7640000") + word("1") + "f".repeat(64) + word("80") + word("0");
        assertEquals(Long.MAX_VALUE, QueueTransactionDecoder.decode(log(List.of(TOPIC0, SENDER, TARGET), huge)).gasLimit());
    }

    @Test
    void malformedLogsNameTheirPlace() {
        List<Log> bad = List.of(
                log(List.of(TOPIC0), "0x"),
                log(List.of(TOPIC0, "0x" + "ff".repeat(32), TARGET), DATA),
                log(List.of(TOPIC0, SENDER, TARGET), DATA.substring(0, DATA.length() - 64)),
                log(List.of(TOPIC0, SENDER, TARGET), "0x" + word("1") + word("1") + word("1") + word("a0") + word("0")),
                log(List.of(TOPIC0, SENDER, TARGET), "0x" + word("1") + word("1") + word("1") + word("80") + word("ff")));
        for (Log l : bad) {
            L1WatcherException e = assertThrows(L1WatcherException.class, () -> QueueTransactionDecoder.decode(l));
            assertEquals(L1WatcherException.Code.UNDECODABLE_LOG, e.code());
            assertTrue(e.getMessage().contains("L1 block 1234567 tx " + TX_HASH + " log index 3"), e.getMessage());
        }
    }
}
