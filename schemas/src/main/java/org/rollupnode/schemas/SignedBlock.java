package org.rollupnode.schemas;

/**
 * A payload with the sequencer's block signature, as written to {@code signed-blocks}.
 *
 * @param payload   the payload exactly as read from the sequencer stream
 * @param signature 65 bytes r ‖ s ‖ v with v the y-parity (0 or 1), as on Scroll's wire, 0x-hex
 * @param signer    the address the signature recovers to
 * @param streamOffset offset of the payload in the sequencer stream (audit cross-reference)
 * @param signedAtMillis wall clock of the signer
 */
public record SignedBlock(BlockPayload payload, String signature, String signer, long streamOffset, long signedAtMillis)
        implements SignedBlocksEvent {
}
