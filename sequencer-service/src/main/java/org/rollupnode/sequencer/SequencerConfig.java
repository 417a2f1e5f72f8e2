package org.rollupnode.sequencer;

import java.time.Duration;
import org.rollupnode.execution.types.Address;

/**
 * Settings of the sequencer-service, one field per {@code --sequencer.*} flag.
 *
 * @param gasLimit block gas limit; null means the chain spec's default
 * @param stateDir where the world state is cached (RocksDB, {@code <datadir>/state}); null keeps it in memory only
 */
public record SequencerConfig(
        boolean enabled,
        boolean autoStart,
        Duration blockTime,
        Duration payloadBuildingDuration,
        boolean allowEmptyBlocks,
        Address feeRecipient,
        InclusionMode l1InclusionMode,
        Integer maxL1Messages,
        Long gasLimit,
        String sequencerId,
        int maxPoolTransactions,
        int maxTransactionsPerSender,
        java.nio.file.Path stateDir) {

    public static final int DEFAULT_MAX_POOL_TRANSACTIONS = 50_000;
    public static final int DEFAULT_MAX_TRANSACTIONS_PER_SENDER = 256;

    public SequencerConfig(boolean enabled, boolean autoStart, Duration blockTime, Duration payloadBuildingDuration,
                           boolean allowEmptyBlocks, Address feeRecipient, InclusionMode l1InclusionMode, Integer maxL1Messages,
                           Long gasLimit, String sequencerId) {
        this(enabled, autoStart, blockTime, payloadBuildingDuration, allowEmptyBlocks, feeRecipient, l1InclusionMode, maxL1Messages,
                gasLimit, sequencerId, DEFAULT_MAX_POOL_TRANSACTIONS, DEFAULT_MAX_TRANSACTIONS_PER_SENDER);
    }

    public SequencerConfig(boolean enabled, boolean autoStart, Duration blockTime, Duration payloadBuildingDuration,
                           boolean allowEmptyBlocks, Address feeRecipient, InclusionMode l1InclusionMode, Integer maxL1Messages,
                           Long gasLimit, String sequencerId, int maxPoolTransactions, int maxTransactionsPerSender) {
        this(enabled, autoStart, blockTime, payloadBuildingDuration, allowEmptyBlocks, feeRecipient, l1InclusionMode, maxL1Messages,
                gasLimit, sequencerId, maxPoolTransactions, maxTransactionsPerSender, null);
    }

    public SequencerConfig withStateDir(java.nio.file.Path dir) {
        return new SequencerConfig(enabled, autoStart, blockTime, payloadBuildingDuration, allowEmptyBlocks, feeRecipient, l1InclusionMode,
                maxL1Messages, gasLimit, sequencerId, maxPoolTransactions, maxTransactionsPerSender, dir);
    }

    public SequencerConfig {
        if (blockTime.isZero() || blockTime.isNegative()) {
            throw new IllegalArgumentException("--sequencer.block-time must be positive");
        }
        if (payloadBuildingDuration.compareTo(blockTime) >= 0) {
            throw new IllegalArgumentException("--sequencer.payload-building-duration (" + payloadBuildingDuration.toMillis()
                    + " ms) must be below --sequencer.block-time (" + blockTime.toMillis() + " ms)");
        }
    }
}
