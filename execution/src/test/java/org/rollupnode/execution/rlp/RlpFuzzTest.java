package org.rollupnode.execution.rlp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.rollupnode.execution.testutil.RlpReencoder;

/**
 * Coverage-guided fuzzing of the RLP decoder. Every normal build runs it on the committed corpus
 * in {@code RlpFuzzTestInputs/}; with {@code JAZZER_FUZZ=1} Jazzer mutates from there (see .ci/run).
 *
 * <p>Properties: the only failure is an {@link RlpException} with a message; what decodes is
 * canonical, so encoding it again gives back the input byte for byte; the decoded strings never
 * hold more bytes than the input (no allocation driven by a claimed length).
 */
class RlpFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void decodeIsStrictAndCanonical(byte[] input) {
        RlpItem item;
        try {
            item = Rlp.decode(input);
        } catch (RlpException e) {
            assertMessage(e);
            return;
        }
        assertArrayEquals(input, RlpReencoder.encode(item), "a decoded item must re-encode to its input");
        assertTrue(payloadBytes(item) <= input.length, "decoded strings hold more bytes than the input");
        assertEquals(input.length, Rlp.itemLength(input, 0), "itemLength disagrees with decode");
        // the typed accessors either give a value or say what is wrong, never anything else
        if (!item.isList()) {
            try {
                item.asBigInteger();
            } catch (RlpException e) {
                assertMessage(e);
            }
            try {
                item.asLong();
            } catch (RlpException e) {
                assertMessage(e);
            }
        }
    }

    private static void assertMessage(RlpException e) {
        assertNotNull(e.getMessage(), "RlpException without a message");
        assertFalse(e.getMessage().isBlank(), "RlpException with a blank message");
    }

    private static long payloadBytes(RlpItem item) {
        if (!item.isList()) {
            return item.bytes().length;
        }
        long n = 0;
        for (RlpItem child : item.list()) {
            n += payloadBytes(child);
        }
        return n;
    }
}
