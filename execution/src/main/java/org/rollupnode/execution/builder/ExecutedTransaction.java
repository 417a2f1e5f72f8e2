package org.rollupnode.execution.builder;

import java.math.BigInteger;
import java.util.List;
import org.rollupnode.execution.block.Log;
import org.rollupnode.execution.block.Receipt;
import org.rollupnode.execution.tx.Transaction;
import org.rollupnode.execution.types.Address;

/**
 * A transaction as included in a block, with what RPC receipts report about it.
 *
 * @param contractAddress the contract a successful creation deployed, else null
 */
public record ExecutedTransaction(Transaction transaction, Receipt receipt, long gasUsed, BigInteger effectiveGasPrice,
                                  BigInteger l1Fee, int index, Address contractAddress) {

    /** The logs the transaction emitted (empty when it failed). */
    public List<Log> logs() {
        return receipt.logs();
    }
}
