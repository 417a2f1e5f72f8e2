package org.rollupnode.execution.builder;

import java.util.List;
import org.rollupnode.execution.block.BlockHeader;
import org.rollupnode.execution.state.WorldState;

/** A sealed block: its header, transactions with receipts, and the state after it. */
public record BuiltBlock(BlockHeader header, List<ExecutedTransaction> transactions, WorldState postState) {
    public BuiltBlock {
        transactions = List.copyOf(transactions);
    }
}
