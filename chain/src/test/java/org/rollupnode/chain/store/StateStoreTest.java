package org.rollupnode.chain.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rollupnode.chain.ChainFolder;
import org.rollupnode.chain.Payloads;
import org.rollupnode.execution.builder.BaseFee;
import org.rollupnode.execution.builder.BlockBuilder;
import org.rollupnode.execution.builder.BlockEnv;
import org.rollupnode.execution.builder.BuiltBlock;
import org.rollupnode.execution.chain.ChainSpec;
import org.rollupnode.execution.chain.ChainSpecs;
import org.rollupnode.execution.tx.Transaction;
import org.rollupnode.execution.types.Address;
import org.rollupnode.execution.types.Hash32;
import org.rollupnode.schemas.BlockPayload;

/**
 * Real blocks (transfers and a contract writing storage) folded with the state written to RocksDB,
 * the store reopened, and the state read back lazily; then the ways a store must not be trusted.
 */
class StateStoreTest {
    static final ChainSpec DEV = ChainSpecs.byName("dev");
    static final BigInteger KEY0 = new BigInteger("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80", 16);
    static final Address SENDER = Address.fromHex("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
    static final Address TO = Address.fromHex("0x" + "42".repeat(20));
    /** Runtime: SSTORE(calldata[0:32], calldata[32:64]); the init code copies it out and returns it. */
    static final byte[] RUNTIME = HexFormat.of().parseHex("602035600035555b00");
    static final byte[] INIT = HexFormat.of().parseHex("6009600c60003960096000f3" + "602035600035555b00");

    @TempDir
    Path tmp;

    private long nonce;

    private BuiltBlock build(ChainFolder folder, List<Transaction> txs) throws Exception {
        var parent = folder.head();
        BlockEnv env = new BlockEnv(parent.number() + 1, parent.timestamp() + 1, ChainSpecs.FEE_VAULT, 20_000_000,
                BaseFee.next(parent, DEV.baseFeeOverhead()));
        BlockBuilder b = new BlockBuilder(DEV, parent, folder.headState(), env);
        for (Transaction tx : txs) {
            b.add(tx);
        }
        return b.seal(new byte[0]);
    }

    private Transaction tx(Address to, long value, byte[] data) {
        return Transaction.eip1559(1337).nonce(nonce++).maxPriorityFeePerGas(BigInteger.ONE).maxFeePerGas(BigInteger.valueOf(1_000_000_000))
                .gasLimit(200_000).to(to).value(BigInteger.valueOf(value)).data(data).sign(KEY0);
    }

    private static byte[] store(long slot, long value) {
        byte[] d = new byte[64];
        d[31] = (byte) slot;
        d[63] = (byte) value;
        return d;
    }

    private static Hash32 word(long v) {
        byte[] w = new byte[32];
        w[31] = (byte) v;
        return Hash32.wrap(w);
    }

    /** Folds blocks into both folders, persisting the first one; returns the deployed contract. */
    private void fold(ChainFolder folder, FolderPersistence p, BuiltBlock built, long offset) {
        BlockPayload payload = Payloads.toPayload(built, 0, folder.nextL1QueueIndex(), "test", 0, 0);
        folder.advance(built);
        p.applied(built, payload, offset, folder);
    }

    @Test
    void blocksWrittenReopenedAndReadBackLazily() throws Exception {
        Path dir = tmp.resolve("state");
        ChainFolder folder = new ChainFolder(DEV);
        Address contract;
        try (FolderPersistence p = FolderPersistence.open(dir, DEV)) {
            BuiltBlock b1 = build(folder, List.of(tx(TO, 5, new byte[0]), tx(null, 0, INIT)));
            contract = b1.transactions().get(1).contractAddress();
            assertNotNull(contract);
            fold(folder, p, b1, 0);
            fold(folder, p, build(folder, List.of(tx(contract, 0, store(1, 11)), tx(TO, 7, new byte[0]))), 1);
            fold(folder, p, build(folder, List.of(tx(contract, 0, store(2, 22)), tx(contract, 0, store(1, 12)))), 2);
        }
        Hash32 root = folder.headState().stateRoot();
        BigInteger senderBalance = folder.headState().balance(SENDER);

        ChainFolder restored;
        try (FolderPersistence p = FolderPersistence.open(dir, DEV)) {
            Optional<FolderPersistence.Restored> r = p.restore(256, 10, cp -> cp.offset() == 2 && cp.number() == 3);
            assertTrue(r.isPresent());
            restored = r.get().folder();
            assertEquals(3, restored.head().number());
            assertEquals(folder.head().hash(), restored.head().hash());
            assertEquals(root, restored.headState().stateRoot());
            assertEquals(BigInteger.valueOf(12), restored.headState().balance(TO));
            assertEquals(senderBalance, restored.headState().balance(SENDER));
            assertEquals(word(12), restored.headState().storageAt(contract, word(1)));
            assertEquals(word(22), restored.headState().storageAt(contract, word(2)));
            assertEquals(Hash32.ZERO, restored.headState().storageAt(contract, word(3)));
            assertArrayEquals(RUNTIME, restored.headState().code(contract));
            assertEquals(0, restored.oldestRetained(), "genesis and every stored block are retained for reverts");
            assertEquals(2, restored.retainedAt(2).block().transactions().size());

            // the next block built on the lazily loaded state is the same block as on the in-memory one
            long n = nonce;
            BuiltBlock onStore = build(restored, List.of(tx(contract, 0, store(1, 0)), tx(TO, 1, new byte[0])));
            nonce = n;
            BuiltBlock inMemory = build(folder, List.of(tx(contract, 0, store(1, 0)), tx(TO, 1, new byte[0])));
            assertEquals(inMemory.header().hash(), onStore.header().hash());
            fold(restored, p, onStore, 3);

            // a revert moves the checkpoint back: the reverted-to state is still there
            restored.revertTo(2, null);
            p.reverted(restored, 4);
        }
        try (FolderPersistence p = FolderPersistence.open(dir, DEV)) {
            ChainFolder again = p.restore(256, 10, cp -> cp.offset() == 4).orElseThrow().folder();
            assertEquals(2, again.head().number());
            assertEquals(word(11), again.headState().storageAt(contract, word(1)));
            assertEquals(Hash32.ZERO, again.headState().storageAt(contract, word(2)));
            assertEquals(BigInteger.valueOf(12), again.headState().balance(TO));
        }
    }

    @Test
    void untrustworthyStoresAreRebuiltEmpty() throws Exception {
        Path dir = tmp.resolve("state");
        ChainFolder folder = new ChainFolder(DEV);
        try (FolderPersistence p = FolderPersistence.open(dir, DEV)) {
            fold(folder, p, build(folder, List.of(tx(TO, 5, new byte[0]))), 7);
        }
        // checkpoint ahead of the topic (topic wiped): rebuilt, and the checkpoint is gone for good
        try (FolderPersistence p = FolderPersistence.open(dir, DEV)) {
            assertTrue(p.restore(256, 3, cp -> true).isEmpty());
            assertTrue(p.store().checkpoint().isEmpty());
        }
        try (FolderPersistence p = FolderPersistence.open(dir, DEV)) {
            nonce = 0;
            ChainFolder fresh = new ChainFolder(DEV);
            fold(fresh, p, build(fresh, List.of(tx(TO, 5, new byte[0]))), 7);
        }
        // the topic's record at the checkpoint offset is another block
        try (FolderPersistence p = FolderPersistence.open(dir, DEV)) {
            assertTrue(p.restore(256, 100, cp -> false).isEmpty());
            assertTrue(p.store().checkpoint().isEmpty());
        }
        // another chain's store
        try (StateStore s = StateStore.open(dir, Hash32.wrap(new byte[32]))) {
            throw new AssertionError("opened a store of another genesis");
        } catch (StateStoreException e) {
            assertEquals(StateStoreException.Reason.OTHER_CHAIN, e.reason());
            assertTrue(e.getMessage().contains("belongs to the chain with genesis"), e.getMessage());
        }
        // files RocksDB cannot read: FolderPersistence deletes them and starts empty
        Files.writeString(dir.resolve("CURRENT"), "garbage\n");
        try (FolderPersistence p = FolderPersistence.open(dir, DEV)) {
            assertTrue(p.store().checkpoint().isEmpty());
            assertTrue(p.restore(256, 100, cp -> true).isEmpty());
        }
        // unwritable: the path is under a regular file
        Path file = Files.writeString(tmp.resolve("file"), "x");
        StateStoreException e = assertThrows(StateStoreException.class, () -> FolderPersistence.open(file.resolve("state"), DEV));
        assertEquals(StateStoreException.Reason.UNWRITABLE, e.reason());
        assertTrue(e.getMessage().contains(file.resolve("state").toString()), e.getMessage());
    }

    @Test
    void storedNodesAreNotWrittenTwice() throws Exception {
        ChainFolder folder = new ChainFolder(DEV);
        List<Integer> written = new ArrayList<>();
        try (StateStore s = StateStore.open(tmp.resolve("s"), folder.head().hash())) {
            for (int i = 0; i < 3; i++) {
                BuiltBlock b = build(folder, List.of(tx(TO, 1, new byte[0])));
                folder.advance(b);
                written.add(s.writeBlock(new StateStore.Checkpoint(b.header().number(), b.header().hash(), b.header().stateRoot(), i),
                        b.postState(), new byte[0], 0));
            }
        }
        // block 1 writes genesis (20 funded accounts and system contracts) too; later blocks only their paths
        assertTrue(written.get(0) > 20, "first write " + written);
        assertTrue(written.get(1) < written.get(0) && written.get(2) < 15, "later writes " + written);
    }
}
