package org.rollupnode.sequencer;

import java.util.function.LongFunction;

/**
 * Whether the leader may build the next block, given its head (from the sequencer stream) and the
 * signer's progress (from {@code signed-blocks}). Pure.
 *
 * <ul>
 *   <li>{@link State#STALE_HEAD}: signed-blocks holds a block above our head. The signer only signs
 *       committed stream records, so our view of the stream is behind (or the stream lost records):
 *       building now would fork a block that gateways already serve.</li>
 *   <li>{@link State#FORKED}: the block signed at some height is not the one our stream has there.
 *       No amount of waiting fixes that; an operator must look.</li>
 *   <li>{@link State#SIGNER_BEHIND}: {@code maxUnsigned} built blocks already wait for a signature
 *       (the signer is down or slow). Transactions stay in the mempool, where they can still be
 *       replaced, instead of being buried in blocks nobody can see; building resumes as soon as
 *       the signer catches up. {@code maxUnsigned <= 0} never holds (the Rust node's behaviour).</li>
 * </ul>
 */
final class BuildGate {
    private BuildGate() {}

    enum State { BUILD, STALE_HEAD, FORKED, SIGNER_BEHIND }

    record Decision(State state, String reason, long unsigned) {
        boolean build() {
            return state == State.BUILD;
        }
    }

    /**
     * @param hashAt          the hash of our block at a height, or null when we no longer retain it
     * @param pendingRevertTo the target of a revert in the stream that signed-blocks has not applied yet, or -1:
     *                        the signed blocks above it are about to be unwound and do not count
     */
    static Decision decide(long head, LongFunction<String> hashAt, long signedNumber, String signedHash, long pendingRevertTo,
                           int maxUnsigned) {
        long signed = signedNumber;
        boolean lowered = pendingRevertTo >= 0 && pendingRevertTo < signedNumber;
        if (lowered) {
            signed = pendingRevertTo;
        }
        if (signed > head) {
            return new Decision(State.STALE_HEAD, "signed-blocks has block " + signed + " but the sequencer stream read so far ends at block "
                    + head + ": not building on a stale head", 0);
        }
        if (!lowered && signedHash != null) {
            String ours = hashAt.apply(signed);
            if (ours != null && !ours.equals(signedHash)) {
                return new Decision(State.FORKED, "block " + signed + " in signed-blocks is " + signedHash + " but the sequencer stream has "
                        + ours + ": not building until an operator resolves the fork", head - signed);
            }
        }
        long unsigned = head - signed;
        if (maxUnsigned > 0 && unsigned >= maxUnsigned) {
            return new Decision(State.SIGNER_BEHIND, unsigned + " built blocks wait for a signature (head " + head + ", last signed "
                    + signed + ", --sequencer.max-unsigned-blocks " + maxUnsigned + "): waiting for the signer", unsigned);
        }
        return new Decision(State.BUILD, "head " + head + ", last signed " + signed, unsigned);
    }
}
