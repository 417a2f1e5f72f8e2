package org.rollupnode.execution.chain;

import java.math.BigInteger;
import org.rollupnode.execution.block.BlockHeader;
import org.rollupnode.execution.block.Bloom;
import org.rollupnode.execution.crypto.Keccak;
import org.rollupnode.execution.state.Account;
import org.rollupnode.execution.state.StateOverlay;
import org.rollupnode.execution.state.WorldState;
import org.rollupnode.execution.trie.MerklePatriciaTrie;
import org.rollupnode.execution.types.Address;
import org.rollupnode.execution.types.Hash32;

/** Block 0 and its state, built from a chain spec's allocation. */
public record Genesis(BlockHeader header, WorldState state) {

    public static Genesis of(ChainSpec spec) {
        if (!spec.genesisBundled()) {
            throw new IllegalArgumentException("the genesis state of " + spec.name()
                    + " is not bundled with this node yet; only --chain dev can start from genesis");
        }
        StateOverlay overlay = new StateOverlay(WorldState.empty());
        spec.genesisAlloc().forEach((address, acc) -> {
            overlay.putAccount(address, new Account(acc.nonce(), acc.balance(), MerklePatriciaTrie.EMPTY_ROOT, Account.EMPTY_CODE_HASH));
            if (acc.code().length > 0) {
                overlay.putCode(address, acc.code(), Keccak.hash(acc.code()));
            }
            acc.storage().forEach((slot, value) -> overlay.putStorage(address, slot, value));
        });
        WorldState state = overlay.commit();
        BlockHeader header = BlockHeader.builder()
                .parentHash(Hash32.ZERO)
                .ommersHash(BlockHeader.EMPTY_OMMERS_HASH)
                .coinbase(Address.ZERO)
                .stateRoot(state.stateRoot())
                .transactionsRoot(MerklePatriciaTrie.EMPTY_ROOT)
                .receiptsRoot(MerklePatriciaTrie.EMPTY_ROOT)
                .logsBloom(Bloom.EMPTY)
                .difficulty(BigInteger.ONE)
                .number(0)
                .gasLimit(spec.genesisGasLimit())
                .gasUsed(0)
                .timestamp(spec.genesisTimestamp())
                .extraData(spec.genesisExtraData())
                .mixHash(Hash32.ZERO)
                .nonce(0)
                .baseFeePerGas(spec.genesisBaseFee())
                .build();
        return new Genesis(header, state);
    }
}
