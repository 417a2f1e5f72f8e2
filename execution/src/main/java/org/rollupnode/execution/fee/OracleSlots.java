package org.rollupnode.execution.fee;

import java.math.BigInteger;
import java.util.Objects;
import java.util.function.Function;
import org.rollupnode.execution.types.Address;
import org.rollupnode.execution.types.Hash32;

/**
 * The storage words of Scroll's L1GasPriceOracle ({@code 0x5300…0002}) that the L1 data fee reads,
 * as unsigned 256-bit integers. Slot layout from scroll-revm {@code l1block.rs} and l2geth
 * {@code rollup/rcfg}: 1 l1BaseFee, 2 overhead, 3 scalar, 5 l1BlobBaseFee, 6 commitScalar (the
 * exec scalar from Feynman on), 7 blobScalar, 8 isCurie, 9 penaltyThreshold, 10 penaltyFactor,
 * 11 isFeynman, 12 isGalileo. Slot 0 (owner) and 4 (whitelist) are not fee inputs.
 *
 * <p>The is* flags are informational: the formula is chosen by the fork active for the block
 * (see {@link L1FeeFormula}), as both Scroll clients do. On the dev chain the flags are 0 while
 * Feynman/Galileo are active from genesis.
 */
public record OracleSlots(
        BigInteger l1BaseFee,
        BigInteger overhead,
        BigInteger scalar,
        BigInteger l1BlobBaseFee,
        BigInteger commitScalar,
        BigInteger blobScalar,
        BigInteger isCurie,
        BigInteger penaltyThreshold,
        BigInteger penaltyFactor,
        BigInteger isFeynman,
        BigInteger isGalileo) {

    public static final Address L1_GAS_PRICE_ORACLE = Address.fromHex("0x5300000000000000000000000000000000000002");

    public static final int L1_BASE_FEE_SLOT = 1;
    public static final int OVERHEAD_SLOT = 2;
    public static final int SCALAR_SLOT = 3;
    public static final int L1_BLOB_BASE_FEE_SLOT = 5;
    public static final int COMMIT_SCALAR_SLOT = 6;
    public static final int BLOB_SCALAR_SLOT = 7;
    public static final int IS_CURIE_SLOT = 8;
    public static final int PENALTY_THRESHOLD_SLOT = 9;
    public static final int PENALTY_FACTOR_SLOT = 10;
    public static final int IS_FEYNMAN_SLOT = 11;
    public static final int IS_GALILEO_SLOT = 12;

    private static final BigInteger U256_MAX = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);

    public OracleSlots {
        l1BaseFee = word("l1BaseFee", l1BaseFee);
        overhead = word("overhead", overhead);
        scalar = word("scalar", scalar);
        l1BlobBaseFee = word("l1BlobBaseFee", l1BlobBaseFee);
        commitScalar = word("commitScalar", commitScalar);
        blobScalar = word("blobScalar", blobScalar);
        isCurie = word("isCurie", isCurie);
        penaltyThreshold = word("penaltyThreshold", penaltyThreshold);
        penaltyFactor = word("penaltyFactor", penaltyFactor);
        isFeynman = word("isFeynman", isFeynman);
        isGalileo = word("isGalileo", isGalileo);
    }

    /**
     * Reads slots 1..12 of the oracle.
     *
     * @param storageAt the oracle's storage at the current state (slot key → 32-byte word); an unset
     *                  slot may be returned as {@code null} or {@link Hash32#ZERO}
     */
    public static OracleSlots read(Function<Hash32, Hash32> storageAt) {
        Objects.requireNonNull(storageAt, "storageAt");
        return new OracleSlots(
                slot(storageAt, L1_BASE_FEE_SLOT),
                slot(storageAt, OVERHEAD_SLOT),
                slot(storageAt, SCALAR_SLOT),
                slot(storageAt, L1_BLOB_BASE_FEE_SLOT),
                slot(storageAt, COMMIT_SCALAR_SLOT),
                slot(storageAt, BLOB_SCALAR_SLOT),
                slot(storageAt, IS_CURIE_SLOT),
                slot(storageAt, PENALTY_THRESHOLD_SLOT),
                slot(storageAt, PENALTY_FACTOR_SLOT),
                slot(storageAt, IS_FEYNMAN_SLOT),
                slot(storageAt, IS_GALILEO_SLOT));
    }

    /** The storage key of oracle slot {@code n}. */
    public static Hash32 slotKey(int n) {
        byte[] key = new byte[Hash32.LENGTH];
        key[28] = (byte) (n >>> 24);
        key[29] = (byte) (n >>> 16);
        key[30] = (byte) (n >>> 8);
        key[31] = (byte) n;
        return Hash32.wrap(key);
    }

    /** Slot 6 holds the commit scalar before Feynman and the exec scalar from Feynman on. */
    public BigInteger execScalar() {
        return commitScalar;
    }

    private static BigInteger slot(Function<Hash32, Hash32> storageAt, int n) {
        Hash32 value = storageAt.apply(slotKey(n));
        return value == null ? BigInteger.ZERO : new BigInteger(1, value.unsafeBytes());
    }

    private static BigInteger word(String name, BigInteger v) {
        Objects.requireNonNull(v, name);
        if (v.signum() < 0 || v.compareTo(U256_MAX) > 0) {
            throw new IllegalArgumentException("oracle slot " + name + " must be an unsigned 256-bit value, got " + v);
        }
        return v;
    }
}
