package org.rollupnode.execution.fee;

import java.math.BigInteger;
import java.util.Objects;

/**
 * Scroll's L1 data ("rollup") fee, as pure functions of the signed transaction bytes and the
 * L1GasPriceOracle slots. Integer math follows scroll-revm {@code l1block.rs}: every value is an
 * unsigned 256-bit integer, products and sums saturate at 2^256-1, divisions floor, and the result
 * is capped at 2^64-1 (l2geth computes exactly and applies the same cap; the two only differ past
 * 2^256, far above the cap).
 *
 * <p>{@code encodedTx} is always the EIP-2718 encoding of the <em>signed</em> transaction
 * ({@code type ‖ rlp(payload)} for typed txs, plain RLP for legacy), i.e. the bytes hashed for the
 * tx hash.
 *
 * <p><b>L1 messages (type 0x7E) pay no L1 fee.</b> These functions do not look at the type byte; the
 * caller must not call them for an L1 message (charge 0 instead), as both Scroll clients do.
 */
public final class ScrollL1Fee {
    /** The 1e9 fixed-point precision of the oracle scalars. */
    public static final BigInteger PRECISION = BigInteger.valueOf(1_000_000_000L);
    /** Every L1 fee is capped at u64::MAX. */
    public static final BigInteger MAX_FEE = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private static final BigInteger U256_MAX = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);
    private static final long ZERO_BYTE_COST = 4;
    private static final long NON_ZERO_BYTE_COST = 16;
    /** Pre-Curie commit overhead: 4 assumed non-zero length-prefix bytes × 16 gas. */
    private static final BigInteger TX_L1_COMMIT_EXTRA_COST = BigInteger.valueOf(64);

    private ScrollL1Fee() {}

    /**
     * The fee under the given formula.
     *
     * @param txData the transaction's calldata ({@code input}); only the Feynman formula reads it
     */
    public static BigInteger fee(L1FeeFormula formula, byte[] encodedTx, byte[] txData, OracleSlots s) {
        Objects.requireNonNull(formula, "formula");
        return switch (formula) {
            case PRE_CURIE -> preCurie(encodedTx, s);
            case CURIE -> curie(encodedTx, s);
            case FEYNMAN -> feynman(encodedTx, txData, s);
            case GALILEO -> galileo(encodedTx, s);
        };
    }

    /**
     * Galileo: {@code cs = min(len(zstd(tx)), len(tx))}, {@code feePerByte = execScalar·l1BaseFee +
     * blobScalar·l1BlobBaseFee}, {@code fee = (feePerByte·cs + feePerByte·cs·cs / pf) / 1e9} with
     * {@code pf = penaltyFactor}, or 1 when it is 0.
     */
    public static BigInteger galileo(byte[] encodedTx, OracleSlots s) {
        requireTx(encodedTx);
        return galileoForCompressedSize(ScrollZstd.compressedSize(encodedTx), s);
    }

    /** The Galileo formula for a compressed size already known. */
    public static BigInteger galileoForCompressedSize(long compressedSize, OracleSlots s) {
        Objects.requireNonNull(s, "oracle slots");
        if (compressedSize < 0) {
            throw new IllegalArgumentException("compressed size must not be negative, got " + compressedSize);
        }
        BigInteger cs = BigInteger.valueOf(compressedSize);
        BigInteger pf = s.penaltyFactor().signum() == 0 ? BigInteger.ONE : s.penaltyFactor();
        BigInteger feePerByte = feePerByte(s);
        BigInteger baseTerm = mul(feePerByte, cs);
        BigInteger penaltyTerm = mul(baseTerm, cs).divide(pf);
        return cap(add(baseTerm, penaltyTerm).divide(PRECISION));
    }

    /**
     * Feynman: {@code fee = len(tx) · feePerByte · penalty / 1e9 / 1e9}, where {@code penalty} is 1e9
     * if the compression ratio of the calldata reaches {@code penaltyThreshold}, else
     * {@code penaltyFactor}.
     *
     * @param txData the calldata the compression ratio is computed on (reth issue #356; l2geth
     *               {@code estimateTxCompressionRatio(tx.Data())})
     */
    public static BigInteger feynman(byte[] encodedTx, byte[] txData, OracleSlots s) {
        requireTx(encodedTx);
        Objects.requireNonNull(txData, "txData");
        return feynmanForCompressionRatio(encodedTx.length, ScrollZstd.compressionRatio(txData), s);
    }

    /** The Feynman formula for a compression ratio (scaled by 1e9) already known. */
    public static BigInteger feynmanForCompressionRatio(long txSize, BigInteger compressionRatio, OracleSlots s) {
        Objects.requireNonNull(s, "oracle slots");
        Objects.requireNonNull(compressionRatio, "compressionRatio");
        if (txSize < 0) {
            throw new IllegalArgumentException("tx size must not be negative, got " + txSize);
        }
        if (compressionRatio.compareTo(PRECISION) < 0) {
            throw new IllegalArgumentException("compression ratio must be at least 1e9 (1.0), got " + compressionRatio);
        }
        BigInteger penalty = compressionRatio.compareTo(s.penaltyThreshold()) >= 0 ? PRECISION : s.penaltyFactor();
        BigInteger fee = mul(mul(BigInteger.valueOf(txSize), feePerByte(s)), penalty);
        return cap(fee.divide(PRECISION).divide(PRECISION));
    }

    /**
     * Curie to EuclidV2: {@code fee = (commitScalar·l1BaseFee + len(tx)·l1BlobBaseFee·blobScalar) / 1e9}.
     */
    public static BigInteger curie(byte[] encodedTx, OracleSlots s) {
        requireTx(encodedTx);
        Objects.requireNonNull(s, "oracle slots");
        BigInteger calldataGas = mul(s.commitScalar(), s.l1BaseFee());
        BigInteger blobGas = mul(mul(BigInteger.valueOf(encodedTx.length), s.l1BlobBaseFee()), s.blobScalar());
        return cap(add(calldataGas, blobGas).divide(PRECISION));
    }

    /**
     * Before Curie: {@code dataGas = Σ(4 per zero byte, 16 per other byte) + overhead + 64},
     * {@code fee = dataGas·l1BaseFee·scalar / 1e9}.
     */
    public static BigInteger preCurie(byte[] encodedTx, OracleSlots s) {
        requireTx(encodedTx);
        Objects.requireNonNull(s, "oracle slots");
        long zeros = 0;
        for (byte b : encodedTx) {
            if (b == 0) {
                zeros++;
            }
        }
        long calldataGas = zeros * ZERO_BYTE_COST + (encodedTx.length - zeros) * NON_ZERO_BYTE_COST;
        BigInteger dataGas = add(add(BigInteger.valueOf(calldataGas), s.overhead()), TX_L1_COMMIT_EXTRA_COST);
        return cap(mul(mul(dataGas, s.l1BaseFee()), s.scalar()).divide(PRECISION));
    }

    private static BigInteger feePerByte(OracleSlots s) {
        return add(mul(s.execScalar(), s.l1BaseFee()), mul(s.blobScalar(), s.l1BlobBaseFee()));
    }

    private static BigInteger mul(BigInteger a, BigInteger b) {
        return a.multiply(b).min(U256_MAX);
    }

    private static BigInteger add(BigInteger a, BigInteger b) {
        return a.add(b).min(U256_MAX);
    }

    private static BigInteger cap(BigInteger fee) {
        return fee.min(MAX_FEE);
    }

    private static void requireTx(byte[] encodedTx) {
        Objects.requireNonNull(encodedTx, "encodedTx");
    }
}
