package org.rollupnode.schemas;

import java.util.regex.Pattern;

/**
 * Written by the signer-service into {@code signed-blocks} when the authorized block signer it
 * follows changes (from an {@link L1AuthorizedSigner} in {@code l1-events}). It is positional:
 * every {@link SignedBlock} after it in the topic, whatever its height (also after a revert), must
 * be signed by {@code signer}, until the next change record; blocks before it keep the signer they
 * were checked against. {@code fromHeight} is the height the signer was going to sign next when it
 * wrote the record (for people; readers go by position).
 *
 * @param signer          the authorized signer from this record on
 * @param fromHeight      the next height to sign when the change was applied
 * @param l1EventsOffset  offset of the {@link L1AuthorizedSigner} in {@code l1-events} it copies (audit cross-reference)
 * @param l1BlockNumber   the L1 block the value was read at
 * @param systemConfig    the L1 SystemConfig contract it was read from
 * @param appliedBy       address of the signer-service key that wrote the record
 * @param atMillis        wall clock of the signer-service when it wrote the record
 */
public record AuthorizedSignerChange(String signer, long fromHeight, long l1EventsOffset, long l1BlockNumber, String systemConfig,
                                     String appliedBy, long atMillis) implements SignedBlocksEvent {
    private static final Pattern ADDRESS = Pattern.compile("^0x[0-9a-f]{40}$");

    public AuthorizedSignerChange {
        if (signer == null || !ADDRESS.matcher(signer).matches()) {
            throw new IllegalArgumentException("signer must be a lowercase 0x-prefixed 20-byte address, got " + signer);
        }
        if (fromHeight < 1 || l1EventsOffset < 0 || l1BlockNumber < 0) {
            throw new IllegalArgumentException("fromHeight must be positive and offsets/block numbers not negative");
        }
    }
}
