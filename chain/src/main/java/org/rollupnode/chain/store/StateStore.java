package org.rollupnode.chain.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.rollupnode.execution.rlp.Rlp;
import org.rollupnode.execution.rlp.RlpException;
import org.rollupnode.execution.rlp.RlpItem;
import org.rollupnode.execution.state.StateSource;
import org.rollupnode.execution.state.WorldState;
import org.rollupnode.execution.trie.MerklePatriciaTrie;
import org.rollupnode.execution.trie.TrieDelta;
import org.rollupnode.execution.types.Hash32;

/**
 * The world state of one service under {@code <datadir>/state}, in RocksDB: trie nodes keyed by
 * hash, code keyed by code hash, the records of the last few blocks (enough to revert to them
 * after a restart), and a checkpoint naming the head block, its state root and the topic offset
 * of the record that produced it.
 *
 * <p>A cache of what the topics say (architecture §4): nothing in it is authoritative, and a
 * store that cannot be opened, belongs to another chain, or disagrees with the topic is thrown
 * away and rebuilt by replay. Nodes are never deleted (no pruning yet): every state whose root
 * was once written stays readable, which is what makes a revert to a retained block cheap.
 *
 * <p>One writer thread; readers (trie lookups) may run concurrently.
 */
public final class StateStore implements StateSource, AutoCloseable {
    private static final byte NODE = 'n';
    private static final byte CODE = 'c';
    private static final byte BLOCK = 'b';
    private static final byte[] GENESIS_KEY = "m:genesis".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] CHECKPOINT_KEY = "m:checkpoint".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final long FORMAT_VERSION = 1;
    private static final int STORAGE_TRIE_CACHE = 4096;

    static {
        RocksDB.loadLibrary();
    }

    /**
     * The head the store holds.
     *
     * @param offset offset, in the topic the service folds, of the record that produced this head
     *               (a block, or a revert record that brought the chain back to it)
     */
    public record Checkpoint(long number, Hash32 blockHash, Hash32 stateRoot, long offset) {}

    /**
     * One block as the service folded it.
     *
     * @param offset  its record's offset in the folded topic
     * @param payload the record as read (JSON), so the block's transactions can be restored without re-executing it
     */
    public record StoredBlock(long number, long offset, byte[] payload) {}

    private final Path dir;
    private final RocksDB db;
    private final Options options;
    private final WriteOptions writeOptions;
    private final Set<Hash32> writtenCode = Collections.synchronizedSet(new HashSet<>());
    private final Map<Hash32, MerklePatriciaTrie> storageTries = Collections.synchronizedMap(
            new LinkedHashMap<>(256, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Hash32, MerklePatriciaTrie> eldest) {
                    return size() > STORAGE_TRIE_CACHE;
                }
            });

    private StateStore(Path dir, RocksDB db, Options options) {
        this.dir = dir;
        this.db = db;
        this.options = options;
        // The WAL is kept (a batch is atomic across a crash); no fsync per block: a lost tail is replayed from the topic.
        this.writeOptions = new WriteOptions().setSync(false);
    }

    /**
     * Opens (or creates) the store in {@code dir} for the chain whose genesis hash is {@code genesisHash}.
     *
     * @throws StateStoreException UNWRITABLE when the directory cannot be created or written, CORRUPT
     *                             when RocksDB or its records refuse, OTHER_CHAIN on a genesis mismatch
     */
    public static StateStore open(Path dir, Hash32 genesisHash) throws StateStoreException {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new StateStoreException(StateStoreException.Reason.UNWRITABLE, "cannot create the state store directory " + dir + ": " + e, e);
        }
        if (!Files.isWritable(dir)) {
            throw new StateStoreException(StateStoreException.Reason.UNWRITABLE, "the state store directory " + dir + " is not writable", null);
        }
        Options options = new Options().setCreateIfMissing(true).setParanoidChecks(true);
        RocksDB db;
        try {
            db = RocksDB.open(options, dir.toString());
        } catch (RocksDBException e) {
            options.close();
            if (String.valueOf(e.getMessage()).contains("lock")) {
                // another process has it open: deleting it would pull the store from under that process
                throw new StateStoreException(StateStoreException.Reason.UNWRITABLE, "the state store " + dir
                        + " is in use by another process: " + e.getMessage(), e);
            }
            throw new StateStoreException(StateStoreException.Reason.CORRUPT, "RocksDB cannot open " + dir + ": " + e.getMessage(), e);
        }
        StateStore store = new StateStore(dir, db, options);
        try {
            byte[] recorded = db.get(GENESIS_KEY);
            if (recorded == null) {
                db.put(GENESIS_KEY, Rlp.encodeList(Rlp.encodeLong(FORMAT_VERSION), Rlp.encodeBytes(genesisHash.toArray())));
            } else {
                List<RlpItem> items = Rlp.decode(recorded).list();
                if (items.get(0).asLong() != FORMAT_VERSION) {
                    throw new StateStoreException(StateStoreException.Reason.CORRUPT, "the state store " + dir + " has format version "
                            + items.get(0).asLong() + ", this node writes " + FORMAT_VERSION, null);
                }
                Hash32 was = Hash32.wrap(items.get(1).bytes());
                if (!was.equals(genesisHash)) {
                    throw new StateStoreException(StateStoreException.Reason.OTHER_CHAIN, "the state store " + dir
                            + " belongs to the chain with genesis " + was + ", not " + genesisHash, null);
                }
            }
            return store;
        } catch (RocksDBException | RlpException | IndexOutOfBoundsException | IllegalArgumentException e) {
            store.close();
            throw new StateStoreException(StateStoreException.Reason.CORRUPT, "the state store " + dir + " is unreadable: " + e.getMessage(), e);
        } catch (StateStoreException e) {
            store.close();
            throw e;
        }
    }

    public Path directory() {
        return dir;
    }

    // ---- StateSource ----

    @Override
    public byte[] node(byte[] hash) {
        return get(key(NODE, hash));
    }

    @Override
    public byte[] code(Hash32 codeHash) {
        return get(key(CODE, codeHash.unsafeBytes()));
    }

    @Override
    public MerklePatriciaTrie storageTrie(Hash32 root) {
        MerklePatriciaTrie t = storageTries.get(root);
        if (t == null) {
            t = MerklePatriciaTrie.load(root, this);
            storageTries.put(root, t);
        }
        return t;
    }

    /** The head state this store holds, read lazily. */
    public WorldState state(Hash32 stateRoot) {
        return WorldState.load(stateRoot, this);
    }

    public boolean hasNode(Hash32 hash) {
        return node(hash.unsafeBytes()) != null;
    }

    // ---- records ----

    public Optional<Checkpoint> checkpoint() throws StateStoreException {
        byte[] raw = get(CHECKPOINT_KEY);
        if (raw == null) {
            return Optional.empty();
        }
        try {
            List<RlpItem> i = Rlp.decode(raw).list();
            return Optional.of(new Checkpoint(i.get(0).asLong(), Hash32.wrap(i.get(1).bytes()), Hash32.wrap(i.get(2).bytes()),
                    i.get(3).asLong()));
        } catch (RlpException | IndexOutOfBoundsException | IllegalArgumentException e) {
            throw new StateStoreException(StateStoreException.Reason.CORRUPT, "the checkpoint in " + dir + " does not decode: " + e.getMessage(), e);
        }
    }

    public Optional<StoredBlock> block(long number) throws StateStoreException {
        byte[] raw = get(blockKey(number));
        if (raw == null) {
            return Optional.empty();
        }
        try {
            List<RlpItem> i = Rlp.decode(raw).list();
            return Optional.of(new StoredBlock(number, i.get(0).asLong(), i.get(1).bytes()));
        } catch (RlpException | IndexOutOfBoundsException | IllegalArgumentException e) {
            throw new StateStoreException(StateStoreException.Reason.CORRUPT, "block record " + number + " in " + dir
                    + " does not decode: " + e.getMessage(), e);
        }
    }

    /**
     * Writes, in one atomic batch: the state's nodes and code this store lacks, the block's
     * record, the checkpoint pointing at it, and the removal of block records below
     * {@code keepFrom} (no revert can reach them any more).
     *
     * @return how many trie nodes were written
     */
    public int writeBlock(Checkpoint head, WorldState postState, byte[] payload, long keepFrom) throws RocksDBException {
        TrieDelta delta = new TrieDelta(this);
        Map<Hash32, byte[]> code = new HashMap<>();
        postState.collectUnstored(delta, code);
        code.keySet().removeAll(writtenCode);
        try (WriteBatch batch = new WriteBatch()) {
            delta.forEach((hash, enc) -> put(batch, key(NODE, hash), enc));
            code.forEach((hash, c) -> put(batch, key(CODE, hash.unsafeBytes()), c));
            put(batch, blockKey(head.number()), Rlp.encodeList(Rlp.encodeLong(head.offset()), Rlp.encodeBytes(payload)));
            put(batch, CHECKPOINT_KEY, encode(head));
            if (keepFrom > 0) {
                batch.deleteRange(blockKey(0), blockKey(keepFrom));
            }
            db.write(writeOptions, batch);
        }
        delta.markStored();
        writtenCode.addAll(code.keySet());
        return delta.size();
    }

    /**
     * Moves the checkpoint back to a block already in the store (an applied revert record) and
     * drops the records of the blocks above it. The target's state nodes were written with it
     * and are never deleted, so nothing else is needed.
     */
    public void writeRevert(Checkpoint target) throws RocksDBException {
        try (WriteBatch batch = new WriteBatch()) {
            batch.deleteRange(blockKey(target.number() + 1), blockKey(Long.MAX_VALUE));
            put(batch, CHECKPOINT_KEY, encode(target));
            db.write(writeOptions, batch);
        }
    }

    private static byte[] encode(Checkpoint c) {
        return Rlp.encodeList(Rlp.encodeLong(c.number()), Rlp.encodeBytes(c.blockHash().toArray()),
                Rlp.encodeBytes(c.stateRoot().toArray()), Rlp.encodeLong(c.offset()));
    }

    private static void put(WriteBatch batch, byte[] key, byte[] value) {
        try {
            batch.put(key, value);
        } catch (RocksDBException e) {
            throw new IllegalStateException("cannot add to a RocksDB write batch: " + e.getMessage(), e);
        }
    }

    private byte[] get(byte[] key) {
        try {
            return db.get(key);
        } catch (RocksDBException e) {
            throw new IllegalStateException("reading the state store " + dir + " failed: " + e.getMessage(), e);
        }
    }

    private static byte[] key(byte prefix, byte[] hash) {
        byte[] k = new byte[1 + hash.length];
        k[0] = prefix;
        System.arraycopy(hash, 0, k, 1, hash.length);
        return k;
    }

    /** Big-endian, so block records sort by number and a range delete removes a span of heights. */
    private static byte[] blockKey(long number) {
        return ByteBuffer.allocate(9).put(BLOCK).putLong(number).array();
    }

    /** Deletes a store directory (it is a cache: the topic rebuilds it). */
    public static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Override
    public void close() {
        writeOptions.close();
        db.close();
        options.close();
    }
}
