package org.rollupnode.execution.builder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rollupnode.execution.block.Log;
import org.rollupnode.execution.chain.ChainSpec;
import org.rollupnode.execution.chain.ChainSpecs;
import org.rollupnode.execution.chain.Genesis;
import org.rollupnode.execution.evm.EvmRules;
import org.rollupnode.execution.tx.Transaction;
import org.rollupnode.execution.types.Address;
import org.rollupnode.execution.types.Hash32;
import org.rollupnode.execution.types.Hex;

/** The block builder runs contract creation and calls through the EVM on the dev chain. */
class BlockBuilderEvmTest {
    static final ChainSpec DEV = ChainSpecs.byName("dev");
    static final BigInteger KEY = ChainSpecs.devPrivateKeys().get(0);
    /** Runtime: MSTORE(0, 42); LOG1(offset 0, size 32, topic = calldata[0:32]); STOP. */
    static final String RUNTIME = "602a5f52" + "5f35" + "60205f" + "a1" + "00";
    /** Initcode: CODECOPY(0, 10, 11); RETURN(0, 11). */
    static final String INITCODE = "0x600b600a5f39600b5ff3" + RUNTIME;
    /** Hardhat's well-known first deployment address of 0xf39F…2266 (nonce 0). */
    static final Address FIRST_CONTRACT = Address.fromHex("0x5FbDB2315678afecb367f032d93F642f64180aa3");

    static Transaction.Builder tx(long nonce) {
        return Transaction.eip1559(DEV.chainId()).nonce(nonce).maxPriorityFeePerGas(1).maxFeePerGas(1_000_000_000L)
                .gasLimit(200_000).value(BigInteger.ZERO);
    }

    @Test
    void deploysAContractAndCallsIt() throws Exception {
        Genesis g = Genesis.of(DEV);
        BlockEnv env = new BlockEnv(1, g.header().timestamp() + 1, ChainSpecs.FEE_VAULT, 20_000_000, BigInteger.valueOf(15_680_000));
        BlockBuilder b = new BlockBuilder(DEV, g.header(), g.state(), env);
        ExecutedTransaction deploy = b.add(tx(0).data(Hex.decode(INITCODE)).sign(KEY));
        assertTrue(deploy.receipt().success());
        assertEquals(FIRST_CONTRACT, deploy.contractAddress());
        // 53000 + 16 * 21 non-zero + 4 * 0 zero bytes (none) + 2 initcode words... computed by hand:
        // intrinsic 53000 + 16*20 + 4*1 (one 0x00 byte) + 2*1 word = 53326; execution 3+3+2+(3+3*1+3 mem)+3+2+0 = 22;
        // code deposit 200 * 11 = 2200
        assertEquals(53_326 + 22 + 2_200, deploy.gasUsed());

        byte[] topic = Hash32.fromHex("0x00000000000000000000000000000000000000000000000000000000000000aa").toArray();
        ExecutedTransaction call = b.add(tx(1).to(FIRST_CONTRACT).data(topic).sign(KEY));
        assertTrue(call.receipt().success());
        assertNull(call.contractAddress());
        List<Log> logs = call.logs();
        assertEquals(1, logs.size());
        assertEquals(FIRST_CONTRACT, logs.get(0).address());
        assertEquals(List.of(Hash32.wrap(topic)), logs.get(0).topics());
        assertArrayEquals(Hash32.fromHex("0x000000000000000000000000000000000000000000000000000000000000002a").toArray(),
                logs.get(0).data());
        assertTrue(call.receipt().bloom().mightContain(FIRST_CONTRACT.toArray()));

        BuiltBlock built = b.seal(new byte[0]);
        assertArrayEquals(Hex.decode("0x" + RUNTIME), built.postState().code(FIRST_CONTRACT));
        assertEquals(deploy.gasUsed() + call.gasUsed(), built.header().gasUsed());

        // Replay gives the same header.
        BuiltBlock again = BlockBuilder.reexecute(DEV, g.header(), g.state(), env,
                List.of(deploy.transaction(), call.transaction()), new byte[0]);
        assertEquals(built.header().hash(), again.header().hash());
    }

    @Test
    void aRevertingCallIsIncludedWithFailedStatus() throws Exception {
        Genesis g = Genesis.of(DEV);
        BlockEnv env = new BlockEnv(1, g.header().timestamp() + 1, ChainSpecs.FEE_VAULT, 20_000_000, BigInteger.valueOf(15_680_000));
        BlockBuilder b = new BlockBuilder(DEV, g.header(), g.state(), env);
        // initcode that reverts: REVERT(0, 0)
        ExecutedTransaction e = b.add(tx(0).data(Hex.decode("0x5f5ffd")).sign(KEY));
        assertFalse(e.receipt().success());
        assertNull(e.contractAddress());
        assertEquals(1, b.nextNonce(Address.fromHex("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266")));
    }

    @Test
    void l1MessagesMustComeFirst() throws Exception {
        Genesis g = Genesis.of(DEV);
        BlockEnv env = new BlockEnv(1, g.header().timestamp() + 1, ChainSpecs.FEE_VAULT, 20_000_000, BigInteger.valueOf(15_680_000));
        BlockBuilder b = new BlockBuilder(DEV, g.header(), g.state(), env);
        Address l1Sender = Address.fromHex("0x7885bcbd5cecef1336b5300fb5186a12ddd8c478");
        ExecutedTransaction m = b.add(Transaction.l1Message(0, 100_000, FIRST_CONTRACT, BigInteger.ZERO, new byte[0], l1Sender));
        assertTrue(m.receipt().success());
        assertEquals(0x7e, m.receipt().type());
        b.add(tx(0).to(FIRST_CONTRACT).sign(KEY));
        TransactionRejected r = assertThrows(TransactionRejected.class,
                () -> b.add(Transaction.l1Message(1, 100_000, FIRST_CONTRACT, BigInteger.ZERO, new byte[0], l1Sender)));
        assertEquals(TransactionRejected.Reason.INVALID, r.reason());
    }

    @Test
    void devChainRunsScrollGalileoRules() {
        assertEquals(EvmRules.scrollGalileo().name(), DEV.rulesAt(0).name());
    }
}
