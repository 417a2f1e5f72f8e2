package org.rollupnode.execution.chain;

import java.math.BigInteger;
import java.util.Map;
import org.rollupnode.execution.evm.EvmRules;
import org.rollupnode.execution.types.Address;
import org.rollupnode.execution.types.Hash32;

/**
 * What {@code --chain} selects: chain id, genesis, block limits, the Scroll addresses the node
 * needs and the EVM rules its blocks execute under.
 *
 * @param evmRules the rule set of the current fork; the chains this node starts from genesis run
 *                 it from block 0 (replaying older Scroll history would need a fork timeline)
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
        Address authorizedSigner,
        EvmRules evmRules) {

    public record GenesisAccount(BigInteger balance, long nonce, byte[] code, Map<Hash32, Hash32> storage) {}

    /** The EVM rules in force for a block at this timestamp. */
    public EvmRules rulesAt(long timestamp) {
        return evmRules;
    }

    public boolean genesisBundled() {
        return genesisAlloc != null;
    }

    @Override
    public String toString() {
        return name + " (chain id " + chainId + ")";
    }
}
