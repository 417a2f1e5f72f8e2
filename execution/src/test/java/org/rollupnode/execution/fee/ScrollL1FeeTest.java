package org.rollupnode.execution.fee;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rollupnode.execution.types.Hex;

class ScrollL1FeeTest {
    private static final BigInteger GWEI = BigInteger.valueOf(1_000_000_000L);
    private static final BigInteger U64_MAX = new BigInteger("18446744073709551615");
    private static final BigInteger U256_MAX = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);

    /** A full signed legacy mainnet tx (reth vector "galileo-mismatch"): 433 bytes, compressed size 301. */
    private static final byte[] MAINNET_TX = Hex.decode("0xf901ae8265f68301d52c8307040d94c9c35e593842c3d5e71304b2291e204583226e2a80b90144412658e5000000000000000000000000000000000000000000000000000000000000002000000000000000000000000000000000000000000000000000000000000000fe0000000000000000000000000000000000000000020027004f00a500d100d500d900dd00ed00fd530000000000000000000000000000000000000406efdbff2a14a7c8e15944d1f4a48f9f95f663a4005300903c813df550a32d4a9d42010d057386429ad2328ed906efdbff2a14a7c8e15944d1f4a48f9f95f663a4530000000000000000000000000000000000000414ffa10b2019d6eb63140ef4b5026c7e049936bfeb00a900bdfeec4e40c170ef3736dc9a29389fb8cd7ed12409ae7bb52a3614ac5b66389d8873a8cb9f45f817c500a900bd000500010000000000000000000000000000187abb94380e0000000000000000000000092f2a085c00000083104ec3a0e3c466f58aa6edab61bd5f2bab117804d6f3cf125a815e53c161c02df8209d09a0267df663ab1cb9a5c85441df5051a7a03623b946a87ff42af694fc21e40f34fb");

    /** scr-transfer calldata (reth vector): 68 bytes, compression ratio 1_387_755_102. */
    private static final byte[] SCR_TRANSFER_CALLDATA = Hex.decode("0xa9059cbb000000000000000000000000687b50a70d33d71f9a82dd330b8c091e4d77250800000000000000000000000000000000000000000000000ac96dda943e512bb9");

    /** The oracle of scroll-revm's test_rollup_fee_galileo. */
    private static OracleSlots revmGalileo() {
        return slots(GWEI, 0, 0, GWEI, 2394981796L, 1019097245L, 0, 10000);
    }

    private static OracleSlots slots(BigInteger l1BaseFee, long overhead, long scalar, BigInteger l1BlobBaseFee,
            long commitScalar, long blobScalar, long penaltyThreshold, long penaltyFactor) {
        return new OracleSlots(l1BaseFee, BigInteger.valueOf(overhead), BigInteger.valueOf(scalar), l1BlobBaseFee,
                BigInteger.valueOf(commitScalar), BigInteger.valueOf(blobScalar), BigInteger.ZERO,
                BigInteger.valueOf(penaltyThreshold), BigInteger.valueOf(penaltyFactor), BigInteger.ZERO, BigInteger.ZERO);
    }

    // scroll-rules.md §5.2 table = scroll-revm l1block.rs test_rollup_fee_galileo.
    @ParameterizedTest(name = "cs={0}")
    @CsvSource({
        "50, 171557471810",
        "100, 344821983141",
        "1024, 3854009072433",
        "10240, 70759382824796",
        "1048576, 378961881717079120",
    })
    void galileoMatchesScrollRevmVectors(long compressedSize, String expected) {
        assertEquals(new BigInteger(expected), ScrollL1Fee.galileoForCompressedSize(compressedSize, revmGalileo()));
    }

    @Test
    void galileoOfARealSignedTxCompressesItFirst() {
        // cs = 301 (scroll-reth's compressed size for this tx).
        // feePerByte = 2394981796·1e9 + 1019097245·1e9 = 3_414_079_041_000_000_000
        // base       = 3_414_079_041_000_000_000 · 301 = 1_027_637_791_341_000_000_000
        // penalty    = base · 301 / 10000 = 309_318_975_193_641_000_000_000 / 10000 = 30_931_897_519_364_100_000
        // fee        = (1_027_637_791_341_000_000_000 + 30_931_897_519_364_100_000) / 1e9
        //            = 1_058_569_688_860_364_100_000 / 1e9 = 1_058_569_688_860 (floor)
        assertEquals(new BigInteger("1058569688860"), ScrollL1Fee.galileo(MAINNET_TX, revmGalileo()));
    }

    @Test
    void galileoTreatsAZeroPenaltyFactorAsOne() {
        // pf = 0 → 1: fee = (fpb·cs + fpb·cs·cs) / 1e9 with fpb = 3·1e9 + 0 = 3e9, cs = 10
        //   = (30e9 + 300e9) / 1e9 = 330
        OracleSlots s = slots(GWEI, 0, 0, GWEI, 3, 0, 0, 0);
        assertEquals(BigInteger.valueOf(330), ScrollL1Fee.galileoForCompressedSize(10, s));
    }

    @Test
    void feynmanMatchesL2gethVectors() {
        // l2geth rollup_fee_test.go TestL1DataFeeFeynman: 100-byte tx, exec 10, blob 20, both fees 1 gwei,
        // threshold 6e9, factor 2e9. fpb = 10e9 + 20e9 = 30e9.
        OracleSlots s = slots(GWEI, 0, 0, GWEI, 10, 20, 6_000_000_000L, 2_000_000_000L);
        // ratio 6e9 ≥ threshold → penalty 1e9: 30e9 · 100 · 1e9 / 1e9 / 1e9 = 3000
        assertEquals(BigInteger.valueOf(3000),
                ScrollL1Fee.feynmanForCompressionRatio(100, BigInteger.valueOf(6_000_000_000L), s));
        // ratio 5e9 < threshold → penalty 2e9: 30e9 · 100 · 2e9 / 1e9 / 1e9 = 6000
        assertEquals(BigInteger.valueOf(6000),
                ScrollL1Fee.feynmanForCompressionRatio(100, BigInteger.valueOf(5_000_000_000L), s));
    }

    @Test
    void feynmanTakesTheRatioOfTheCalldataAndTheSizeOfTheTx() {
        byte[] tx = new byte[200]; // only its length matters to the Feynman formula
        // calldata ratio = 1_387_755_102 (scroll-reth vector). fpb = 30e9 as above.
        // threshold 1.3e9 ≤ ratio → penalty 1e9: 30e9 · 200 · 1e9 / 1e18 = 6000
        OracleSlots noPenalty = slots(GWEI, 0, 0, GWEI, 10, 20, 1_300_000_000L, 3_000_000_000L);
        assertEquals(BigInteger.valueOf(6000), ScrollL1Fee.feynman(tx, SCR_TRANSFER_CALLDATA, noPenalty));
        // threshold 1.4e9 > ratio → penalty 3e9: 30e9 · 200 · 3e9 / 1e18 = 18000
        OracleSlots penalty = slots(GWEI, 0, 0, GWEI, 10, 20, 1_400_000_000L, 3_000_000_000L);
        assertEquals(BigInteger.valueOf(18000), ScrollL1Fee.feynman(tx, SCR_TRANSFER_CALLDATA, penalty));
        // Empty calldata has ratio 2^256-1, which reaches any threshold: no penalty.
        OracleSlots maxThreshold = new OracleSlots(GWEI, BigInteger.ZERO, BigInteger.ZERO, GWEI, BigInteger.TEN,
                BigInteger.valueOf(20), BigInteger.ZERO, U256_MAX, BigInteger.valueOf(3_000_000_000L), BigInteger.ZERO,
                BigInteger.ZERO);
        assertEquals(BigInteger.valueOf(6000), ScrollL1Fee.feynman(tx, new byte[0], maxThreshold));
    }

    @Test
    void feynmanRejectsARatioBelowOne() {
        assertThrows(IllegalArgumentException.class, () -> ScrollL1Fee.feynmanForCompressionRatio(10,
                BigInteger.valueOf(999_999_999L), revmGalileo()));
    }

    @Test
    void curieMatchesL2gethVector() {
        // l2geth TestL1DataFeeAfterCurie: data [0,10,1,0], l1BaseFee 1.5e9, blob fee 1.5e8, both scalars 10.
        // commitScalar·l1BaseFee = 10·1.5e9 = 15e9; len·blobFee·blobScalar = 4·1.5e8·10 = 6e9;
        // (15e9 + 6e9) / 1e9 = 21
        OracleSlots s = slots(BigInteger.valueOf(1_500_000_000L), 0, 0, BigInteger.valueOf(150_000_000L), 10, 10, 0, 0);
        assertEquals(BigInteger.valueOf(21), ScrollL1Fee.curie(new byte[] {0, 10, 1, 0}, s));
    }

    @Test
    void curieWithMainnetScaleInputs() {
        // 433-byte tx, l1BaseFee 20 gwei, blob fee 1 wei, commitScalar 230_759_955_285, blobScalar 417_565_260:
        // commit part = 230_759_955_285 · 20_000_000_000 = 4_615_199_105_700_000_000_000
        // blob part   = 433 · 1 · 417_565_260 = 180_805_757_580
        // fee = (4_615_199_105_700_000_000_000 + 180_805_757_580) / 1e9
        //     = 4_615_199_105_880_805_757_580 / 1e9 = 4_615_199_105_880 (floor)
        OracleSlots s = slots(BigInteger.valueOf(20_000_000_000L), 0, 0, BigInteger.ONE, 230_759_955_285L, 417_565_260L,
                0, 0);
        assertEquals(new BigInteger("4615199105880"), ScrollL1Fee.curie(MAINNET_TX, s));
    }

    @Test
    void preCurieMatchesL2gethVector() {
        // l2geth TestL1DataFeeBeforeCurie: data [0,10,1,0], l1BaseFee 15e6, overhead 100, scalar 10.
        // dataGas = 2 zero·4 + 2 non-zero·16 + 100 + 64 = 204; 204 · 15e6 · 10 / 1e9 = 30.6 → 30
        OracleSlots s = slots(BigInteger.valueOf(15_000_000L), 100, 10, BigInteger.ZERO, 0, 0, 0, 0);
        assertEquals(BigInteger.valueOf(30), ScrollL1Fee.preCurie(new byte[] {0, 10, 1, 0}, s));
    }

    @Test
    void feesAreCappedAtU64Max() {
        // Galileo, cs = 1, pf = 2^255 (penalty term 0), exec 1, blob 0: fee = l1BaseFee / 1e9.
        BigInteger hugePf = BigInteger.ONE.shiftLeft(255);
        BigInteger atCap = U64_MAX.multiply(GWEI);            // fee = 2^64-1 exactly: not capped
        BigInteger overCap = U64_MAX.add(BigInteger.ONE).multiply(GWEI); // fee = 2^64: capped
        assertEquals(U64_MAX, ScrollL1Fee.galileoForCompressedSize(1, galileoSlots(atCap, hugePf)));
        assertEquals(U64_MAX, ScrollL1Fee.galileoForCompressedSize(1, galileoSlots(overCap, hugePf)));
        assertEquals(U64_MAX.subtract(BigInteger.ONE),
                ScrollL1Fee.galileoForCompressedSize(1, galileoSlots(atCap.subtract(GWEI), hugePf)));

        // Every formula saturates instead of overflowing and then caps.
        OracleSlots max = new OracleSlots(U256_MAX, U256_MAX, U256_MAX, U256_MAX, U256_MAX, U256_MAX, BigInteger.ONE,
                BigInteger.ZERO, U256_MAX, BigInteger.ONE, BigInteger.ONE);
        for (L1FeeFormula f : L1FeeFormula.values()) {
            assertEquals(U64_MAX, ScrollL1Fee.fee(f, MAINNET_TX, SCR_TRANSFER_CALLDATA, max), f.name());
        }
    }

    private static OracleSlots galileoSlots(BigInteger l1BaseFee, BigInteger penaltyFactor) {
        return new OracleSlots(l1BaseFee, BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO, BigInteger.ONE,
                BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO, penaltyFactor, BigInteger.ZERO, BigInteger.ZERO);
    }

    @Test
    void formulaIsChosenByTheActiveForks() {
        assertEquals(L1FeeFormula.PRE_CURIE, L1FeeFormula.forForks(false, false, false));
        assertEquals(L1FeeFormula.CURIE, L1FeeFormula.forForks(true, false, false));
        assertEquals(L1FeeFormula.FEYNMAN, L1FeeFormula.forForks(true, true, false));
        assertEquals(L1FeeFormula.GALILEO, L1FeeFormula.forForks(true, true, true));
    }

    @Test
    void dispatchReachesEachFormula() {
        // Same inputs as the single-formula tests above.
        byte[] data = {0, 10, 1, 0};
        OracleSlots preCurie = slots(BigInteger.valueOf(15_000_000L), 100, 10, BigInteger.ZERO, 0, 0, 0, 0);
        assertEquals(BigInteger.valueOf(30), ScrollL1Fee.fee(L1FeeFormula.PRE_CURIE, data, data, preCurie));
        OracleSlots curie = slots(BigInteger.valueOf(1_500_000_000L), 0, 0, BigInteger.valueOf(150_000_000L), 10, 10, 0, 0);
        assertEquals(BigInteger.valueOf(21), ScrollL1Fee.fee(L1FeeFormula.CURIE, data, data, curie));
        OracleSlots feynman = slots(GWEI, 0, 0, GWEI, 10, 20, 1_300_000_000L, 3_000_000_000L);
        assertEquals(BigInteger.valueOf(6000),
                ScrollL1Fee.fee(L1FeeFormula.FEYNMAN, new byte[200], SCR_TRANSFER_CALLDATA, feynman));
        assertEquals(new BigInteger("1058569688860"),
                ScrollL1Fee.fee(L1FeeFormula.GALILEO, MAINNET_TX, new byte[0], revmGalileo()));
    }

    @Test
    void badInputIsRejectedClearly() {
        assertThrows(NullPointerException.class, () -> ScrollL1Fee.galileo(null, revmGalileo()));
        assertThrows(NullPointerException.class, () -> ScrollL1Fee.galileo(MAINNET_TX, null));
        assertThrows(IllegalArgumentException.class, () -> ScrollL1Fee.galileoForCompressedSize(-1, revmGalileo()));
    }
}
