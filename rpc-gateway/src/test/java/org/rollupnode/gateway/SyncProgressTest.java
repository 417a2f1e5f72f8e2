package org.rollupnode.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SyncProgressTest {
    @Test
    void answersEthSyncingWithHexQuantities() {
        assertEquals(Map.of("startingBlock", "0x0", "currentBlock", "0xff", "highestBlock", "0x190"),
                new SyncProgress(0, 255, 400).toRpc());
    }

    @Test
    void refusesAnOrderThatWouldConfuseClients() {
        assertThrows(IllegalArgumentException.class, () -> new SyncProgress(5, 4, 10));
        assertThrows(IllegalArgumentException.class, () -> new SyncProgress(0, 11, 10));
    }
}
