package org.rollupnode.gateway;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a catching-up chain view stands: the head it started from, the head it serves now, and the
 * height of the last record in {@code signed-blocks} (its target). Never highest below current.
 */
public record SyncProgress(long startingBlock, long currentBlock, long highestBlock) {
    public SyncProgress {
        if (startingBlock > currentBlock || currentBlock > highestBlock) {
            throw new IllegalArgumentException("expected startingBlock <= currentBlock <= highestBlock, got "
                    + startingBlock + ", " + currentBlock + ", " + highestBlock);
        }
    }

    /** {@code eth_syncing}'s object, as geth and reth answer it: hex quantities. */
    public Map<String, Object> toRpc() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("startingBlock", Quantity.hex(startingBlock));
        m.put("currentBlock", Quantity.hex(currentBlock));
        m.put("highestBlock", Quantity.hex(highestBlock));
        return m;
    }
}
