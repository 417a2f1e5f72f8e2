package org.rollupnode.chain;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.rollupnode.chain.store.StateStore;
import org.rollupnode.execution.block.BlockHeader;
import org.rollupnode.execution.block.Log;
import org.rollupnode.execution.block.Receipt;
import org.rollupnode.execution.builder.BuiltBlock;
import org.rollupnode.execution.builder.ExecutedTransaction;
import org.rollupnode.execution.tx.Transaction;
import org.rollupnode.execution.tx.TransactionDecoder;
import org.rollupnode.execution.types.Address;
import org.rollupnode.execution.types.Hash32;

/**
 * Served blocks that are no longer kept as objects: each block (header, transactions with their
 * senders, receipts, signature) encoded under its number, and its block hash and transaction
 * hashes indexed, in RocksDB in a scratch directory. A block as objects costs about 2 KB of heap
 * per transaction; without this the gateway's heap grew with the chain until the collector
 * stalled (2 GiB full after a few minutes at 3,000 tx/s).
 *
 * <p>A cache of what the topics say, like the state store: the gateway rebuilds its chain from
 * the topics at every start, so the directory is created empty and deleted on close. Block
 * post-states are not archived (only the newest are kept at all).
 */
public final class BlockArchive implements AutoCloseable {
    private static final byte BLOCK = 'b';
    private static final byte BLOCK_HASH = 'h';
    private static final byte TX = 't';
    private static final int FORMAT = 1;
    private static final String OWNER_LOCK = "owner.lock";

    static {
        RocksDB.loadLibrary();
    }

    private final Path dir;
    private final Options options;
    private final WriteOptions writeOptions;
    private final RocksDB db;
    private final FileChannel owner;
    private final FileLock held;
    /** Reads and writes hold it shared, close exclusively: RocksDB must not be used once closed. */
    private final java.util.concurrent.locks.ReentrantReadWriteLock lock = new java.util.concurrent.locks.ReentrantReadWriteLock();
    private boolean closed;

    private BlockArchive(Path dir, Options options, RocksDB db, FileChannel owner, FileLock held) {
        this.dir = dir;
        this.owner = owner;
        this.held = held;
        this.options = options;
        this.db = db;
        // A scratch cache: nothing to recover after a crash, so no write-ahead log.
        this.writeOptions = new WriteOptions().setDisableWAL(true);
    }

    /**
     * An empty archive in a new directory under {@code parent} (created if missing), deleted on
     * close. Directories left there by a process that died without closing its archive are
     * deleted first: each archive holds a lock on its directory for as long as it is open.
     */
    public static BlockArchive create(Path parent) throws IOException {
        Files.createDirectories(parent);
        removeAbandoned(parent);
        Path dir = Files.createTempDirectory(parent, "blocks-");
        FileChannel owner = FileChannel.open(dir.resolve(OWNER_LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock held = owner.lock();
        // Small buffers: written once per block, read now and then; one exists per gateway.
        Options options = new Options().setCreateIfMissing(true).setWriteBufferSize(8L << 20).setMaxOpenFiles(256);
        try {
            return new BlockArchive(dir, options, RocksDB.open(options, dir.resolve("db").toString()), owner, held);
        } catch (RocksDBException e) {
            options.close();
            owner.close();
            deleteQuietly(dir);
            throw new IOException("cannot open a block archive in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Deletes the archive directories under {@code parent} whose owner lock nobody holds. */
    private static void removeAbandoned(Path parent) {
        try (var dirs = Files.newDirectoryStream(parent, "blocks-*")) {
            for (Path d : dirs) {
                Path lockFile = d.resolve(OWNER_LOCK);
                boolean abandoned;
                try (FileChannel c = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                    FileLock l = c.tryLock();
                    abandoned = l != null;
                    if (l != null) {
                        l.release();
                    }
                } catch (IOException | java.nio.channels.OverlappingFileLockException e) {
                    abandoned = false; // held in this JVM, or unreadable: leave it
                }
                if (abandoned) {
                    deleteQuietly(d);
                }
            }
        } catch (IOException ignored) {
            // nothing to clean, or not listable: a new archive still works
        }
    }

    public Path directory() {
        return dir;
    }

    /** Stores {@code b} and indexes its hash and transaction hashes. */
    public void put(CanonicalChain.ChainBlock b) {
        byte[] encoded = encode(b);
        lock.readLock().lock();
        try (WriteBatch batch = new WriteBatch()) {
            checkOpen();
            batch.put(key(BLOCK, b.number()), encoded);
            batch.put(key(BLOCK_HASH, b.hash()), ByteBuffer.allocate(8).putLong(b.number()).array());
            for (ExecutedTransaction e : b.block().transactions()) {
                batch.put(key(TX, e.transaction().hash()), ByteBuffer.allocate(12).putLong(b.number()).putInt(e.index()).array());
            }
            db.write(writeOptions, batch);
        } catch (RocksDBException e) {
            throw new IllegalStateException("block archive " + dir + ": cannot write block " + b.number() + ": " + e.getMessage(), e);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Removes {@code b} (a revert reached it): its block, its hash and the transaction entries that still point at it. */
    public void remove(CanonicalChain.ChainBlock b) {
        lock.readLock().lock();
        try (WriteBatch batch = new WriteBatch()) {
            checkOpen();
            batch.delete(key(BLOCK, b.number()));
            batch.delete(key(BLOCK_HASH, b.hash()));
            for (ExecutedTransaction e : b.block().transactions()) {
                byte[] k = key(TX, e.transaction().hash());
                byte[] at = db.get(k);
                if (at != null && ByteBuffer.wrap(at).getLong() == b.number()) {
                    batch.delete(k);
                }
            }
            db.write(writeOptions, batch);
        } catch (RocksDBException e) {
            throw new IllegalStateException("block archive " + dir + ": cannot remove block " + b.number() + ": " + e.getMessage(), e);
        } finally {
            lock.readLock().unlock();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("block archive " + dir + " is closed (the gateway is shutting down)");
        }
    }

    public Optional<CanonicalChain.ChainBlock> block(long number) {
        byte[] v = get(key(BLOCK, number));
        return v == null ? Optional.empty() : Optional.of(decode(v));
    }

    public Optional<Long> number(Hash32 blockHash) {
        byte[] v = get(key(BLOCK_HASH, blockHash));
        return v == null ? Optional.empty() : Optional.of(ByteBuffer.wrap(v).getLong());
    }

    public Optional<CanonicalChain.TxLocation> transaction(Hash32 txHash) {
        byte[] v = get(key(TX, txHash));
        if (v == null) {
            return Optional.empty();
        }
        ByteBuffer bb = ByteBuffer.wrap(v);
        return Optional.of(new CanonicalChain.TxLocation(bb.getLong(), bb.getInt()));
    }

    private byte[] get(byte[] key) {
        lock.readLock().lock();
        try {
            checkOpen();
            return db.get(key);
        } catch (RocksDBException e) {
            throw new IllegalStateException("block archive " + dir + ": read failed: " + e.getMessage(), e);
        } finally {
            lock.readLock().unlock();
        }
    }

    private static byte[] key(byte kind, long number) {
        return ByteBuffer.allocate(9).put(kind).putLong(number).array();
    }

    private static byte[] key(byte kind, Hash32 hash) {
        return ByteBuffer.allocate(33).put(kind).put(hash.unsafeBytes()).array();
    }

    static byte[] encode(CanonicalChain.ChainBlock b) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 + 200 * b.block().transactions().size());
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(FORMAT);
            writeBytes(out, b.block().header().rlp());
            writeString(out, b.signature());
            writeString(out, b.signer());
            writeString(out, b.sequencerId());
            out.writeInt(b.block().transactions().size());
            for (ExecutedTransaction e : b.block().transactions()) {
                Transaction tx = e.transaction();
                writeBytes(out, tx.encoded());
                writeBytes(out, tx.isL1Message() ? null : tx.sender().unsafeBytes());
                out.writeInt(e.index());
                out.writeLong(e.gasUsed());
                writeBytes(out, e.effectiveGasPrice() == null ? null : e.effectiveGasPrice().toByteArray());
                writeBytes(out, e.l1Fee() == null ? null : e.l1Fee().toByteArray());
                writeBytes(out, e.contractAddress() == null ? null : e.contractAddress().unsafeBytes());
                Receipt r = e.receipt();
                out.writeBoolean(r != null);
                if (r != null) {
                    out.writeByte(r.type());
                    out.writeBoolean(r.success());
                    out.writeLong(r.cumulativeGasUsed());
                    out.writeInt(r.logs().size());
                    for (Log l : r.logs()) {
                        writeBytes(out, l.rlp());
                    }
                }
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in memory: cannot happen
        }
    }

    static CanonicalChain.ChainBlock decode(byte[] v) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(v));
            int format = in.readUnsignedByte();
            if (format != FORMAT) {
                throw new IllegalStateException("block archive record format " + format + ", expected " + FORMAT);
            }
            BlockHeader header = BlockHeader.decode(readBytes(in));
            String signature = readString(in);
            String signer = readString(in);
            String sequencerId = readString(in);
            int n = in.readInt();
            List<ExecutedTransaction> txs = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                Transaction tx = TransactionDecoder.decode(readBytes(in));
                byte[] sender = readBytes(in);
                if (sender != null) {
                    tx.restoreSender(Address.wrap(sender));
                }
                int index = in.readInt();
                long gasUsed = in.readLong();
                byte[] price = readBytes(in);
                byte[] l1Fee = readBytes(in);
                byte[] created = readBytes(in);
                Receipt receipt = null;
                if (in.readBoolean()) {
                    int type = in.readUnsignedByte();
                    boolean success = in.readBoolean();
                    long cumulative = in.readLong();
                    int logCount = in.readInt();
                    List<Log> logs = new ArrayList<>(logCount);
                    for (int j = 0; j < logCount; j++) {
                        logs.add(Log.decode(readBytes(in)));
                    }
                    receipt = new Receipt(type, success, cumulative, logs);
                }
                txs.add(new ExecutedTransaction(tx, receipt, gasUsed, price == null ? null : new BigInteger(price),
                        l1Fee == null ? null : new BigInteger(l1Fee), index, created == null ? null : Address.wrap(created)));
            }
            return new CanonicalChain.ChainBlock(new BuiltBlock(header, txs, null), signature, signer, sequencerId);
        } catch (IOException e) {
            throw new IllegalStateException("block archive record is truncated: " + e.getMessage(), e);
        }
    }

    private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        if (b == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(b.length);
            out.write(b);
        }
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int len = in.readInt();
        if (len < 0) {
            return null;
        }
        byte[] b = new byte[len];
        in.readFully(b);
        return b;
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            out.writeUTF(s);
        }
    }

    private static String readString(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    private static void deleteQuietly(Path dir) {
        try {
            StateStore.delete(dir);
        } catch (IOException ignored) {
            // a scratch directory: an abandoned one is removed at the next start
        }
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            writeOptions.close();
            db.close();
            options.close();
            try {
                held.release();
                owner.close();
            } catch (IOException ignored) {
                // the directory is deleted next either way
            }
        } finally {
            lock.writeLock().unlock();
        }
        deleteQuietly(dir);
    }
}
