package org.rollupnode.execution.block;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.rollupnode.execution.crypto.Keccak;
import org.rollupnode.execution.rlp.RlpException;

/**
 * Coverage-guided fuzzing of {@link BlockHeader#decode(byte[])}, which reads headers from topics
 * and fixtures. Corpus in {@code BlockHeaderFuzzTestInputs/}.
 *
 * <p>Properties: the only failures are {@link RlpException} and {@link IllegalArgumentException},
 * each with a message; a decoded header re-encodes to the input (its hash is the keccak of the
 * input), rebuilding it through {@link BlockHeader#toBuilder()} changes nothing, and its seal hash
 * can always be computed.
 */
class BlockHeaderFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void decodeIsStrictAndReencodes(byte[] input) {
        BlockHeader h;
        try {
            h = BlockHeader.decode(input);
        } catch (RlpException | IllegalArgumentException e) {
            assertNotNull(e.getMessage(), e.getClass().getSimpleName() + " without a message");
            assertFalse(e.getMessage().isBlank(), e.getClass().getSimpleName() + " with a blank message");
            return;
        }
        assertArrayEquals(input, h.rlp(), "a decoded header must re-encode to its input");
        assertEquals(Keccak.hash(input), h.hash());
        assertEquals(h, h.toBuilder().build(), "toBuilder().build() changed the header");
        assertNotNull(h.sealHash());
    }
}
