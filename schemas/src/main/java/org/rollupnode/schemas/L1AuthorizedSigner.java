package org.rollupnode.schemas;

import java.util.regex.Pattern;

/**
 * The block signer L1 authorizes, as the watcher read it from the L1 SystemConfig contract
 * (storage slot 0x67, the low 20 bytes): published at start when {@code l1-events} has none and
 * whenever the value read at a new L1 head differs from the last one published. Changes no L1
 * message state; the signer-service turns it into an {@link AuthorizedSignerChange} in
 * {@code signed-blocks}, which is what block readers follow.
 *
 * @param systemConfig   the SystemConfig contract read on L1
 * @param signer         the address in its slot 0x67 (the zero address when the slot is empty)
 * @param l1BlockNumber  the L1 block the slot was read at
 * @param l1BlockHash    that block's hash
 */
public record L1AuthorizedSigner(String systemConfig, String signer, long l1BlockNumber, String l1BlockHash) implements L1Event {
    private static final Pattern ADDRESS = Pattern.compile("^0x[0-9a-f]{40}$");

    public L1AuthorizedSigner {
        if (systemConfig == null || !ADDRESS.matcher(systemConfig).matches() || signer == null || !ADDRESS.matcher(signer).matches()) {
            throw new IllegalArgumentException("system config and signer must be lowercase 0x-prefixed 20-byte addresses, got "
                    + systemConfig + " and " + signer);
        }
        if (l1BlockNumber < 0) {
            throw new IllegalArgumentException("L1 block number must not be negative, got " + l1BlockNumber);
        }
    }
}
