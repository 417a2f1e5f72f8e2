package org.rollupnode.execution.evm;

import java.math.BigInteger;
import java.util.List;
import org.rollupnode.execution.block.Log;
import org.rollupnode.execution.types.Address;

/**
 * What executing one valid transaction produced. Its state changes are already in the overlay
 * passed to {@link TransactionProcessor#process}.
 *
 * @param contractAddress the created contract for a successful creation, else null
 * @param halt            the top frame's exceptional halt, null on success or revert
 */
public record TransactionResult(boolean success, long gasUsed, List<Log> logs, byte[] output, Address contractAddress,
                                BigInteger effectiveGasPrice, BigInteger l1Fee, ExceptionalHalt halt, boolean reverted) {
    public TransactionResult {
        logs = List.copyOf(logs);
    }
}
