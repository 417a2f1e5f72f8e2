package org.rollupnode.chain;

import java.util.LinkedHashMap;
import java.util.Map;
import org.rollupnode.execution.builder.BuiltBlock;
import org.rollupnode.execution.types.Hash32;

/**
 * Blocks this process has just executed, by block hash, for other readers in the same process.
 *
 * <p>When the sequencer and an rpc-gateway run in one JVM (the all-in-one node), the gateway
 * would otherwise re-execute every block the sequencer built a moment before: the same pure
 * function on the same inputs, a second time. A block hash commits to the parent hash, the state
 * root, the transactions root and the receipts root, so a block found here under the hash a signed
 * payload claims is exactly what re-executing that payload on that parent must produce; the
 * reader still checks the signature and the header fields the folder checks before execution, but
 * neither decodes the payload's transactions nor executes them again: its served block is the one
 * the hash names. ({@code --gateway.reexecute-own-blocks} turns this off for a full check.)
 * Separate processes (replicas, {@code rollup-node replay}) never share it and always re-execute.
 *
 * <p>Bounded: a reader that falls further behind than {@code capacity} blocks re-executes.
 */
public final class ExecutedBlocks {
    private final int capacity;
    private final Map<Hash32, BuiltBlock> blocks;

    public ExecutedBlocks(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        this.capacity = capacity;
        this.blocks = new LinkedHashMap<>(capacity * 2, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Hash32, BuiltBlock> eldest) {
                return size() > ExecutedBlocks.this.capacity;
            }
        };
    }

    /** Records a block this process built and sealed (keyed by its own header's hash). */
    public synchronized void put(BuiltBlock block) {
        blocks.put(block.header().hash(), block);
    }

    /** The executed block with this hash, or null. */
    public synchronized BuiltBlock get(Hash32 hash) {
        return blocks.get(hash);
    }

    public synchronized int size() {
        return blocks.size();
    }
}
