package org.rollupnode.schemas;

/**
 * A {@link SequencerRevert} as the signer applied it: after this record the signer signs blocks
 * from {@code revert.revertToNumber() + 1} again, and gateways truncate their chain to that height.
 *
 * @param revert       the record exactly as read from the sequencer stream
 * @param streamOffset its offset in the sequencer stream (audit cross-reference, restart point)
 * @param signer       the signer address that applied it
 */
public record SignedRevert(SequencerRevert revert, long streamOffset, String signer, long signedAtMillis) implements SignedBlocksEvent {}
