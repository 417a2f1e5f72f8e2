package org.rollupnode.execution.fee;

/**
 * Which L1 data fee formula a block uses. It follows the fork active for the block (scroll-revm
 * {@code ScrollSpecId}, l2geth {@code config.IsCurie(number) / IsFeynman(time) / IsGalileo(time)}),
 * not the oracle's is* flags. Galileo's formula starts at Galileo phase 1 (mainnet ts 1765868400);
 * GalileoV2 keeps it.
 */
public enum L1FeeFormula {
    /** Archimedes, Bernoulli: calldata-gas formula with overhead and scalar. */
    PRE_CURIE,
    /** Curie, Darwin, DarwinV2, Euclid, EuclidV2: commit scalar plus blob component. */
    CURIE,
    /** Feynman: full tx size with a compression-ratio penalty (ratio of the calldata). */
    FEYNMAN,
    /** Galileo and later: compressed size of the full signed tx with a size penalty. */
    GALILEO;

    /** The formula for the forks active at a block; each later fork implies the earlier ones. */
    public static L1FeeFormula forForks(boolean curieActive, boolean feynmanActive, boolean galileoActive) {
        if (galileoActive) {
            return GALILEO;
        }
        if (feynmanActive) {
            return FEYNMAN;
        }
        return curieActive ? CURIE : PRE_CURIE;
    }
}
