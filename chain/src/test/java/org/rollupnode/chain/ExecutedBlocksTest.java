package org.rollupnode.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.rollupnode.execution.builder.BaseFee;
import org.rollupnode.execution.builder.BlockBuilder;
import org.rollupnode.execution.builder.BlockEnv;
import org.rollupnode.execution.builder.BuiltBlock;
import org.rollupnode.execution.builder.InvalidBlockException;
import org.rollupnode.execution.chain.Genesis;
import org.rollupnode.execution.tx.Transaction;
import org.rollupnode.schemas.BlockPayload;

/** A folder takes a block this process already executed only when the payload claims exactly that block. */
class ExecutedBlocksTest {

    static BuiltBlock blockOne(long value) throws Exception {
        Genesis g = Genesis.of(ChainFolderTest.DEV);
        BlockEnv env = new BlockEnv(1, g.header().timestamp() + 1, org.rollupnode.execution.chain.ChainSpecs.FEE_VAULT, 20_000_000,
                BaseFee.next(g.header(), ChainFolderTest.DEV.baseFeeOverhead()));
        BlockBuilder b = new BlockBuilder(ChainFolderTest.DEV, g.header(), g.state(), env);
        b.add(Transaction.eip1559(1337).nonce(0).maxPriorityFeePerGas(BigInteger.ONE).maxFeePerGas(BigInteger.valueOf(1_000_000_000))
                .gasLimit(21_000).to(ChainFolderTest.TO).value(BigInteger.valueOf(value)).data(new byte[0]).sign(ChainFolderTest.KEY0));
        return b.seal(new byte[0]);
    }

    @Test
    void aPayloadOfABlockBuiltInThisProcessIsNotExecutedAgain() throws Exception {
        BuiltBlock built = blockOne(5);
        ExecutedBlocks executed = new ExecutedBlocks(8);
        executed.put(built);
        ChainFolder folder = new ChainFolder(ChainFolderTest.DEV).reuse(executed);
        BuiltBlock applied = folder.apply(Payloads.toPayload(built, 0, 0, "test", 0, 0));
        assertSame(built, applied, "the sequencer's execution is taken as is");
        assertEquals(1, folder.reusedCount());
        assertEquals(0, folder.reexecutedCount());
        assertEquals(BigInteger.valueOf(5), folder.headState().balance(ChainFolderTest.TO));
    }

    @Test
    void anyOtherPayloadIsStillReexecutedAndChecked() throws Exception {
        BuiltBlock five = blockOne(5);
        BuiltBlock six = blockOne(6);
        ExecutedBlocks executed = new ExecutedBlocks(8);
        executed.put(five);
        // Same height, different block: executed here, and the result is the payload's, not the remembered one.
        ChainFolder folder = new ChainFolder(ChainFolderTest.DEV).reuse(executed);
        BuiltBlock applied = folder.apply(Payloads.toPayload(six, 0, 0, "test", 0, 0));
        assertNotSame(six, applied);
        assertEquals(six.header().hash(), applied.header().hash());
        assertEquals(BigInteger.valueOf(6), folder.headState().balance(ChainFolderTest.TO));
        assertEquals(0, folder.reusedCount());
        assertEquals(1, folder.reexecutedCount());
        // A tampered copy of the remembered block (wrong state root, consistent hash) has another
        // hash, so it is re-executed and refused.
        BlockPayload tampered = ChainFolderTest.withRehash(Payloads.toPayload(five, 0, 0, "test", 0, 0), "0x" + "99".repeat(32));
        InvalidBlockException e = assertThrows(InvalidBlockException.class,
                () -> new ChainFolder(ChainFolderTest.DEV).reuse(executed).apply(tampered));
        assertTrue(e.getMessage().contains("stateRoot: expected 0x9999"), e.getMessage());
    }

    @Test
    void onlyTheNewestBlocksAreKept() throws Exception {
        BuiltBlock five = blockOne(5);
        BuiltBlock six = blockOne(6);
        ExecutedBlocks executed = new ExecutedBlocks(1);
        executed.put(five);
        executed.put(six);
        assertEquals(1, executed.size());
        assertNull(executed.get(five.header().hash()));
        assertSame(six, executed.get(six.header().hash()));
        assertThrows(IllegalArgumentException.class, () -> new ExecutedBlocks(0));
    }
}
