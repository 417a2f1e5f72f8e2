package org.rollupnode.execution.evm.gas;

/**
 * The gas prices of a fork, as data. Values are the post-Berlin/London (EIP-2929, EIP-3529)
 * Ethereum schedule used by both Cancun and Scroll's Shanghai-based forks.
 */
public record GasSchedule(
        long warmStorageRead,
        long coldSload,
        long coldAccountAccess,
        long sstoreSet,
        long sstoreReset,
        long sstoreClearsRefund,
        long sstoreSentry,
        long callValueTransfer,
        long callStipend,
        long newAccount,
        long create,
        long codeDepositPerByte,
        long initcodeWord,
        long keccak,
        long keccakWord,
        long copyWord,
        long log,
        long logTopic,
        long logData,
        long expByte,
        long memoryWord,
        long memoryQuadDivisor,
        long selfdestruct,
        long transientStorage,
        long refundQuotient,
        long authorizationBase,
        long perEmptyAccount) {

    public static GasSchedule london() {
        return new GasSchedule(100, 2100, 2600, 20_000, 2_900, 4_800, 2_300, 9_000, 2_300, 25_000, 32_000, 200, 2,
                30, 6, 3, 375, 375, 8, 50, 3, 512, 5_000, 100, 5, 12_500, 25_000);
    }
}
