package org.rollupnode.watcher;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Scroll's system-contract consensus keeps the authorized block signer in storage slot 0x67 (103)
 * of the L1 SystemConfig contract, as {@code address(uint160(slot))}: the low 20 bytes of the word.
 */
public final class AuthorizedSignerSlot {
    /** The slot as {@code eth_getStorageAt} takes it. */
    public static final String SLOT = "0x67";

    private static final Pattern WORD = Pattern.compile("^0x[0-9a-fA-F]{1,64}$");

    private AuthorizedSignerSlot() {}

    /**
     * The address in a storage word as returned by {@code eth_getStorageAt}: 0x-prefixed hex of up to
     * 32 bytes (nodes return the full word; shorter forms are left-padded), lowercased. The upper 12
     * bytes are ignored, as Solidity's cast to address does.
     *
     * @throws IllegalArgumentException if the value is not such a word
     */
    public static String decode(String word) {
        if (word == null || !WORD.matcher(word).matches()) {
            throw new IllegalArgumentException("eth_getStorageAt(SystemConfig, " + SLOT + ") returned '" + word
                    + "', not a 32-byte hex word");
        }
        String hex = "0".repeat(64 - (word.length() - 2)) + word.substring(2);
        return "0x" + hex.substring(24).toLowerCase(Locale.ROOT);
    }
}
