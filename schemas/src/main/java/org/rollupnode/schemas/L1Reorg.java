package org.rollupnode.schemas;

/**
 * L1 reorganised: every earlier record about blocks from {@code removedFromNumber} on (messages,
 * heads, safe/finalized marks) is void. The replacement branch's records follow this one.
 *
 * @param reason human-readable cause, e.g. which block's hash no longer matched
 */
public record L1Reorg(long commonAncestorNumber, String commonAncestorHash, long removedFromNumber, String reason)
        implements L1Event {}
