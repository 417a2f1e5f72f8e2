package org.rollupnode.execution.block;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.rollupnode.execution.crypto.Keccak;
import org.rollupnode.execution.rlp.Rlp;
import org.rollupnode.execution.rlp.RlpException;
import org.rollupnode.execution.rlp.RlpItem;
import org.rollupnode.execution.trie.MerklePatriciaTrie;
import org.rollupnode.execution.types.Address;
import org.rollupnode.execution.types.Hash32;

/**
 * An Ethereum block header, London layout plus the optional post-London fields. Scroll headers
 * stop at the base fee; the later fields exist so the Ethereum fixtures' hashes can be checked.
 * Immutable; equality is equality of the RLP encoding.
 *
 * <p>Optional fields follow RLP's trailing-optional rule: a field may be present only when every
 * optional field before it is, because the encoding has no other way to say which one is missing.
 */
public final class BlockHeader {
    /** keccak256(rlp([])): the ommers hash of every post-merge and every Scroll block. */
    public static final Hash32 EMPTY_OMMERS_HASH = Hash32.wrap(Keccak.hash256(Rlp.EMPTY_LIST));

    private static final int REQUIRED_FIELDS = 15;
    private static final int ALL_FIELDS = 20;
    private static final int NONCE_BYTES = 8;

    private final Hash32 parentHash;
    private final Hash32 ommersHash;
    private final Address coinbase;
    private final Hash32 stateRoot;
    private final Hash32 transactionsRoot;
    private final Hash32 receiptsRoot;
    private final Bloom logsBloom;
    private final BigInteger difficulty;
    private final long number;
    private final long gasLimit;
    private final long gasUsed;
    private final long timestamp;
    private final byte[] extraData;
    private final Hash32 mixHash;
    private final long nonce;
    private final BigInteger baseFeePerGas;
    private final Hash32 withdrawalsRoot;
    private final Long blobGasUsed;
    private final Long excessBlobGas;
    private final Hash32 parentBeaconBlockRoot;

    private final byte[] rlp;
    private volatile Hash32 hash;

    private BlockHeader(Builder b) {
        parentHash = required(b.parentHash, "parentHash");
        ommersHash = required(b.ommersHash, "ommersHash");
        coinbase = required(b.coinbase, "coinbase");
        stateRoot = required(b.stateRoot, "stateRoot");
        transactionsRoot = required(b.transactionsRoot, "transactionsRoot");
        receiptsRoot = required(b.receiptsRoot, "receiptsRoot");
        logsBloom = required(b.logsBloom, "logsBloom");
        difficulty = unsigned(required(b.difficulty, "difficulty"), "difficulty");
        number = unsigned(b.number, "number");
        gasLimit = unsigned(b.gasLimit, "gasLimit");
        gasUsed = unsigned(b.gasUsed, "gasUsed");
        timestamp = unsigned(b.timestamp, "timestamp");
        extraData = required(b.extraData, "extraData").clone();
        mixHash = required(b.mixHash, "mixHash");
        nonce = b.nonce;
        baseFeePerGas = b.baseFeePerGas == null ? null : unsigned(b.baseFeePerGas, "baseFeePerGas");
        withdrawalsRoot = b.withdrawalsRoot;
        blobGasUsed = b.blobGasUsed == null ? null : unsigned(b.blobGasUsed, "blobGasUsed");
        excessBlobGas = b.excessBlobGas == null ? null : unsigned(b.excessBlobGas, "excessBlobGas");
        parentBeaconBlockRoot = b.parentBeaconBlockRoot;
        checkOptionalPrefix();
        rlp = Rlp.encodeList(fields(true, true));
    }

    private void checkOptionalPrefix() {
        Object[] optional = {baseFeePerGas, withdrawalsRoot, blobGasUsed, excessBlobGas, parentBeaconBlockRoot};
        String[] names = {"baseFeePerGas", "withdrawalsRoot", "blobGasUsed", "excessBlobGas", "parentBeaconBlockRoot"};
        for (int i = 1; i < optional.length; i++) {
            if (optional[i] != null && optional[i - 1] == null) {
                throw new IllegalArgumentException(names[i] + " is set but " + names[i - 1]
                        + " is not; optional header fields must be a contiguous prefix");
            }
        }
    }

    /** The encoded fields in header order; the seal digest leaves out extraData and post-London fields. */
    private List<byte[]> fields(boolean withExtraData, boolean withPostLondon) {
        List<byte[]> f = new ArrayList<>(ALL_FIELDS);
        f.add(Rlp.encodeBytes(parentHash.unsafeBytes()));
        f.add(Rlp.encodeBytes(ommersHash.unsafeBytes()));
        f.add(Rlp.encodeBytes(coinbase.unsafeBytes()));
        f.add(Rlp.encodeBytes(stateRoot.unsafeBytes()));
        f.add(Rlp.encodeBytes(transactionsRoot.unsafeBytes()));
        f.add(Rlp.encodeBytes(receiptsRoot.unsafeBytes()));
        f.add(Rlp.encodeBytes(logsBloom.unsafeBytes()));
        f.add(Rlp.encodeBigInteger(difficulty));
        f.add(Rlp.encodeLong(number));
        f.add(Rlp.encodeLong(gasLimit));
        f.add(Rlp.encodeLong(gasUsed));
        f.add(Rlp.encodeLong(timestamp));
        if (withExtraData) {
            f.add(Rlp.encodeBytes(extraData));
        }
        f.add(Rlp.encodeBytes(mixHash.unsafeBytes()));
        f.add(Rlp.encodeBytes(nonceBytes(nonce)));
        if (baseFeePerGas != null) {
            f.add(Rlp.encodeBigInteger(baseFeePerGas));
        }
        if (withPostLondon) {
            if (withdrawalsRoot != null) {
                f.add(Rlp.encodeBytes(withdrawalsRoot.unsafeBytes()));
            }
            if (blobGasUsed != null) {
                f.add(Rlp.encodeLong(blobGasUsed));
            }
            if (excessBlobGas != null) {
                f.add(Rlp.encodeLong(excessBlobGas));
            }
            if (parentBeaconBlockRoot != null) {
                f.add(Rlp.encodeBytes(parentBeaconBlockRoot.unsafeBytes()));
            }
        }
        return f;
    }

    public byte[] rlp() {
        return rlp.clone();
    }

    /** The block hash: keccak256 of the header RLP. */
    public Hash32 hash() {
        Hash32 h = hash;
        if (h == null) {
            h = Keccak.hash(rlp);
            hash = h;
        }
        return h;
    }

    /**
     * The digest the Scroll block signer signs (rollup-node {@code sig_encode_hash}): the header
     * RLP without extraData, where the signature is carried on l2geth's wire, and without any
     * field after the base fee.
     */
    public Hash32 sealHash() {
        return Keccak.hash(Rlp.encodeList(fields(false, false)));
    }

    public static BlockHeader decode(byte[] rlp) {
        return decode(Rlp.decode(rlp));
    }

    public static BlockHeader decode(RlpItem item) {
        List<RlpItem> f = item.list();
        if (f.size() < REQUIRED_FIELDS || f.size() > ALL_FIELDS) {
            throw new RlpException("block header must have " + REQUIRED_FIELDS + " to " + ALL_FIELDS
                    + " fields, got " + f.size());
        }
        byte[] bloom = f.get(6).bytes();
        if (bloom.length != Bloom.BYTES) {
            throw new RlpException("header logsBloom must be 256 bytes, got " + bloom.length);
        }
        byte[] nonce = f.get(14).bytes();
        if (nonce.length != NONCE_BYTES) {
            throw new RlpException("header nonce must be 8 bytes, got " + nonce.length);
        }
        Builder b = builder()
                .parentHash(f.get(0).asHash())
                .ommersHash(f.get(1).asHash())
                .coinbase(f.get(2).asAddress())
                .stateRoot(f.get(3).asHash())
                .transactionsRoot(f.get(4).asHash())
                .receiptsRoot(f.get(5).asHash())
                .logsBloom(Bloom.fromBytes(bloom))
                .difficulty(f.get(7).asBigInteger())
                .number(f.get(8).asLong())
                .gasLimit(f.get(9).asLong())
                .gasUsed(f.get(10).asLong())
                .timestamp(f.get(11).asLong())
                .extraData(f.get(12).bytes())
                .mixHash(f.get(13).asHash())
                .nonce(nonceValue(nonce));
        int n = f.size();
        if (n > 15) {
            b.baseFeePerGas(f.get(15).asBigInteger());
        }
        if (n > 16) {
            b.withdrawalsRoot(f.get(16).asHash());
        }
        if (n > 17) {
            b.blobGasUsed(f.get(17).asLong());
        }
        if (n > 18) {
            b.excessBlobGas(f.get(18).asLong());
        }
        if (n > 19) {
            b.parentBeaconBlockRoot(f.get(19).asHash());
        }
        return b.build();
    }

    private static byte[] nonceBytes(long nonce) {
        byte[] out = new byte[NONCE_BYTES];
        for (int i = NONCE_BYTES - 1; i >= 0; i--) {
            out[i] = (byte) nonce;
            nonce >>>= 8;
        }
        return out;
    }

    private static long nonceValue(byte[] bytes) {
        long v = 0;
        for (byte x : bytes) {
            v = (v << 8) | (x & 0xff);
        }
        return v;
    }

    private static <T> T required(T value, String name) {
        return Objects.requireNonNull(value, () -> "block header field " + name + " is required");
    }

    private static long unsigned(long value, String name) {
        if (value < 0) {
            throw new IllegalArgumentException("block header field " + name + " must not be negative: " + value);
        }
        return value;
    }

    private static BigInteger unsigned(BigInteger value, String name) {
        if (value.signum() < 0) {
            throw new IllegalArgumentException("block header field " + name + " must not be negative: " + value);
        }
        return value;
    }

    public Hash32 parentHash() { return parentHash; }
    public Hash32 ommersHash() { return ommersHash; }
    public Address coinbase() { return coinbase; }
    public Hash32 stateRoot() { return stateRoot; }
    public Hash32 transactionsRoot() { return transactionsRoot; }
    public Hash32 receiptsRoot() { return receiptsRoot; }
    public Bloom logsBloom() { return logsBloom; }
    public BigInteger difficulty() { return difficulty; }
    public long number() { return number; }
    public long gasLimit() { return gasLimit; }
    public long gasUsed() { return gasUsed; }
    public long timestamp() { return timestamp; }
    public byte[] extraData() { return extraData.clone(); }
    public Hash32 mixHash() { return mixHash; }
    /** The 8-byte nonce as a 64-bit pattern (negative for nonces of 2^63 and above). */
    public long nonce() { return nonce; }
    /** Null when absent (pre-London). */
    public BigInteger baseFeePerGas() { return baseFeePerGas; }
    public Hash32 withdrawalsRoot() { return withdrawalsRoot; }
    public Long blobGasUsed() { return blobGasUsed; }
    public Long excessBlobGas() { return excessBlobGas; }
    public Hash32 parentBeaconBlockRoot() { return parentBeaconBlockRoot; }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this header's fields, for deriving a modified copy. */
    public Builder toBuilder() {
        return new Builder()
                .parentHash(parentHash).ommersHash(ommersHash).coinbase(coinbase).stateRoot(stateRoot)
                .transactionsRoot(transactionsRoot).receiptsRoot(receiptsRoot).logsBloom(logsBloom)
                .difficulty(difficulty).number(number).gasLimit(gasLimit).gasUsed(gasUsed)
                .timestamp(timestamp).extraData(extraData).mixHash(mixHash).nonce(nonce)
                .baseFeePerGas(baseFeePerGas).withdrawalsRoot(withdrawalsRoot).blobGasUsed(blobGasUsed)
                .excessBlobGas(excessBlobGas).parentBeaconBlockRoot(parentBeaconBlockRoot);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BlockHeader h && Arrays.equals(rlp, h.rlp);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(rlp);
    }

    @Override
    public String toString() {
        return "BlockHeader[number=" + number + ", hash=" + hash() + "]";
    }

    /**
     * Defaults describe an empty post-merge block: empty ommers, transactions and receipts
     * roots, empty bloom, zero coinbase, difficulty, mixHash and nonce, no base fee. The parent
     * hash and state root default to zero and should always be set.
     */
    public static final class Builder {
        private Hash32 parentHash = Hash32.ZERO;
        private Hash32 ommersHash = EMPTY_OMMERS_HASH;
        private Address coinbase = Address.ZERO;
        private Hash32 stateRoot = Hash32.ZERO;
        private Hash32 transactionsRoot = MerklePatriciaTrie.EMPTY_ROOT;
        private Hash32 receiptsRoot = MerklePatriciaTrie.EMPTY_ROOT;
        private Bloom logsBloom = Bloom.EMPTY;
        private BigInteger difficulty = BigInteger.ZERO;
        private long number;
        private long gasLimit;
        private long gasUsed;
        private long timestamp;
        private byte[] extraData = new byte[0];
        private Hash32 mixHash = Hash32.ZERO;
        private long nonce;
        private BigInteger baseFeePerGas;
        private Hash32 withdrawalsRoot;
        private Long blobGasUsed;
        private Long excessBlobGas;
        private Hash32 parentBeaconBlockRoot;

        private Builder() {}

        public Builder parentHash(Hash32 v) { parentHash = v; return this; }
        public Builder ommersHash(Hash32 v) { ommersHash = v; return this; }
        public Builder coinbase(Address v) { coinbase = v; return this; }
        public Builder stateRoot(Hash32 v) { stateRoot = v; return this; }
        public Builder transactionsRoot(Hash32 v) { transactionsRoot = v; return this; }
        public Builder receiptsRoot(Hash32 v) { receiptsRoot = v; return this; }
        public Builder logsBloom(Bloom v) { logsBloom = v; return this; }
        public Builder difficulty(BigInteger v) { difficulty = v; return this; }
        public Builder number(long v) { number = v; return this; }
        public Builder gasLimit(long v) { gasLimit = v; return this; }
        public Builder gasUsed(long v) { gasUsed = v; return this; }
        public Builder timestamp(long v) { timestamp = v; return this; }
        public Builder extraData(byte[] v) { extraData = v == null ? null : v.clone(); return this; }
        public Builder mixHash(Hash32 v) { mixHash = v; return this; }
        public Builder nonce(long v) { nonce = v; return this; }
        public Builder baseFeePerGas(BigInteger v) { baseFeePerGas = v; return this; }
        public Builder baseFeePerGas(long v) { return baseFeePerGas(BigInteger.valueOf(v)); }
        public Builder withdrawalsRoot(Hash32 v) { withdrawalsRoot = v; return this; }
        public Builder blobGasUsed(Long v) { blobGasUsed = v; return this; }
        public Builder excessBlobGas(Long v) { excessBlobGas = v; return this; }
        public Builder parentBeaconBlockRoot(Hash32 v) { parentBeaconBlockRoot = v; return this; }

        /** Throws IllegalArgumentException or NullPointerException naming the offending field. */
        public BlockHeader build() {
            return new BlockHeader(this);
        }
    }
}
