package org.rollupnode.sequencer;

import org.rollupnode.schemas.SignedBlock;
import org.rollupnode.schemas.SignedBlocksEvent;
import org.rollupnode.schemas.SignedRevert;

/**
 * The signer's progress as the sequencer sees it, folded from {@code signed-blocks}: the last
 * signed height and hash, and the stream offset of the last revert the signer applied. Follows the
 * signer's own rules (the next height or a revert to a signed height; anything else is ignored and
 * reported by {@link #apply}), so both read the topic the same way. Mutable, single-threaded.
 */
final class SignedHead {
    private long number;
    /** Null while nothing is signed (genesis needs no signature). */
    private String hash;
    private long revertStreamOffset = -1;

    long number() {
        return number;
    }

    String hash() {
        return hash;
    }

    /** Stream offset of the last {@code SequencerRevert} the signer copied into signed-blocks, -1 if none. */
    long revertStreamOffset() {
        return revertStreamOffset;
    }

    /** Folds one record; false when it does not extend or unwind the signed chain (the caller reports it). */
    boolean apply(SignedBlocksEvent event) {
        if (event instanceof SignedBlock b) {
            if (b.payload().number() != number + 1) {
                return false;
            }
            number = b.payload().number();
            hash = b.payload().hash();
            return true;
        }
        if (!(event instanceof SignedRevert r)) {
            return true; // an authorized-signer change: it moves no height
        }
        if (r.revert().revertToNumber() > number) {
            return false;
        }
        number = r.revert().revertToNumber();
        hash = r.revert().revertToHash();
        revertStreamOffset = Math.max(revertStreamOffset, r.streamOffset());
        return true;
    }
}
