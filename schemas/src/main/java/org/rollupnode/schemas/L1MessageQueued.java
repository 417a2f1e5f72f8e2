package org.rollupnode.schemas;

/**
 * One {@code QueueTransaction} event of the L1 message queue: the fields of the future L2
 * transaction of type 0x7E plus where it was seen on L1.
 *
 * @param value    wei, decimal string (uint256)
 * @param gasLimit the event's uint256 gas limit, saturated to {@link Long#MAX_VALUE} as the Rust
 *                 node saturates it to u64 (the queue contract caps it far below either)
 * @param data     calldata of the L2 transaction, 0x-prefixed lower-case hex ("0x" when empty)
 */
public record L1MessageQueued(
        long queueIndex,
        long l1BlockNumber,
        String l1BlockHash,
        String l1TxHash,
        long logIndex,
        String sender,
        String target,
        String value,
        long gasLimit,
        String data) implements L1Event {}
