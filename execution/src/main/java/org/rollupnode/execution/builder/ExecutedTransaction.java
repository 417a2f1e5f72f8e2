package org.rollupnode.execution.builder;

import java.math.BigInteger;
import org.rollupnode.execution.block.Receipt;
import org.rollupnode.execution.tx.Transaction;

/** A transaction as included in a block, with what RPC receipts report about it. */
public record ExecutedTransaction(Transaction transaction, Receipt receipt, long gasUsed, BigInteger effectiveGasPrice,
                                  BigInteger l1Fee, int index) {}
