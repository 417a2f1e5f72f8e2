/**
 * Scroll's L1 data ("rollup") fee as pure functions.
 *
 * <p>Use from transaction execution, for every transaction that is <b>not</b> an L1 message
 * (type 0x7E pays no L1 fee; charge 0 without calling in here):
 *
 * <pre>{@code
 * OracleSlots slots = OracleSlots.read(key -> state.storage(OracleSlots.L1_GAS_PRICE_ORACLE, key));
 * L1FeeFormula formula = L1FeeFormula.forForks(curieActive, feynmanActive, galileoActive);
 * BigInteger l1Fee = ScrollL1Fee.fee(formula, tx.encoded2718(), tx.data(), slots);
 * }</pre>
 *
 * <p>Read the slots from the state as it is just before the transaction, so an oracle update
 * earlier in the same block is seen. The result is at most 2^64-1. Facts and sources:
 * scroll-rules.md §5.2; the zstd settings are in {@link org.rollupnode.execution.fee.ScrollZstd}.
 */
package org.rollupnode.execution.fee;
