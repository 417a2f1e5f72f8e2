package org.rollupnode.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rollupnode.execution.builder.BaseFee;
import org.rollupnode.execution.builder.BlockBuilder;
import org.rollupnode.execution.builder.BlockEnv;
import org.rollupnode.execution.builder.BuiltBlock;
import org.rollupnode.execution.builder.InvalidBlockException;
import org.rollupnode.execution.chain.ChainSpec;
import org.rollupnode.execution.chain.ChainSpecs;
import org.rollupnode.execution.chain.Genesis;
import org.rollupnode.execution.tx.Transaction;
import org.rollupnode.execution.types.Address;
import org.rollupnode.schemas.BlockPayload;

/** Re-execution catches every kind of tampering with a payload and names the field. */
class ChainFolderTest {
    static final ChainSpec DEV = ChainSpecs.byName("dev");
    static final BigInteger KEY0 = new BigInteger("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80", 16);
    static final Address TO = Address.fromHex("0x" + "42".repeat(20));

    static BlockPayload buildBlockOne(long value) throws Exception {
        Genesis g = Genesis.of(DEV);
        BlockEnv env = new BlockEnv(1, g.header().timestamp() + 1, ChainSpecs.FEE_VAULT, 20_000_000,
                BaseFee.next(g.header(), DEV.baseFeeOverhead()));
        BlockBuilder b = new BlockBuilder(DEV, g.header(), g.state(), env);
        b.add(Transaction.eip1559(1337).nonce(0).maxPriorityFeePerGas(BigInteger.ONE).maxFeePerGas(BigInteger.valueOf(1_000_000_000))
                .gasLimit(21_000).to(TO).value(BigInteger.valueOf(value)).data(new byte[0]).sign(KEY0));
        BuiltBlock built = b.seal(new byte[0]);
        return Payloads.toPayload(built, 0, 0, "test", 0, 0);
    }

    @Test
    void devGenesisFundsTheWellKnownDevAccounts() {
        Genesis g = Genesis.of(DEV);
        // First and last accounts of "test test ... junk" (Hardhat/anvil documentation).
        assertEquals(new BigInteger("D3C21BCECCEDA1000000", 16), g.state().balance(Address.fromHex("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266")));
        assertEquals(new BigInteger("D3C21BCECCEDA1000000", 16), g.state().balance(Address.fromHex("0x8626f6940E2eb28930eFb4CeF49B2d1F2C9C1199")));
        assertEquals(20, ChainSpecs.devPrivateKeys().size());
    }

    @Test
    void anHonestPayloadReexecutesToItsHeader() throws Exception {
        BlockPayload p = buildBlockOne(5);
        ChainFolder folder = new ChainFolder(DEV);
        BuiltBlock b = folder.apply(p);
        assertEquals(p.hash(), b.header().hash().toHex());
        assertEquals(BigInteger.valueOf(5), folder.headState().balance(TO));
        assertThrows(InvalidBlockException.class, () -> folder.apply(p), "the same height twice is refused");
    }

    @Test
    void tamperedPayloadsAreCaughtAndNamed() throws Exception {
        BlockPayload p = buildBlockOne(5);
        // A different transaction with a consistent header hash still fails on the roots.
        BlockPayload other = buildBlockOne(6);
        BlockPayload swappedTx = with(p, other.transactions(), p.stateRoot(), p.hash());
        InvalidBlockException e1 = assertThrows(InvalidBlockException.class, () -> new ChainFolder(DEV).apply(swappedTx));
        assertTrue(e1.getMessage().contains("does not re-execute") && e1.getMessage().contains("stateRoot"), e1.getMessage());
        // A wrong state root with a re-computed hash: caught by re-execution.
        BlockPayload wrongRoot = withRehash(p, "0x" + "99".repeat(32));
        InvalidBlockException e2 = assertThrows(InvalidBlockException.class, () -> new ChainFolder(DEV).apply(wrongRoot));
        assertTrue(e2.getMessage().contains("stateRoot: expected 0x9999"), e2.getMessage());
        // A hash that is not the hash of the fields.
        BlockPayload badHash = with(p, p.transactions(), p.stateRoot(), "0x" + "11".repeat(32));
        InvalidBlockException e3 = assertThrows(InvalidBlockException.class, () -> new ChainFolder(DEV).apply(badHash));
        assertTrue(e3.getMessage().contains("is not the hash of its header fields"), e3.getMessage());
        // Garbage transaction bytes.
        BlockPayload garbage = with(p, List.of("0x02c0"), p.stateRoot(), p.hash());
        InvalidBlockException e4 = assertThrows(InvalidBlockException.class, () -> new ChainFolder(DEV).apply(garbage));
        assertTrue(e4.getMessage().contains("malformed"), e4.getMessage());
    }

    static BlockPayload with(BlockPayload p, List<String> txs, String stateRoot, String hash) {
        return new BlockPayload(p.number(), hash, p.parentHash(), p.timestamp(), p.feeRecipient(), p.baseFeePerGas(), p.gasLimit(),
                p.gasUsed(), stateRoot, p.transactionsRoot(), p.receiptsRoot(), p.logsBloom(), p.extraData(), p.difficulty(),
                p.mixHash(), new ArrayList<>(txs), p.l1MessagesIncluded(), p.nextL1QueueIndex(), p.sequencerId(), p.builtAtMillis(),
                p.buildMillis());
    }

    static BlockPayload withRehash(BlockPayload p, String stateRoot) {
        BlockPayload draft = with(p, p.transactions(), stateRoot, p.hash());
        return with(draft, draft.transactions(), stateRoot, Payloads.header(draft).hash().toHex());
    }
}
