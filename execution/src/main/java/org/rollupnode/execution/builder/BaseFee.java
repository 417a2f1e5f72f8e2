package org.rollupnode.execution.builder;

import java.math.BigInteger;
import org.rollupnode.execution.block.BlockHeader;

/**
 * Scroll's L2 base fee from Feynman on (scroll-rules.md §5.3): EIP-1559 with elasticity 2 and
 * change denominator 8 applied to (parent base fee - overhead), plus the overhead, capped at 10 gwei.
 */
public final class BaseFee {
    public static final BigInteger MAX = BigInteger.valueOf(10_000_000_000L);
    private static final long ELASTICITY = 2;
    private static final long DENOMINATOR = 8;

    private BaseFee() {}

    public static BigInteger next(BlockHeader parent, BigInteger overhead) {
        BigInteger parentFee = parent.baseFeePerGas() == null ? BigInteger.valueOf(10_000_000L) : parent.baseFeePerGas();
        BigInteger core = parentFee.subtract(overhead).max(BigInteger.ZERO);
        return eip1559(core, parent.gasUsed(), parent.gasLimit()).add(overhead).min(MAX);
    }

    static BigInteger eip1559(BigInteger parentFee, long parentGasUsed, long parentGasLimit) {
        long target = parentGasLimit / ELASTICITY;
        if (target == 0 || parentGasUsed == target) {
            return parentFee;
        }
        if (parentGasUsed > target) {
            BigInteger delta = parentFee.multiply(BigInteger.valueOf(parentGasUsed - target))
                    .divide(BigInteger.valueOf(target)).divide(BigInteger.valueOf(DENOMINATOR));
            return parentFee.add(delta.max(BigInteger.ONE));
        }
        BigInteger delta = parentFee.multiply(BigInteger.valueOf(target - parentGasUsed))
                .divide(BigInteger.valueOf(target)).divide(BigInteger.valueOf(DENOMINATOR));
        return parentFee.subtract(delta).max(BigInteger.ZERO);
    }
}
