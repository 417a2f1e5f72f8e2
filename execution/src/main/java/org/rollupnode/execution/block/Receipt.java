package org.rollupnode.execution.block;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rollupnode.execution.rlp.Rlp;
import org.rollupnode.execution.rlp.RlpException;
import org.rollupnode.execution.rlp.RlpItem;

/**
 * A post-Byzantium transaction receipt and its consensus encoding, the value stored in the
 * receipts trie: {@code rlp([status, cumulativeGasUsed, bloom, logs])} for a legacy transaction,
 * {@code type ‖ that rlp} for a typed one (EIP-2718). Immutable.
 */
public final class Receipt {
    public static final int LEGACY = 0x00;
    public static final int ACCESS_LIST = 0x01;
    public static final int DYNAMIC_FEE = 0x02;
    public static final int SET_CODE = 0x04;
    /** Scroll's L1 message transaction. */
    public static final int L1_MESSAGE = 0x7e;

    private static final byte[] STATUS_SUCCESS = {1};
    private static final byte[] STATUS_FAILURE = {};

    private final int type;
    private final boolean success;
    private final long cumulativeGasUsed;
    private final List<Log> logs;
    private final Bloom bloom;

    public Receipt(int type, boolean success, long cumulativeGasUsed, List<Log> logs) {
        this(type, success, cumulativeGasUsed, List.copyOf(logs), null);
    }

    private Receipt(int type, boolean success, long cumulativeGasUsed, List<Log> logs, Bloom bloom) {
        checkType(type);
        if (cumulativeGasUsed < 0) {
            throw new IllegalArgumentException("cumulative gas used must not be negative: " + cumulativeGasUsed);
        }
        this.type = type;
        this.success = success;
        this.cumulativeGasUsed = cumulativeGasUsed;
        this.logs = logs;
        this.bloom = bloom != null ? bloom : Bloom.of(logs);
    }

    private static void checkType(int type) {
        if (!isSupportedType(type)) {
            throw new IllegalArgumentException("unsupported receipt type 0x" + Integer.toHexString(type));
        }
    }

    /** Scroll has no blob transactions (type 3), so no blob receipts either. */
    private static boolean isSupportedType(int type) {
        return type == LEGACY || type == ACCESS_LIST || type == DYNAMIC_FEE || type == SET_CODE || type == L1_MESSAGE;
    }

    public int type() {
        return type;
    }

    public boolean success() {
        return success;
    }

    public long cumulativeGasUsed() {
        return cumulativeGasUsed;
    }

    public List<Log> logs() {
        return logs;
    }

    public Bloom bloom() {
        return bloom;
    }

    public byte[] encode() {
        byte[][] encodedLogs = new byte[logs.size()][];
        for (int i = 0; i < encodedLogs.length; i++) {
            encodedLogs[i] = logs.get(i).rlp();
        }
        byte[] body = Rlp.encodeList(
                Rlp.encodeBytes(success ? STATUS_SUCCESS : STATUS_FAILURE),
                Rlp.encodeLong(cumulativeGasUsed),
                Rlp.encodeBytes(bloom.unsafeBytes()),
                Rlp.encodeList(encodedLogs));
        if (type == LEGACY) {
            return body;
        }
        byte[] out = new byte[body.length + 1];
        out[0] = (byte) type;
        System.arraycopy(body, 0, out, 1, body.length);
        return out;
    }

    /**
     * Decodes a consensus encoding. Everything that is not a canonical receipt, including a bloom
     * that does not match the logs, is an {@link RlpException}.
     */
    public static Receipt decode(byte[] encoded) {
        if (encoded.length == 0) {
            throw new RlpException("empty receipt encoding");
        }
        int first = encoded[0] & 0xff;
        int type;
        RlpItem item;
        if (first >= 0xc0) {
            type = LEGACY;
            item = Rlp.decode(encoded);
        } else {
            type = first;
            // 0x00 never prefixes anything: a legacy receipt is the bare list.
            if (type == LEGACY || !isSupportedType(type)) {
                throw new RlpException("unsupported receipt type byte 0x" + Integer.toHexString(type));
            }
            item = Rlp.decode(Arrays.copyOfRange(encoded, 1, encoded.length));
        }
        List<RlpItem> fields = item.list();
        if (fields.size() != 4) {
            throw new RlpException("receipt must be a list of 4 items [status, cumulativeGasUsed, bloom, logs], got " + fields.size());
        }
        byte[] status = fields.get(0).bytes();
        boolean success;
        if (status.length == 0) {
            success = false;
        } else if (status.length == 1 && status[0] == 1) {
            success = true;
        } else if (status.length == 32) {
            throw new RlpException("pre-Byzantium receipt (intermediate state root instead of status) is not supported");
        } else {
            throw new RlpException("receipt status must be 0x01 or empty, got " + status.length + " bytes");
        }
        long cumulativeGasUsed = fields.get(1).asLong();
        byte[] bloomBytes = fields.get(2).bytes();
        if (bloomBytes.length != Bloom.BYTES) {
            throw new RlpException("receipt bloom must be 256 bytes, got " + bloomBytes.length);
        }
        List<RlpItem> logItems = fields.get(3).list();
        List<Log> logs = new ArrayList<>(logItems.size());
        for (RlpItem l : logItems) {
            logs.add(Log.decode(l));
        }
        Bloom bloom = Bloom.fromBytes(bloomBytes);
        if (!bloom.equals(Bloom.of(logs))) {
            throw new RlpException("receipt bloom does not match its logs");
        }
        return new Receipt(type, success, cumulativeGasUsed, List.copyOf(logs), bloom);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Receipt r
                && type == r.type
                && success == r.success
                && cumulativeGasUsed == r.cumulativeGasUsed
                && logs.equals(r.logs);
    }

    @Override
    public int hashCode() {
        return ((type * 31 + Boolean.hashCode(success)) * 31 + Long.hashCode(cumulativeGasUsed)) * 31 + logs.hashCode();
    }

    @Override
    public String toString() {
        return "Receipt[type=" + type + ", success=" + success + ", cumulativeGasUsed=" + cumulativeGasUsed
                + ", logs=" + logs.size() + "]";
    }
}
