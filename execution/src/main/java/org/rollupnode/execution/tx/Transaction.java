package org.rollupnode.execution.tx;

import static org.rollupnode.execution.tx.InvalidTransactionException.Reason.GAS_PRICE_PRODUCT_OVERFLOW;
import static org.rollupnode.execution.tx.InvalidTransactionException.Reason.INITCODE_TOO_LARGE;
import static org.rollupnode.execution.tx.InvalidTransactionException.Reason.INTRINSIC_GAS_TOO_LOW;
import static org.rollupnode.execution.tx.InvalidTransactionException.Reason.INVALID_SENDER;
import static org.rollupnode.execution.tx.InvalidTransactionException.Reason.WRONG_CHAIN_ID;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.crypto.digests.KeccakDigest;
import org.rollupnode.execution.crypto.Keccak;
import org.rollupnode.execution.rlp.Rlp;
import org.rollupnode.execution.types.Address;
import org.rollupnode.execution.types.Hash32;

/**
 * An immutable, decoded transaction of type 0 (legacy, with or without EIP-155), 1 (EIP-2930),
 * 2 (EIP-1559), 4 (EIP-7702) or 0x7E (Scroll L1 message).
 *
 * <p>Every instance comes from {@link TransactionDecoder} (the builders encode and then decode), so
 * each one has passed the decoder's strict checks and keeps its exact wire bytes. The hash is
 * keccak of those bytes; the sender is recovered on first use and cached.
 *
 * <p>Byte-array accessors return copies; the {@code unsafe*} variants return the internal array,
 * which callers must not modify.
 */
public final class Transaction {
    public static final int TYPE_LEGACY = 0x00;
    public static final int TYPE_ACCESS_LIST = 0x01;
    public static final int TYPE_EIP1559 = 0x02;
    public static final int TYPE_BLOB = 0x03;
    public static final int TYPE_EIP7702 = 0x04;
    public static final int TYPE_L1_MESSAGE = 0x7E;

    public static final long TX_GAS = 21_000;
    public static final long TX_CREATE_GAS = 53_000;
    public static final long TX_DATA_ZERO_GAS = 4;
    public static final long TX_DATA_NON_ZERO_GAS = 16;
    public static final long ACCESS_LIST_ADDRESS_GAS = 2_400;
    public static final long ACCESS_LIST_STORAGE_KEY_GAS = 1_900;
    public static final long INITCODE_WORD_GAS = 2;
    public static final long PER_EMPTY_ACCOUNT_COST = 25_000;
    public static final long TOTAL_COST_FLOOR_PER_TOKEN = 10;
    public static final int MAX_INITCODE_SIZE = 49_152;

    private static final BigInteger MAX_U256 = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);

    private final int type;
    private final Long chainId;
    private final long nonce;
    private final BigInteger feeCap;
    private final BigInteger tip;
    private final long gasLimit;
    private final Address to;
    private final BigInteger value;
    private final byte[] data;
    private final List<AccessListEntry> accessList;
    private final int accessListKeyCount;
    private final List<Authorization> authorizationList;
    private final BigInteger v;
    private final int yParity;
    private final BigInteger r;
    private final BigInteger s;
    private final Address l1Sender;
    private final byte[] raw;
    /** Region of {@code raw} holding the RLP of the fields covered by the signature. */
    private final int unsignedStart;
    private final int unsignedEnd;

    private volatile Object senderCache; // Address, or INVALID
    private volatile Hash32 hashCache;
    private volatile int zeroBytes = -1;
    private volatile int l1CompressedSize = -1;

    private static final Object INVALID = new Object();

    Transaction(int type, Long chainId, long nonce, BigInteger feeCap, BigInteger tip, long gasLimit, Address to,
            BigInteger value, byte[] data, List<AccessListEntry> accessList, int accessListKeyCount,
            List<Authorization> authorizationList, BigInteger v, int yParity, BigInteger r, BigInteger s,
            Address l1Sender, byte[] raw, int unsignedStart, int unsignedEnd) {
        this.type = type;
        this.chainId = chainId;
        this.nonce = nonce;
        this.feeCap = feeCap;
        this.tip = tip;
        this.gasLimit = gasLimit;
        this.to = to;
        this.value = value;
        this.data = data;
        this.accessList = accessList;
        this.accessListKeyCount = accessListKeyCount;
        this.authorizationList = authorizationList;
        this.v = v;
        this.yParity = yParity;
        this.r = r;
        this.s = s;
        this.l1Sender = l1Sender;
        this.raw = raw;
        this.unsignedStart = unsignedStart;
        this.unsignedEnd = unsignedEnd;
    }

    // ---- fields ----

    /** 0, 1, 2, 4 or 0x7E. */
    public int type() {
        return type;
    }

    /** Chain id; null for pre-EIP-155 legacy transactions and for L1 messages. */
    public Long chainId() {
        return chainId;
    }

    /**
     * The account nonce. For an L1 message this is 0, as in l2geth ({@code L1MessageTx.nonce()})
     * and scroll-reth ({@code TxL1Message::nonce}); its queue index is {@link #queueIndex()}. An L1
     * message is never nonce-checked (the sender's nonce is still incremented).
     *
     * <p>Unsigned 64 bits on the wire: a nonce of 2^63 or more reads as negative here (compare with
     * {@link Long#compareUnsigned}). No account nonce gets there, so execution finds it "nonce too
     * high" and the gateway refuses it at admission; its bytes, hash and sender stay exact.
     */
    public long nonce() {
        return type == TYPE_L1_MESSAGE ? 0 : nonce;
    }

    /** The L1 queue index of an L1 message; -1 for any other type. */
    public long queueIndex() {
        return type == TYPE_L1_MESSAGE ? nonce : -1;
    }

    public boolean isL1Message() {
        return type == TYPE_L1_MESSAGE;
    }

    /** gasPrice for types 0/1, maxFeePerGas for 2/4, zero for 0x7E. */
    public BigInteger gasPrice() {
        return feeCap;
    }

    /** maxFeePerGas for 2/4; gasPrice for 0/1; zero for 0x7E. */
    public BigInteger maxFeePerGas() {
        return feeCap;
    }

    /** maxPriorityFeePerGas for 2/4; gasPrice for 0/1 (as geth's GasTipCap); zero for 0x7E. */
    public BigInteger maxPriorityFeePerGas() {
        return tip;
    }

    public boolean isDynamicFee() {
        return type == TYPE_EIP1559 || type == TYPE_EIP7702;
    }

    /**
     * The gas limit, saturated at 2^63-1: the wire allows 64 unsigned bits, and a limit of 2^63 or
     * more behaves as 2^63-1, which exceeds every block gas limit, so it is never includable either
     * way. {@link #rawGasLimit()} has the exact value.
     */
    public long gasLimit() {
        return gasLimit < 0 ? Long.MAX_VALUE : gasLimit;
    }

    /** The gas limit exactly as signed: unsigned 64 bits kept in a long. */
    public long rawGasLimit() {
        return gasLimit;
    }

    /** The recipient; null for contract creation. */
    public Address to() {
        return to;
    }

    public boolean isContractCreation() {
        return to == null;
    }

    public BigInteger value() {
        return value;
    }

    /** Calldata or initcode (a copy). */
    public byte[] data() {
        return data.clone();
    }

    /** The internal calldata array; do not modify. */
    public byte[] unsafeData() {
        return data;
    }

    public int dataLength() {
        return data.length;
    }

    public List<AccessListEntry> accessList() {
        return accessList;
    }

    public int accessListStorageKeyCount() {
        return accessListKeyCount;
    }

    public List<Authorization> authorizationList() {
        return authorizationList;
    }

    /** Signature r (zero for an L1 message). */
    public BigInteger r() {
        return r;
    }

    /** Signature s (zero for an L1 message). */
    public BigInteger s() {
        return s;
    }

    /** The recovery bit 0/1 (for legacy derived from v; zero for an L1 message). */
    public int yParity() {
        return yParity;
    }

    /** v as it appears on the wire: 27/28 or chainId*2+35/36 for legacy, yParity for typed, 0 for 0x7E. */
    public BigInteger v() {
        return v;
    }

    // ---- encoding and hashing ----

    /** The EIP-2718 bytes (a copy): {@code type ‖ rlp(payload)}, or the RLP list for legacy. */
    public byte[] encoded() {
        return raw.clone();
    }

    /** The internal EIP-2718 bytes; do not modify. */
    public byte[] unsafeEncoded() {
        return raw;
    }

    public int encodedLength() {
        return raw.length;
    }

    /** keccak256 of {@link #encoded()}. */
    public Hash32 hash() {
        Hash32 h = hashCache;
        if (h == null) {
            h = Keccak.hash(raw);
            hashCache = h;
        }
        return h;
    }

    /** The hash that was signed (for an L1 message, the transaction hash: there is no signature). */
    public byte[] signingHash() {
        if (type == TYPE_L1_MESSAGE) {
            return hash().toArray();
        }
        KeccakDigest d = new KeccakDigest(256);
        int fieldsLen = unsignedEnd - unsignedStart;
        if (type == TYPE_LEGACY) {
            byte[] cid = chainId == null ? null : Rlp.encodeLong(chainId);
            int extraLen = cid == null ? 0 : cid.length + 2; // rlp(chainId) ‖ rlp(0) ‖ rlp(0)
            updateListHeader(d, fieldsLen + extraLen);
            d.update(raw, unsignedStart, fieldsLen);
            if (cid != null) {
                d.update(cid, 0, cid.length);
                d.update((byte) 0x80);
                d.update((byte) 0x80);
            }
        } else {
            d.update((byte) type);
            updateListHeader(d, fieldsLen);
            d.update(raw, unsignedStart, fieldsLen);
        }
        byte[] out = new byte[32];
        d.doFinal(out, 0);
        return out;
    }

    private static void updateListHeader(KeccakDigest d, int payloadLen) {
        if (payloadLen < 56) {
            d.update((byte) (0xc0 + payloadLen));
        } else {
            byte[] len = Rlp.minimalBytes(payloadLen);
            d.update((byte) (0xf7 + len.length));
            d.update(len, 0, len.length);
        }
    }

    /**
     * The sender: recovered from the signature on first use and cached; for an L1 message the
     * sender field.
     *
     * @throws InvalidTransactionException {@code INVALID_SENDER} if no public key recovers
     */
    /**
     * Gives a transaction decoded from a store this process wrote the sender it recovered before,
     * so reading a stored block does not recover every sender again. Ignored if the sender is
     * already known. Not for bytes from outside: those must go through {@link #sender()}.
     */
    public void restoreSender(Address sender) {
        if (senderCache == null && l1Sender == null && sender != null) {
            senderCache = sender;
        }
    }

    public Address sender() {
        Object c = senderCache;
        if (c == null) {
            if (l1Sender != null) {
                c = l1Sender;
            } else {
                Address a = Secp256k1.recoverAddress(signingHash(), yParity, r, s);
                c = a == null ? INVALID : a;
            }
            senderCache = c;
        }
        if (c == INVALID) {
            throw new InvalidTransactionException(INVALID_SENDER, "invalid sender: signature does not recover a public key");
        }
        return (Address) c;
    }

    // ---- gas and fees ----

    /**
     * The L1 fee's compressed size of these signed bytes if this object has been given it, else -1.
     * A pure function of the bytes, so it travels with the transaction: a re-executing reader
     * computes it while preparing the block and finds it again when charging the fee, even where
     * the process-wide memo is bypassed.
     */
    public int knownL1CompressedSize() {
        return l1CompressedSize;
    }

    /** Keeps the compressed size computed for {@link #encoded()} (see {@link #knownL1CompressedSize()}). */
    public void rememberL1CompressedSize(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("compressed size " + size);
        }
        l1CompressedSize = size;
    }

    /**
     * Price per gas actually paid: gasPrice for types 0/1; min(maxFee, baseFee + maxPriority) for
     * 2/4 (maxFee if {@code baseFee} is null); zero for an L1 message. The caller checks that
     * maxFee covers the base fee.
     */
    public BigInteger effectiveGasPrice(BigInteger baseFee) {
        if (type == TYPE_L1_MESSAGE) {
            return BigInteger.ZERO;
        }
        if (!isDynamicFee() || baseFee == null) {
            return feeCap;
        }
        return feeCap.min(baseFee.add(tip));
    }

    /** The miner tip per gas at this base fee: effectiveGasPrice - baseFee (may be negative if feeCap &lt; baseFee). */
    public BigInteger effectiveTip(BigInteger baseFee) {
        if (type == TYPE_L1_MESSAGE) {
            return BigInteger.ZERO;
        }
        BigInteger base = baseFee == null ? BigInteger.ZERO : baseFee;
        if (!isDynamicFee()) {
            return feeCap.subtract(base);
        }
        return tip.min(feeCap.subtract(base));
    }

    private int zeroBytes() {
        int z = zeroBytes;
        if (z < 0) {
            z = 0;
            for (byte b : data) {
                if (b == 0) {
                    z++;
                }
            }
            zeroBytes = z;
        }
        return z;
    }

    /**
     * Intrinsic gas under Shanghai rules plus EIP-7702: 21000 (53000 for creation), 4 per zero and
     * 16 per non-zero calldata byte, 2400 per access-list address and 1900 per storage key, 2 per
     * 32-byte initcode word for creation (EIP-3860), 25000 per authorization. An L1 message uses
     * the same formula (it is always a call and has no access list).
     */
    public long intrinsicGas() {
        int zeros = zeroBytes();
        long gas = to == null ? TX_CREATE_GAS : TX_GAS;
        gas += zeros * TX_DATA_ZERO_GAS + (long) (data.length - zeros) * TX_DATA_NON_ZERO_GAS;
        if (to == null) {
            gas += INITCODE_WORD_GAS * ((data.length + 31L) / 32);
        }
        gas += ACCESS_LIST_ADDRESS_GAS * accessList.size() + ACCESS_LIST_STORAGE_KEY_GAS * accessListKeyCount;
        gas += PER_EMPTY_ACCOUNT_COST * authorizationList.size();
        return gas;
    }

    /** EIP-7623 floor: 21000 + 10 * tokens, tokens = zeroBytes + 4 * nonZeroBytes. Not applied to L1 messages. */
    public long floorDataGas() {
        int zeros = zeroBytes();
        long tokens = zeros + 4L * (data.length - zeros);
        return TX_GAS + TOTAL_COST_FLOOR_PER_TOKEN * tokens;
    }

    /** {@link #validateStatic(long, boolean)} with EIP-7623 on (Scroll since Feynman). */
    public void validateStatic(long expectedChainId) {
        validateStatic(expectedChainId, true);
    }

    /**
     * Stateless validity beyond decoding: chain id (an unprotected legacy transaction passes),
     * initcode size (EIP-3860), gas limit at least the intrinsic gas and, with {@code eip7623},
     * at least the calldata floor (not for L1 messages), gasLimit * feeCap within 256 bits, and a
     * recoverable sender.
     */
    public void validateStatic(long expectedChainId, boolean eip7623) {
        if (chainId != null && chainId != expectedChainId) {
            throw new InvalidTransactionException(WRONG_CHAIN_ID, "invalid chain id: have " + chainId + ", want " + expectedChainId);
        }
        if (to == null && data.length > MAX_INITCODE_SIZE) {
            throw new InvalidTransactionException(INITCODE_TOO_LARGE,
                    "max initcode size exceeded: code size " + data.length + ", limit " + MAX_INITCODE_SIZE);
        }
        long intrinsic = intrinsicGas();
        if (gasLimit() < intrinsic) {
            throw new InvalidTransactionException(INTRINSIC_GAS_TOO_LOW, "intrinsic gas too low: have " + gasLimit + ", want " + intrinsic);
        }
        if (eip7623 && type != TYPE_L1_MESSAGE) {
            long floor = floorDataGas();
            if (gasLimit() < floor) {
                throw new InvalidTransactionException(INTRINSIC_GAS_TOO_LOW,
                        "insufficient gas for floor data gas cost: have " + gasLimit + ", want " + floor);
            }
        }
        if (feeCap.multiply(new BigInteger(Long.toUnsignedString(gasLimit))).compareTo(MAX_U256) > 0) {
            throw new InvalidTransactionException(GAS_PRICE_PRODUCT_OVERFLOW, "gas limit * fee cap overflows 256 bits");
        }
        sender();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Transaction t && java.util.Arrays.equals(raw, t.raw);
    }

    @Override
    public int hashCode() {
        return hash().hashCode();
    }

    @Override
    public String toString() {
        return "Transaction{type=" + type + ", hash=" + hash() + (isL1Message() ? ", queueIndex=" + nonce : ", nonce=" + nonce)
                + ", to=" + to + ", gasLimit=" + Long.toUnsignedString(gasLimit) + "}";
    }

    // ---- building ----

    /** Legacy transaction; {@code chainId} null for an unprotected (pre-EIP-155) one. */
    public static Builder legacy(Long chainId) {
        return new Builder(TYPE_LEGACY, chainId);
    }

    public static Builder accessList(long chainId) {
        return new Builder(TYPE_ACCESS_LIST, chainId);
    }

    public static Builder eip1559(long chainId) {
        return new Builder(TYPE_EIP1559, chainId);
    }

    public static Builder eip7702(long chainId) {
        return new Builder(TYPE_EIP7702, chainId);
    }

    /** An L1 message (0x7E): {@code 0x7E ‖ rlp([queueIndex, gasLimit, to, value, data, sender])}. */
    public static Transaction l1Message(long queueIndex, long gasLimit, Address to, BigInteger value, byte[] data, Address sender) {
        Objects.requireNonNull(to, "an L1 message always has a recipient");
        Objects.requireNonNull(sender, "sender");
        byte[] list = Rlp.encodeList(
                Rlp.encodeLong(queueIndex),
                Rlp.encodeLong(gasLimit),
                Rlp.encodeBytes(to.unsafeBytes()),
                Rlp.encodeBigInteger(value),
                Rlp.encodeBytes(data),
                Rlp.encodeBytes(sender.unsafeBytes()));
        return TransactionDecoder.decodeOwned(prefixed(TYPE_L1_MESSAGE, list));
    }

    private static byte[] prefixed(int type, byte[] list) {
        byte[] out = new byte[list.length + 1];
        out[0] = (byte) type;
        System.arraycopy(list, 0, out, 1, list.length);
        return out;
    }

    /** Builds and signs a transaction of types 0, 1, 2 or 4. */
    public static final class Builder {
        private final int type;
        private final Long chainId;
        private long nonce;
        private BigInteger gasPrice = BigInteger.ZERO;
        private BigInteger maxPriorityFeePerGas = BigInteger.ZERO;
        private BigInteger maxFeePerGas = BigInteger.ZERO;
        private long gasLimit;
        private Address to;
        private BigInteger value = BigInteger.ZERO;
        private byte[] data = new byte[0];
        private List<AccessListEntry> accessList = List.of();
        private List<Authorization> authorizationList = List.of();

        private Builder(int type, Long chainId) {
            this.type = type;
            this.chainId = chainId;
        }

        public Builder nonce(long nonce) {
            this.nonce = nonce;
            return this;
        }

        /** gasPrice for types 0/1 (for 2/4 sets both fee caps to this value). */
        public Builder gasPrice(BigInteger gasPrice) {
            this.gasPrice = gasPrice;
            this.maxFeePerGas = gasPrice;
            this.maxPriorityFeePerGas = gasPrice;
            return this;
        }

        public Builder gasPrice(long gasPrice) {
            return gasPrice(BigInteger.valueOf(gasPrice));
        }

        public Builder maxPriorityFeePerGas(BigInteger v) {
            this.maxPriorityFeePerGas = v;
            return this;
        }

        public Builder maxPriorityFeePerGas(long v) {
            return maxPriorityFeePerGas(BigInteger.valueOf(v));
        }

        public Builder maxFeePerGas(BigInteger v) {
            this.maxFeePerGas = v;
            return this;
        }

        public Builder maxFeePerGas(long v) {
            return maxFeePerGas(BigInteger.valueOf(v));
        }

        public Builder gasLimit(long gasLimit) {
            this.gasLimit = gasLimit;
            return this;
        }

        /** Recipient; null for contract creation. */
        public Builder to(Address to) {
            this.to = to;
            return this;
        }

        public Builder value(BigInteger value) {
            this.value = value;
            return this;
        }

        public Builder value(long value) {
            return value(BigInteger.valueOf(value));
        }

        public Builder data(byte[] data) {
            this.data = data.clone();
            return this;
        }

        public Builder accessList(List<AccessListEntry> accessList) {
            this.accessList = List.copyOf(accessList);
            return this;
        }

        public Builder authorizationList(List<Authorization> authorizationList) {
            this.authorizationList = List.copyOf(authorizationList);
            return this;
        }

        private List<byte[]> fields() {
            List<byte[]> f = new ArrayList<>(16);
            if (type != TYPE_LEGACY) {
                f.add(Rlp.encodeLong(chainId));
            }
            f.add(Rlp.encodeBytes(Rlp.minimalBytes(nonce))); // unsigned 64 bits, as decoded
            if (type == TYPE_LEGACY || type == TYPE_ACCESS_LIST) {
                f.add(Rlp.encodeBigInteger(gasPrice));
            } else {
                f.add(Rlp.encodeBigInteger(maxPriorityFeePerGas));
                f.add(Rlp.encodeBigInteger(maxFeePerGas));
            }
            f.add(Rlp.encodeBytes(Rlp.minimalBytes(gasLimit))); // unsigned 64 bits, as decoded
            f.add(to == null ? Rlp.EMPTY_STRING : Rlp.encodeBytes(to.unsafeBytes()));
            f.add(Rlp.encodeBigInteger(value));
            f.add(Rlp.encodeBytes(data));
            if (type != TYPE_LEGACY) {
                f.add(encodeAccessList(accessList));
            }
            if (type == TYPE_EIP7702) {
                List<byte[]> auths = new ArrayList<>(authorizationList.size());
                for (Authorization a : authorizationList) {
                    auths.add(a.encode());
                }
                f.add(Rlp.encodeList(auths));
            }
            return f;
        }

        /** The hash to sign (EIP-155 for a legacy transaction with a chain id). */
        public byte[] signingHash() {
            List<byte[]> f = fields();
            if (type == TYPE_LEGACY) {
                if (chainId != null) {
                    f.add(Rlp.encodeLong(chainId));
                    f.add(Rlp.EMPTY_STRING);
                    f.add(Rlp.EMPTY_STRING);
                }
                return Keccak.hash256(Rlp.encodeList(f));
            }
            return Keccak.hash256(prefixed(type, Rlp.encodeList(f)));
        }

        /** Signs with RFC 6979 deterministic ECDSA (low s) and returns the decoded transaction. */
        public Transaction sign(BigInteger privateKey) {
            Secp256k1.Signature sig = Secp256k1.sign(signingHash(), privateKey);
            return withSignature(sig.yParity(), sig.r(), sig.s());
        }

        /** Attaches a given signature; the result goes through the strict decoder. */
        public Transaction withSignature(int yParity, BigInteger r, BigInteger s) {
            return TransactionDecoder.decodeOwned(encode(yParity, r, s));
        }

        /** The wire bytes with a given signature, without any validation (for tests and tools). */
        public byte[] encode(int yParity, BigInteger r, BigInteger s) {
            List<byte[]> f = fields();
            if (type == TYPE_LEGACY) {
                BigInteger v = chainId == null
                        ? BigInteger.valueOf(27L + yParity)
                        : BigInteger.valueOf(chainId).shiftLeft(1).add(BigInteger.valueOf(35L + yParity));
                f.add(Rlp.encodeBigInteger(v));
            } else {
                f.add(Rlp.encodeLong(yParity));
            }
            f.add(Rlp.encodeBigInteger(r));
            f.add(Rlp.encodeBigInteger(s));
            byte[] list = Rlp.encodeList(f);
            return type == TYPE_LEGACY ? list : prefixed(type, list);
        }
    }

    static byte[] encodeAccessList(List<AccessListEntry> accessList) {
        List<byte[]> entries = new ArrayList<>(accessList.size());
        for (AccessListEntry e : accessList) {
            List<byte[]> keys = new ArrayList<>(e.storageKeys().size());
            for (Hash32 k : e.storageKeys()) {
                keys.add(Rlp.encodeBytes(k.unsafeBytes()));
            }
            entries.add(Rlp.encodeList(Rlp.encodeBytes(e.address().unsafeBytes()), Rlp.encodeList(keys)));
        }
        return Rlp.encodeList(entries);
    }

    /** Short description for logs: type and hash. */
    public String describe() {
        return "0x" + Integer.toHexString(type) + ":" + hash().toHex() + " (" + raw.length + " bytes)";
    }
}
