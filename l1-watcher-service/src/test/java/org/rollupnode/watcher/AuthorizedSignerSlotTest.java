package org.rollupnode.watcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import org.junit.jupiter.api.Test;

class AuthorizedSignerSlotTest {
    @Test
    void theSignerIsTheLow20BytesOfTheWord() {
        // The Scroll mainnet signer as an eth_getStorageAt word: 12 zero bytes then the address.
        assertEquals("0xd83c4892bb5aa241b63d8c4c134920111e142a20",
                AuthorizedSignerSlot.decode("0x000000000000000000000000D83C4892BB5aA241B63d8C4C134920111E142A20"));
        // Dirty upper bytes are dropped, as address(uint160(word)) does.
        assertEquals("0x" + "11".repeat(20), AuthorizedSignerSlot.decode("0x" + "ff".repeat(12) + "11".repeat(20)));
    }

    @Test
    void shortWordsAreLeftPaddedAndAnEmptySlotIsTheZeroAddress() {
        assertEquals("0x" + "0".repeat(40), AuthorizedSignerSlot.decode("0x0"));
        assertEquals("0x" + "0".repeat(36) + "beef", AuthorizedSignerSlot.decode("0xbeef"));
        assertEquals("0x" + "0".repeat(40), AuthorizedSignerSlot.decode("0x" + "0".repeat(64)));
    }

    @Test
    void anythingElseIsAClearError() {
        for (String bad : new String[] {null, "", "0x", "12", "0xzz", "0x" + "1".repeat(65)}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AuthorizedSignerSlot.decode(bad), bad);
            assertTrue(e.getMessage().contains("0x67"), e.getMessage());
        }
    }

    @Test
    void theSystemConfigIsKnownForMainnetAndSepoliaOnlyAndAFlagValueIsChecked() {
        assertEquals("0x8432728a257646449245558b8b7dbe51a16c7a4d", L1WatcherConfig.defaultSystemConfig("scroll-mainnet"));
        assertEquals("0xc706ba9fa4fedf4507cb7a898b4766c1bbf9be57", L1WatcherConfig.defaultSystemConfig("scroll-sepolia"));
        assertNull(L1WatcherConfig.defaultSystemConfig("dev"));
        L1WatcherConfig c = L1WatcherConfig.defaults(URI.create("http://l1:8545"), "0x" + "56".repeat(20));
        assertNull(c.systemConfigAddress());
        assertEquals("0x" + "ab".repeat(20), c.withSystemConfig("0x" + "AB".repeat(20)).systemConfigAddress());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> c.withSystemConfig("0x1234")).getMessage().contains("system config"));
    }
}
