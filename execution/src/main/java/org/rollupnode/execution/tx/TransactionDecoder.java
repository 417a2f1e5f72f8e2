package org.rollupnode.execution.tx;

import static org.rollupnode.execution.tx.InvalidTransactionException.Reason.BLOB_TX_NOT_SUPPORTED;
import static org.rollupnode.execution.tx.InvalidTransactionException.Reason.CREATE_NOT_ALLOWED;
import static org.rollupnode.execution.tx.InvalidTransactionException.Reason.EMPTY_AUTHORIZATION_LIST;
import static org.rollupnode.execution.tx.InvalidTransactionException.Reason.EMPTY_INPUT;
import static org.rollupnode.execution.tx.InvalidTransactionException.Reason.FEE_OVERFLOW;
import static org.rollupnode.execution.tx.InvalidTransactionException.Reason.GAS_LIMIT_OVERFLOW;
import static org.rollupnode.execution.tx.InvalidTransactionException.Reason.INVALID_ADDRESS;
import static org.rollupnode.execution.tx.InvalidTransactionException.Reason.INVALID_AUTHORIZATION;
import static org.rollupnode.execution.tx.InvalidTransactionException.Reason.INVALID_CHAIN_ID;
import static org.rollupnode.execution.tx.InvalidTransactionException.Reason.INVALID_SIGNATURE;
import static org.rollupnode.execution.tx.InvalidTransactionException.Reason.INVALID_STORAGE_KEY;
import static org.rollupnode.execution.tx.InvalidTransactionException.Reason.L1_MESSAGE_NOT_ALLOWED;
import static org.rollupnode.execution.tx.InvalidTransactionException.Reason.MALFORMED_RLP;
import static org.rollupnode.execution.tx.InvalidTransactionException.Reason.NONCE_OVERFLOW;
import static org.rollupnode.execution.tx.InvalidTransactionException.Reason.TIP_ABOVE_FEE_CAP;
import static org.rollupnode.execution.tx.InvalidTransactionException.Reason.TRAILING_BYTES;
import static org.rollupnode.execution.tx.InvalidTransactionException.Reason.UNSUPPORTED_TYPE;
import static org.rollupnode.execution.tx.InvalidTransactionException.Reason.VALUE_OVERFLOW;
import static org.rollupnode.execution.tx.InvalidTransactionException.Reason.WRONG_FIELD_COUNT;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rollupnode.execution.tx.InvalidTransactionException.Reason;
import org.rollupnode.execution.types.Address;
import org.rollupnode.execution.types.Hash32;
import org.rollupnode.execution.types.Hex;

/**
 * Strict decoder for EIP-2718 transaction envelopes as they travel in blocks and in
 * {@code eth_sendRawTransaction}: legacy (an RLP list), 0x01, 0x02, 0x04 and Scroll's 0x7E.
 *
 * <p>Rules: canonical RLP only, exact field count, no trailing bytes, integers without leading
 * zeros, nonce and gas limit below 2^63 (the node's {@code long}; EIP-2681 alone would allow up to
 * 2^64-2), fee and value fields at most 256 bits, maxPriorityFeePerGas &lt;= maxFeePerGas,
 * addresses of 20 bytes (empty = creation where allowed), storage keys of 32 bytes, r and s in
 * [1, n-1] and s &lt;= n/2 (EIP-2, for every type), legacy v in {27, 28, chainId*2+35,
 * chainId*2+36}, typed yParity 0 or 1. The sender is not recovered here: {@link Transaction#sender()}
 * does that lazily. Chain id, intrinsic gas and initcode size are checked by
 * {@link Transaction#validateStatic}.
 */
public final class TransactionDecoder {
    private TransactionDecoder() {}

    /** Decodes a transaction; the input is copied. */
    public static Transaction decode(byte[] raw) {
        if (raw == null || raw.length == 0) {
            throw new InvalidTransactionException(EMPTY_INPUT, "empty transaction bytes");
        }
        return decodeOwned(raw.clone());
    }

    /** Decodes a 0x-prefixed (or bare) hex string. */
    public static Transaction decodeHex(String hex) {
        byte[] raw;
        try {
            raw = Hex.decode(hex);
        } catch (IllegalArgumentException e) {
            throw new InvalidTransactionException(MALFORMED_RLP, "transaction is not valid hex: " + e.getMessage());
        }
        if (raw.length == 0) {
            throw new InvalidTransactionException(EMPTY_INPUT, "empty transaction bytes");
        }
        return decodeOwned(raw);
    }

    /**
     * Decodes a transaction submitted by a user ({@code eth_sendRawTransaction}): like
     * {@link #decode} but an L1 message (0x7E) is refused, since only the sequencer inserts those.
     */
    public static Transaction decodeUserTransaction(byte[] raw) {
        if (raw != null && raw.length > 0 && (raw[0] & 0xff) == Transaction.TYPE_L1_MESSAGE) {
            throw new InvalidTransactionException(L1_MESSAGE_NOT_ALLOWED,
                    "L1 message transactions (type 0x7e) cannot be submitted over RPC");
        }
        return decode(raw);
    }

    /** Decodes without copying; the caller hands over the array. */
    static Transaction decodeOwned(byte[] raw) {
        if (raw.length == 0) {
            throw new InvalidTransactionException(EMPTY_INPUT, "empty transaction bytes");
        }
        int first = raw[0] & 0xff;
        if (first >= 0xc0) {
            return decodeLegacy(raw);
        }
        if (first >= 0x80) {
            throw new InvalidTransactionException(MALFORMED_RLP,
                    "malformed transaction: first byte 0x" + Integer.toHexString(first)
                            + " is neither a transaction type nor an RLP list");
        }
        switch (first) {
            case Transaction.TYPE_ACCESS_LIST:
            case Transaction.TYPE_EIP1559:
            case Transaction.TYPE_EIP7702:
                return decodeTyped(raw, first);
            case Transaction.TYPE_L1_MESSAGE:
                return decodeL1Message(raw);
            case Transaction.TYPE_BLOB:
                throw new InvalidTransactionException(BLOB_TX_NOT_SUPPORTED, "blob transactions (type 3) are not supported on Scroll");
            default:
                throw new InvalidTransactionException(UNSUPPORTED_TYPE, "transaction type 0x" + Integer.toHexString(first) + " not supported");
        }
    }

    // ---- per type ----

    private static Transaction decodeLegacy(byte[] raw) {
        RlpCursor c = payload(raw, 0);
        int unsignedStart = c.position();
        long nonce = nonce(raw, c);
        BigInteger gasPrice = u256(raw, c, "gasPrice", FEE_OVERFLOW);
        long gas = u64(raw, c, "gasLimit", GAS_LIMIT_OVERFLOW);
        Address to = to(raw, c, true);
        BigInteger value = u256(raw, c, "value", VALUE_OVERFLOW);
        byte[] data = data(raw, c);
        int unsignedEnd = c.position();
        BigInteger v = u256(raw, c, "v", INVALID_SIGNATURE);
        BigInteger r = u256(raw, c, "r", INVALID_SIGNATURE);
        BigInteger s = u256(raw, c, "s", INVALID_SIGNATURE);
        noMoreFields(c, "legacy", 9);

        Long chainId;
        int yParity;
        int vSmall = v.bitLength() <= 31 ? v.intValue() : -1;
        if (vSmall == 27 || vSmall == 28) {
            chainId = null;
            yParity = vSmall - 27;
        } else if (v.compareTo(BigInteger.valueOf(35)) >= 0) {
            BigInteger offset = v.subtract(BigInteger.valueOf(35));
            BigInteger cid = offset.shiftRight(1);
            if (cid.bitLength() > 63) {
                throw new InvalidTransactionException(INVALID_CHAIN_ID, "invalid chain id: v = " + v + " encodes a chain id above 2^63-1");
            }
            chainId = cid.longValue();
            yParity = offset.testBit(0) ? 1 : 0;
        } else {
            throw new InvalidTransactionException(INVALID_CHAIN_ID,
                    "invalid chain id: legacy v = " + v + " must be 27, 28 or chainId*2+35/36 (EIP-155)");
        }
        checkSignature(r, s);
        return new Transaction(Transaction.TYPE_LEGACY, chainId, nonce, gasPrice, gasPrice, gas, to, value, data,
                List.of(), 0, List.of(), v, yParity, r, s, null, raw, unsignedStart, unsignedEnd);
    }

    private static Transaction decodeTyped(byte[] raw, int type) {
        RlpCursor c = payload(raw, 1);
        int unsignedStart = c.position();
        long chainId = chainId(raw, c);
        long nonce = nonce(raw, c);
        BigInteger tip;
        BigInteger feeCap;
        if (type == Transaction.TYPE_ACCESS_LIST) {
            feeCap = u256(raw, c, "gasPrice", FEE_OVERFLOW);
            tip = feeCap;
        } else {
            tip = u256(raw, c, "maxPriorityFeePerGas", FEE_OVERFLOW);
            feeCap = u256(raw, c, "maxFeePerGas", FEE_OVERFLOW);
        }
        long gas = u64(raw, c, "gasLimit", GAS_LIMIT_OVERFLOW);
        Address to = to(raw, c, type != Transaction.TYPE_EIP7702);
        BigInteger value = u256(raw, c, "value", VALUE_OVERFLOW);
        byte[] data = data(raw, c);
        int[] keyCount = new int[1];
        List<AccessListEntry> accessList = accessList(raw, c, keyCount);
        List<Authorization> auths = List.of();
        if (type == Transaction.TYPE_EIP7702) {
            auths = authorizationList(raw, c);
            if (auths.isEmpty()) {
                throw new InvalidTransactionException(EMPTY_AUTHORIZATION_LIST, "EIP-7702 transaction with empty authorization list");
            }
        }
        int unsignedEnd = c.position();
        BigInteger yParity = u256(raw, c, "yParity", INVALID_SIGNATURE);
        BigInteger r = u256(raw, c, "r", INVALID_SIGNATURE);
        BigInteger s = u256(raw, c, "s", INVALID_SIGNATURE);
        noMoreFields(c, "type " + type, type == 1 ? 11 : type == 2 ? 12 : 13);
        if (yParity.bitLength() > 1) {
            throw new InvalidTransactionException(INVALID_SIGNATURE, "invalid signature: yParity must be 0 or 1, got " + yParity);
        }
        if (type != Transaction.TYPE_ACCESS_LIST && tip.compareTo(feeCap) > 0) {
            throw new InvalidTransactionException(TIP_ABOVE_FEE_CAP, "max priority fee per gas higher than max fee per gas: maxPriorityFeePerGas: "
                    + tip + ", maxFeePerGas: " + feeCap);
        }
        checkSignature(r, s);
        return new Transaction(type, chainId, nonce, feeCap, tip, gas, to, value, data, accessList, keyCount[0], auths,
                yParity, yParity.intValue(), r, s, null, raw, unsignedStart, unsignedEnd);
    }

    private static Transaction decodeL1Message(byte[] raw) {
        RlpCursor c = payload(raw, 1);
        int unsignedStart = c.position();
        long queueIndex = u63(raw, c, "queueIndex", NONCE_OVERFLOW);
        long gas = u63(raw, c, "gasLimit", GAS_LIMIT_OVERFLOW);
        Address to = to(raw, c, false);
        BigInteger value = u256(raw, c, "value", VALUE_OVERFLOW);
        byte[] data = data(raw, c);
        c.nextString("sender");
        if (c.len != Address.LENGTH) {
            throw new InvalidTransactionException(INVALID_ADDRESS, "L1 message sender must be 20 bytes, got " + c.len);
        }
        Address sender = Address.wrap(raw, c.start);
        int unsignedEnd = c.position();
        noMoreFields(c, "L1 message", 6);
        return new Transaction(Transaction.TYPE_L1_MESSAGE, null, queueIndex, BigInteger.ZERO, BigInteger.ZERO, gas, to, value, data,
                List.of(), 0, List.of(), BigInteger.ZERO, 0, BigInteger.ZERO, BigInteger.ZERO, sender, raw, unsignedStart, unsignedEnd);
    }

    // ---- helpers ----

    /** The cursor over the transaction's field list at {@code offset}; the list must end the input. */
    private static RlpCursor payload(byte[] raw, int offset) {
        RlpCursor outer = new RlpCursor(raw, offset, raw.length);
        if (offset >= raw.length) {
            throw new InvalidTransactionException(MALFORMED_RLP, "malformed transaction: typed transaction has no payload");
        }
        outer.nextList("transaction payload");
        if (outer.hasMore()) {
            throw new InvalidTransactionException(TRAILING_BYTES,
                    "transaction has " + (raw.length - outer.position()) + " trailing bytes after its RLP payload");
        }
        return outer.inner();
    }

    private static void noMoreFields(RlpCursor c, String kind, int expected) {
        if (c.hasMore()) {
            throw new InvalidTransactionException(WRONG_FIELD_COUNT, kind + " transaction has too many RLP fields (expected " + expected + ")");
        }
    }

    private static void checkSignature(BigInteger r, BigInteger s) {
        if (r.signum() == 0 || r.compareTo(Secp256k1.N) >= 0) {
            throw new InvalidTransactionException(INVALID_SIGNATURE, "invalid signature: r out of range");
        }
        if (s.signum() == 0 || s.compareTo(Secp256k1.N) >= 0) {
            throw new InvalidTransactionException(INVALID_SIGNATURE, "invalid signature: s out of range");
        }
        if (s.compareTo(Secp256k1.HALF_N) > 0) {
            throw new InvalidTransactionException(INVALID_SIGNATURE, "invalid signature: s above secp256k1n/2 (EIP-2)");
        }
    }

    private static void noLeadingZero(byte[] raw, RlpCursor c, String field) {
        if (c.len > 0 && raw[c.start] == 0) {
            throw RlpCursor.malformed(field, "integer has leading zero bytes");
        }
    }

    /** Unsigned integer below 2^63. */
    private static long u63(byte[] raw, RlpCursor c, String field, Reason overflow) {
        c.nextString(field);
        noLeadingZero(raw, c, field);
        int len = c.len;
        int st = c.start;
        if (len > 8 || (len == 8 && raw[st] < 0)) {
            throw new InvalidTransactionException(overflow, field + " too large: exceeds 2^63-1");
        }
        long v = 0;
        for (int i = 0; i < len; i++) {
            v = (v << 8) | (raw[st + i] & 0xff);
        }
        return v;
    }

    /**
     * A user transaction's nonce: unsigned 64 bits (kept as the bits of a long), at most 2^64-2
     * (EIP-2681: an account nonce never reaches 2^64-1, so no transaction may carry it).
     */
    private static long nonce(byte[] raw, RlpCursor c) {
        long nonce = u64(raw, c, "nonce", NONCE_OVERFLOW);
        if (nonce == -1L) {
            throw new InvalidTransactionException(NONCE_OVERFLOW, "nonce too large: 2^64-1 is not allowed (EIP-2681)");
        }
        return nonce;
    }

    /** Unsigned integer of at most 64 bits, returned as unsigned bits in a long. */
    private static long u64(byte[] raw, RlpCursor c, String field, Reason overflow) {
        c.nextString(field);
        noLeadingZero(raw, c, field);
        if (c.len > 8) {
            throw new InvalidTransactionException(overflow, field + " too large: exceeds 64 bits");
        }
        long v = 0;
        for (int i = 0; i < c.len; i++) {
            v = (v << 8) | (raw[c.start + i] & 0xff);
        }
        return v;
    }

    private static BigInteger u256(byte[] raw, RlpCursor c, String field, Reason overflow) {
        c.nextString(field);
        noLeadingZero(raw, c, field);
        if (c.len > 32) {
            throw new InvalidTransactionException(overflow, field + " too large: exceeds 256 bits");
        }
        if (c.len == 0) {
            return BigInteger.ZERO;
        }
        return new BigInteger(1, raw, c.start, c.len);
    }

    private static long chainId(byte[] raw, RlpCursor c) {
        BigInteger id = u256(raw, c, "chainId", INVALID_CHAIN_ID);
        if (id.bitLength() > 63) {
            throw new InvalidTransactionException(INVALID_CHAIN_ID, "invalid chain id " + id + ": above 2^63-1");
        }
        return id.longValue();
    }

    private static Address to(byte[] raw, RlpCursor c, boolean createAllowed) {
        c.nextString("to");
        if (c.len == 0) {
            if (!createAllowed) {
                throw new InvalidTransactionException(CREATE_NOT_ALLOWED, "this transaction type cannot create a contract: 'to' is required");
            }
            return null;
        }
        if (c.len != Address.LENGTH) {
            throw new InvalidTransactionException(INVALID_ADDRESS, "'to' address must be 20 bytes, got " + c.len);
        }
        return Address.wrap(raw, c.start);
    }

    private static final byte[] EMPTY = new byte[0];

    private static byte[] data(byte[] raw, RlpCursor c) {
        c.nextString("data");
        return c.len == 0 ? EMPTY : Arrays.copyOfRange(raw, c.start, c.start + c.len);
    }

    private static List<AccessListEntry> accessList(byte[] raw, RlpCursor c, int[] keyCount) {
        c.nextList("accessList");
        RlpCursor al = c.inner();
        if (!al.hasMore()) {
            return List.of();
        }
        List<AccessListEntry> out = new ArrayList<>();
        while (al.hasMore()) {
            al.nextList("accessList entry");
            RlpCursor e = al.inner();
            e.nextString("accessList address");
            if (e.len != Address.LENGTH) {
                throw new InvalidTransactionException(INVALID_ADDRESS, "access list address must be 20 bytes, got " + e.len);
            }
            Address a = Address.wrap(raw, e.start);
            e.nextList("accessList storageKeys");
            RlpCursor ks = e.inner();
            List<Hash32> keys = new ArrayList<>();
            while (ks.hasMore()) {
                ks.nextString("accessList storage key");
                if (ks.len != Hash32.LENGTH) {
                    throw new InvalidTransactionException(INVALID_STORAGE_KEY, "access list storage key must be 32 bytes, got " + ks.len);
                }
                keys.add(Hash32.wrap(raw, ks.start));
            }
            if (e.hasMore()) {
                throw RlpCursor.malformed("accessList entry", "entry must be [address, storageKeys]");
            }
            keyCount[0] += keys.size();
            out.add(new AccessListEntry(a, keys));
        }
        return List.copyOf(out);
    }

    private static List<Authorization> authorizationList(byte[] raw, RlpCursor c) {
        c.nextList("authorizationList");
        RlpCursor al = c.inner();
        if (!al.hasMore()) {
            return List.of();
        }
        List<Authorization> out = new ArrayList<>();
        while (al.hasMore()) {
            al.nextList("authorization");
            RlpCursor e = al.inner();
            BigInteger chainId = u256(raw, e, "authorization chainId", INVALID_AUTHORIZATION);
            e.nextString("authorization address");
            if (e.len != Address.LENGTH) {
                throw new InvalidTransactionException(INVALID_ADDRESS, "authorization address must be 20 bytes, got " + e.len);
            }
            Address a = Address.wrap(raw, e.start);
            long nonce = u64(raw, e, "authorization nonce", INVALID_AUTHORIZATION);
            BigInteger y = u256(raw, e, "authorization yParity", INVALID_AUTHORIZATION);
            if (y.bitLength() > 8) {
                throw new InvalidTransactionException(INVALID_AUTHORIZATION, "authorization yParity too large: " + y);
            }
            BigInteger r = u256(raw, e, "authorization r", INVALID_AUTHORIZATION);
            BigInteger s = u256(raw, e, "authorization s", INVALID_AUTHORIZATION);
            if (e.hasMore()) {
                throw RlpCursor.malformed("authorization", "tuple must have 6 elements");
            }
            out.add(new Authorization(chainId, a, nonce, y.intValue(), r, s));
        }
        return List.copyOf(out);
    }
}
