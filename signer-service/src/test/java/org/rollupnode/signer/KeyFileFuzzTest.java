package org.rollupnode.signer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Coverage-guided fuzzing of {@link KeyFile#parse(String, String)}, the reader of
 * {@code --signer.key-file}. Corpus in {@code KeyFileFuzzTestInputs/}.
 *
 * <p>Properties: the only failure is an IllegalArgumentException naming the file and the problem;
 * the message never carries the file's contents (no run of 8 or more of its hex digits appears in
 * it); an accepted key is a scalar in [1, n-1] whose 64-digit hex is what the file holds once
 * trimmed and stripped of 0x.
 */
class KeyFileFuzzTest {

    private static final String SOURCE = "/keys/fuzz.key";
    private static final int LEAK_RUN = 8;

    @FuzzTest(maxDuration = "30s")
    void parseRejectsClearlyAndNeverEchoesTheKey(byte[] raw) {
        String text = new String(raw, StandardCharsets.UTF_8);
        BigInteger key;
        try {
            key = KeyFile.parse(text, SOURCE);
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            assertNotNull(message, "error without a message");
            assertTrue(message.contains(SOURCE), "error does not name the key file: " + message);
            assertNoHexRunOfInput(text, message);
            return;
        }
        assertTrue(key.signum() > 0 && key.compareTo(KeyFile.CURVE_ORDER) < 0, "accepted key out of range");
        String s = text.strip();
        if (s.startsWith("0x")) {
            s = s.substring(2);
        }
        assertEquals(64, s.length());
        assertEquals(s.toLowerCase(Locale.ROOT), String.format("%064x", key), "accepted key differs from the file");
    }

    /** Fails if the message holds LEAK_RUN or more consecutive hex digits that also occur in the input. */
    private static void assertNoHexRunOfInput(String input, String message) {
        String in = input.toLowerCase(Locale.ROOT);
        String msg = message.toLowerCase(Locale.ROOT);
        int start = -1;
        for (int i = 0; i <= msg.length(); i++) {
            boolean hex = i < msg.length() && Character.digit(msg.charAt(i), 16) >= 0 && msg.charAt(i) < 128;
            if (hex && start < 0) {
                start = i;
            } else if (!hex && start >= 0) {
                for (int j = start; j + LEAK_RUN <= i; j++) {
                    String run = msg.substring(j, j + LEAK_RUN);
                    assertFalse(in.contains(run), "error message echoes key material: " + message);
                }
                start = -1;
            }
        }
    }
}
