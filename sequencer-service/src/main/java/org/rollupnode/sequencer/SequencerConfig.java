package org.rollupnode.sequencer;

import java.time.Duration;
import org.rollupnode.execution.types.Address;

/**
 * Settings of the sequencer-service, one field per {@code --sequencer.*} flag.
 *
 * @param gasLimit block gas limit; null means the chain spec's default
 * @param maxUnsignedBlocks most built blocks that may wait for a signature before the leader holds
 *                          building (see {@link BuildGate}); 0 never holds
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
        int maxUnsignedBlocks,
        java.nio.file.Path stateDir) {

    public static final int DEFAULT_MAX_POOL_TRANSACTIONS = 50_000;
    public static final int DEFAULT_MAX_TRANSACTIONS_PER_SENDER = 256;
    /** About a minute of blocks at the default block time: rides out KMS retries and a signer restart. */
    public static final int DEFAULT_MAX_UNSIGNED_BLOCKS = 64;

    public SequencerConfig(boolean enabled, boolean autoStart, Duration blockTime, Duration payloadBuildingDuration,
                           boolean allowEmptyBlocks, Address feeRecipient, InclusionMode l1InclusionMode, Integer maxL1Messages,
                           Long gasLimit, String sequencerId) {
        this(enabled, autoStart, blockTime, payloadBuildingDuration, allowEmptyBlocks, feeRecipient, l1InclusionMode, maxL1Messages,
                gasLimit, sequencerId, DEFAULT_MAX_POOL_TRANSACTIONS, DEFAULT_MAX_TRANSACTIONS_PER_SENDER, DEFAULT_MAX_UNSIGNED_BLOCKS, null);
    }

    public SequencerConfig(boolean enabled, boolean autoStart, Duration blockTime, Duration payloadBuildingDuration,
                           boolean allowEmptyBlocks, Address feeRecipient, InclusionMode l1InclusionMode, Integer maxL1Messages,
                           Long gasLimit, String sequencerId, int maxPoolTransactions, int maxTransactionsPerSender) {
        this(enabled, autoStart, blockTime, payloadBuildingDuration, allowEmptyBlocks, feeRecipient, l1InclusionMode, maxL1Messages,
                gasLimit, sequencerId, maxPoolTransactions, maxTransactionsPerSender, DEFAULT_MAX_UNSIGNED_BLOCKS, null);
    }

    public SequencerConfig(boolean enabled, boolean autoStart, Duration blockTime, Duration payloadBuildingDuration,
                           boolean allowEmptyBlocks, Address feeRecipient, InclusionMode l1InclusionMode, Integer maxL1Messages,
                           Long gasLimit, String sequencerId, int maxPoolTransactions, int maxTransactionsPerSender,
                           int maxUnsignedBlocks) {
        this(enabled, autoStart, blockTime, payloadBuildingDuration, allowEmptyBlocks, feeRecipient, l1InclusionMode, maxL1Messages,
                gasLimit, sequencerId, maxPoolTransactions, maxTransactionsPerSender, maxUnsignedBlocks, null);
    }

    public SequencerConfig withStateDir(java.nio.file.Path dir) {
        return new SequencerConfig(enabled, autoStart, blockTime, payloadBuildingDuration, allowEmptyBlocks, feeRecipient, l1InclusionMode,
                maxL1Messages, gasLimit, sequencerId, maxPoolTransactions, maxTransactionsPerSender, maxUnsignedBlocks, dir);
    }

    public SequencerConfig {
        if (blockTime.isZero() || blockTime.isNegative()) {
            throw new IllegalArgumentException("--sequencer.block-time must be positive");
        }
        if (payloadBuildingDuration.compareTo(blockTime) >= 0) {
            throw new IllegalArgumentException("--sequencer.payload-building-duration (" + payloadBuildingDuration.toMillis()
                    + " ms) must be below --sequencer.block-time (" + blockTime.toMillis() + " ms)");
        }
        if (maxUnsignedBlocks < 0) {
            throw new IllegalArgumentException("--sequencer.max-unsigned-blocks must be 0 (no limit) or positive, got " + maxUnsignedBlocks);
        }
    }
}
