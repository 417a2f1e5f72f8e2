package org.rollupnode.chain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rollupnode.execution.builder.BaseFee;
import org.rollupnode.execution.builder.BlockBuilder;
import org.rollupnode.execution.builder.BlockEnv;
import org.rollupnode.execution.builder.BuiltBlock;
import org.rollupnode.execution.builder.ExecutedTransaction;
import org.rollupnode.execution.chain.ChainSpecs;
import org.rollupnode.execution.chain.Genesis;
import org.rollupnode.execution.tx.Transaction;
import org.rollupnode.execution.types.Hash32;

/**
 * A gateway keeps only its newest blocks as objects; older ones live in a {@link BlockArchive}
 * and must be served exactly as they were: header, transactions with their senders, receipts
 * with logs, created contracts, fees. A revert may reach into the archive.
 */
class BlockArchiveTest {
    /** Emits LOG0 with empty data from its constructor, then deploys nothing. */
    static final byte[] LOGGING_INITCODE = {0x60, 0x00, 0x60, 0x00, (byte) 0xa0, 0x00};

    static List<BuiltBlock> blocks(int n) throws Exception {
        Genesis g = Genesis.of(ChainFolderTest.DEV);
        List<BuiltBlock> out = new ArrayList<>();
        BuiltBlock parent = new BuiltBlock(g.header(), List.of(), g.state());
        long nonce = 0;
        for (long h = 1; h <= n; h++) {
            BlockEnv env = new BlockEnv(h, parent.header().timestamp() + 1, ChainSpecs.FEE_VAULT, 20_000_000,
                    BaseFee.next(parent.header(), ChainFolderTest.DEV.baseFeeOverhead()));
            BlockBuilder b = new BlockBuilder(ChainFolderTest.DEV, parent.header(), parent.postState(), env);
            b.add(tx(nonce++, ChainFolderTest.TO, new byte[0], 21_000, h));
            b.add(tx(nonce++, null, LOGGING_INITCODE, 100_000, 0));
            BuiltBlock built = b.seal(new byte[0]);
            out.add(built);
            parent = built;
        }
        return out;
    }

    static Transaction tx(long nonce, org.rollupnode.execution.types.Address to, byte[] data, long gas, long value) {
        var t = Transaction.eip1559(1337).nonce(nonce).maxPriorityFeePerGas(BigInteger.ONE).maxFeePerGas(BigInteger.valueOf(1_000_000_000))
                .gasLimit(gas).value(BigInteger.valueOf(value)).data(data);
        if (to != null) {
            t = t.to(to);
        }
        return t.sign(ChainFolderTest.KEY0);
    }

    static void assertSameBlock(CanonicalChain.ChainBlock want, CanonicalChain.ChainBlock got) {
        assertEquals(want.hash(), got.hash());
        assertArrayEquals(want.block().header().rlp(), got.block().header().rlp());
        assertEquals(want.signature(), got.signature());
        assertEquals(want.signer(), got.signer());
        assertEquals(want.sequencerId(), got.sequencerId());
        assertEquals(want.block().transactions().size(), got.block().transactions().size());
        for (int i = 0; i < want.block().transactions().size(); i++) {
            ExecutedTransaction w = want.block().transactions().get(i);
            ExecutedTransaction g = got.block().transactions().get(i);
            assertEquals(w.transaction().hash(), g.transaction().hash());
            assertEquals(w.transaction().sender(), g.transaction().sender());
            assertArrayEquals(w.receipt().encode(), g.receipt().encode(), "receipt " + i + " (status, gas, logs, bloom)");
            assertEquals(w.gasUsed(), g.gasUsed());
            assertEquals(w.effectiveGasPrice(), g.effectiveGasPrice());
            assertEquals(w.l1Fee(), g.l1Fee());
            assertEquals(w.index(), g.index());
            assertEquals(w.contractAddress(), g.contractAddress());
        }
    }

    @Test
    void oldBlocksLeaveTheHeapButAreServedByNumberHashAndTransactionAsTheyWere(@TempDir Path tmp) throws Exception {
        List<BuiltBlock> built = blocks(12);
        assertEquals(1, built.get(0).transactions().get(1).logs().size(), "the fixture's creation emits a log");
        assertNotNull(built.get(0).transactions().get(1).contractAddress());
        Genesis g = Genesis.of(ChainFolderTest.DEV);
        try (BlockArchive archive = BlockArchive.create(tmp)) {
            CanonicalChain chain = new CanonicalChain(g, 4, archive, 3);
            List<CanonicalChain.ChainBlock> appended = new ArrayList<>();
            for (BuiltBlock b : built) {
                CanonicalChain.ChainBlock cb = new CanonicalChain.ChainBlock(b, "0x" + "ab".repeat(65), "0x01", "seq-" + b.header().number());
                chain.append(cb);
                appended.add(cb);
            }
            assertEquals(10, chain.oldestInMemory(), "blocks 1..9 are archived, 10..12 in memory");
            for (CanonicalChain.ChainBlock want : appended) {
                long n = want.number();
                assertSameBlock(want, chain.byNumber(n).orElseThrow());
                assertEquals(n, chain.byHash(want.hash()).orElseThrow().number());
                for (ExecutedTransaction e : want.block().transactions()) {
                    CanonicalChain.TxLocation at = chain.transaction(e.transaction().hash()).orElseThrow();
                    assertEquals(n, at.blockNumber());
                    assertEquals(e.index(), at.index());
                }
            }
            assertTrue(chain.byNumber(13).isEmpty());
            assertTrue(chain.byHash(Hash32.ZERO).isEmpty());
            assertTrue(chain.transaction(Hash32.ZERO).isEmpty());
            assertTrue(chain.stateAt(0).isPresent(), "genesis state stays");
        }
    }

    @Test
    void aRevertIntoTheArchiveRemovesThoseBlocksAndRestoresTheHeadWithItsState(@TempDir Path tmp) throws Exception {
        List<BuiltBlock> built = blocks(10);
        Genesis g = Genesis.of(ChainFolderTest.DEV);
        try (BlockArchive archive = BlockArchive.create(tmp)) {
            CanonicalChain chain = new CanonicalChain(g, 8, archive, 2);
            for (BuiltBlock b : built) {
                chain.append(new CanonicalChain.ChainBlock(b, "0x00", "0x01", "seq"));
            }
            List<CanonicalChain.ChainBlock> dropped = chain.truncateTo(5);
            assertEquals(List.of(6L, 7L, 8L, 9L, 10L), dropped.stream().map(CanonicalChain.ChainBlock::number).toList(),
                    "archived and in-memory blocks alike, lowest first");
            assertEquals(5, chain.head().number());
            assertNotNull(chain.head().block().postState(), "the head serves state queries again");
            assertEquals(built.get(4).postState().stateRoot(), chain.head().block().postState().stateRoot());
            for (BuiltBlock gone : built.subList(5, 10)) {
                assertFalse(chain.byHash(gone.header().hash()).isPresent(), "block " + gone.header().number() + " no longer served by hash");
                for (ExecutedTransaction e : gone.transactions()) {
                    assertTrue(chain.transaction(e.transaction().hash()).isEmpty(), "its transactions are not found either");
                }
            }
            assertTrue(chain.byNumber(6).isEmpty());
            assertEquals(5, chain.byHash(built.get(4).header().hash()).orElseThrow().number());
            assertEquals(5, chain.transaction(built.get(4).transactions().get(0).transaction().hash()).orElseThrow().blockNumber());
            assertEquals(3, chain.byNumber(3).orElseThrow().number(), "older blocks are still served from the archive");

            // The chain grows again on top of the restored head, and the new block 6 is the one served.
            chain.append(new CanonicalChain.ChainBlock(built.get(5), "0x00", "0x01", "again"));
            assertEquals("again", chain.byNumber(6).orElseThrow().sequencerId());
        }
    }

    @Test
    void aClosedArchiveSaysSoAndLeavesNoFiles(@TempDir Path tmp) throws Exception {
        BlockArchive archive = BlockArchive.create(tmp);
        Path dir = archive.directory();
        assertTrue(Files.isDirectory(dir));
        archive.put(new CanonicalChain.ChainBlock(blocks(1).get(0), null, null, null));
        assertTrue(archive.block(1).isPresent());
        assertNull(archive.block(1).orElseThrow().signature(), "absent fields stay absent");
        archive.close();
        assertFalse(Files.exists(dir), "the scratch directory is removed");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> archive.block(1));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        archive.close(); // twice is harmless
    }

    @Test
    void aDirectoryLeftByAProcessThatDiedIsRemovedButOneInUseIsKept(@TempDir Path tmp) throws Exception {
        Path abandoned = Files.createDirectories(tmp.resolve("blocks-abandoned"));
        Files.writeString(abandoned.resolve("owner.lock"), "");
        Files.write(abandoned.resolve("000001.sst"), new byte[1024]);
        try (BlockArchive inUse = BlockArchive.create(tmp)) {
            assertFalse(Files.exists(abandoned), "nobody holds its lock: removed");
            try (BlockArchive second = BlockArchive.create(tmp)) {
                assertTrue(Files.isDirectory(inUse.directory()), "an open archive's directory is left alone");
                assertTrue(Files.isDirectory(second.directory()));
            }
        }
    }
}
