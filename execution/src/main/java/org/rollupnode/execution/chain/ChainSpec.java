package org.rollupnode.execution.chain;

import java.math.BigInteger;
import java.util.Map;
import org.rollupnode.execution.types.Address;
import org.rollupnode.execution.types.Hash32;

/**
 * What {@code --chain} selects: chain id, genesis, block limits and the Scroll addresses the
 * node needs. Fork rules will join it as data (execution issue).
 *
 * @param genesisAlloc null when the chain's genesis state is not bundled with this node
 */
public record ChainSpec(
        String name,
        long chainId,
        long genesisTimestamp,
        long genesisGasLimit,
        BigInteger genesisBaseFee,
        byte[] genesisExtraData,
        Map<Address, GenesisAccount> genesisAlloc,
        long defaultBlockGasLimit,
        Address feeVault,
        Address l1MessageQueueV2,
        int maxL1MessagesPerBlock,
        long maxTxPayloadBytesPerBlock,
        BigInteger baseFeeOverhead,
        Address authorizedSigner) {

    public record GenesisAccount(BigInteger balance, long nonce, byte[] code, Map<Hash32, Hash32> storage) {}

    public boolean genesisBundled() {
        return genesisAlloc != null;
    }

    @Override
    public String toString() {
        return name + " (chain id " + chainId + ")";
    }
}
