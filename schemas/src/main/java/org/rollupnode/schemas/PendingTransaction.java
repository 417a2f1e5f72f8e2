package org.rollupnode.schemas;

/**
 * A raw signed transaction accepted by an rpc-gateway, as written to {@code pending-transactions}.
 * The gateway has already decoded it and recovered the sender; the sequencer decodes it again
 * because it trusts nothing it did not check itself.
 *
 * @param hash            transaction hash, 0x-prefixed
 * @param sender          recovered sender address, 0x-prefixed, lowercase
 * @param raw             EIP-2718 encoded transaction, 0x-prefixed hex
 * @param receivedAtMillis wall clock of the gateway when it accepted the transaction
 * @param gatewayId       which gateway replica accepted it (for tracing)
 */
public record PendingTransaction(String hash, String sender, String raw, long receivedAtMillis, String gatewayId) {
}
