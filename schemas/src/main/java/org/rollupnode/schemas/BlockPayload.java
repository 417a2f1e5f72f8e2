package org.rollupnode.schemas;

import java.util.List;

/**
 * Everything needed to re-execute block {@code number} on the state after its parent, plus the
 * header the sequencer obtained. Any reader can rebuild the header from these fields and check
 * its hash; replay re-executes the transactions and checks the roots.
 *
 * <p>Quantities that may exceed 64 bits (base fee, difficulty) are decimal strings, so JSON
 * readers in any language keep them exact. Byte strings are 0x-prefixed lowercase hex.
 */
public record BlockPayload(
        long number,
        String hash,
        String parentHash,
        long timestamp,
        String feeRecipient,
        String baseFeePerGas,
        long gasLimit,
        long gasUsed,
        String stateRoot,
        String transactionsRoot,
        String receiptsRoot,
        String logsBloom,
        String extraData,
        String difficulty,
        String mixHash,
        List<String> transactions,
        long l1MessagesIncluded,
        long nextL1QueueIndex,
        String sequencerId,
        long builtAtMillis,
        long buildMillis)
        implements SequencerStreamEvent {

    public BlockPayload {
        transactions = List.copyOf(transactions);
    }
}
