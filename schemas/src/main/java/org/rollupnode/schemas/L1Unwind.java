package org.rollupnode.schemas;

/**
 * {@code rollupNodeAdmin_revertToL1Block}, carried out by the watcher: like an {@link L1Reorg} to
 * {@code toNumber}, every earlier record about blocks above it is void, and the watcher re-reads L1
 * from {@code toNumber + 1} (the records that follow). Unlike a reorg, L1 itself did not change.
 *
 * @param toNumber      the L1 block the view goes back to (the request's block, or the processed
 *                      block if that was lower)
 * @param toHash        its hash on L1 when the watcher unwound
 * @param controlOffset offset of the {@link SequencerControl} request in {@code sequencer-control};
 *                      the watcher resumes reading requests after the highest one in {@code l1-events}
 * @param requestedBy   who asked (copied from the request)
 * @param reason        human-readable summary
 */
public record L1Unwind(long toNumber, String toHash, long controlOffset, String requestedBy, String reason) implements L1Event {}
