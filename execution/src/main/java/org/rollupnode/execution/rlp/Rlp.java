package org.rollupnode.execution.rlp;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Recursive Length Prefix codec. Written here rather than taken from web3j because web3j's
 * decoder accepts non-canonical encodings, and a sequencer must reject those: two byte strings
 * for one transaction would mean two hashes for one transaction.
 */
public final class Rlp {
    public static final byte[] EMPTY_STRING = {(byte) 0x80};
    public static final byte[] EMPTY_LIST = {(byte) 0xc0};

    private Rlp() {}

    // ---- encoding ----

    public static byte[] encodeBytes(byte[] value) {
        if (value.length == 1 && (value[0] & 0xff) < 0x80) {
            return new byte[] {value[0]};
        }
        return withPrefix(0x80, value);
    }

    public static byte[] encodeLong(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("RLP scalars are unsigned");
        }
        return encodeBytes(minimalBytes(value));
    }

    public static byte[] encodeBigInteger(BigInteger value) {
        if (value.signum() < 0) {
            throw new IllegalArgumentException("RLP scalars are unsigned");
        }
        return encodeBytes(minimalBytes(value));
    }

    /** Encodes a list from already encoded items. */
    public static byte[] encodeList(byte[]... encodedItems) {
        int total = 0;
        for (byte[] item : encodedItems) {
            total += item.length;
        }
        byte[] payload = new byte[total];
        int pos = 0;
        for (byte[] item : encodedItems) {
            System.arraycopy(item, 0, payload, pos, item.length);
            pos += item.length;
        }
        return withPrefix(0xc0, payload);
    }

    public static byte[] encodeList(List<byte[]> encodedItems) {
        return encodeList(encodedItems.toArray(new byte[0][]));
    }

    public static byte[] minimalBytes(long value) {
        int len = (64 - Long.numberOfLeadingZeros(value) + 7) / 8;
        byte[] out = new byte[len];
        for (int i = len - 1; i >= 0; i--) {
            out[i] = (byte) value;
            value >>>= 8;
        }
        return out;
    }

    public static byte[] minimalBytes(BigInteger value) {
        if (value.signum() == 0) {
            return new byte[0];
        }
        byte[] b = value.toByteArray();
        if (b[0] == 0) {
            byte[] t = new byte[b.length - 1];
            System.arraycopy(b, 1, t, 0, t.length);
            return t;
        }
        return b;
    }

    private static byte[] withPrefix(int base, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + 9);
        if (payload.length < 56) {
            out.write(base + payload.length);
        } else {
            byte[] len = minimalBytes(payload.length);
            out.write(base + 55 + len.length);
            out.writeBytes(len);
        }
        out.writeBytes(payload);
        return out.toByteArray();
    }

    // ---- decoding ----

    /** Decodes exactly one item that must span the whole input. */
    public static RlpItem decode(byte[] input) {
        int[] pos = {0};
        RlpItem item = decodeItem(input, pos, input.length, 0);
        if (pos[0] != input.length) {
            throw new RlpException("trailing bytes after RLP item: " + (input.length - pos[0]) + " bytes at offset " + pos[0]);
        }
        return item;
    }

    /** Length in bytes of the first encoded item of {@code input} starting at {@code offset}. */
    public static int itemLength(byte[] input, int offset) {
        int[] pos = {offset};
        decodeItem(input, pos, input.length, 0);
        return pos[0] - offset;
    }

    private static final int MAX_DEPTH = 1024;

    private static RlpItem decodeItem(byte[] in, int[] pos, int end, int depth) {
        if (depth > MAX_DEPTH) {
            throw new RlpException("RLP nesting deeper than " + MAX_DEPTH);
        }
        int p = pos[0];
        if (p >= end) {
            throw new RlpException("unexpected end of input at offset " + p);
        }
        int b = in[p] & 0xff;
        if (b < 0x80) {
            pos[0] = p + 1;
            return new RlpItem.Str(new byte[] {(byte) b});
        }
        if (b < 0xb8) {
            int len = b - 0x80;
            int start = p + 1;
            checkBounds(start, len, end);
            if (len == 1 && (in[start] & 0xff) < 0x80) {
                throw new RlpException("non-canonical RLP: single byte below 0x80 encoded as a string at offset " + p);
            }
            pos[0] = start + len;
            return new RlpItem.Str(slice(in, start, len));
        }
        if (b < 0xc0) {
            int lenOfLen = b - 0xb7;
            int len = readLength(in, p + 1, lenOfLen, end);
            int start = p + 1 + lenOfLen;
            checkBounds(start, len, end);
            pos[0] = start + len;
            return new RlpItem.Str(slice(in, start, len));
        }
        int len;
        int start;
        if (b < 0xf8) {
            len = b - 0xc0;
            start = p + 1;
        } else {
            int lenOfLen = b - 0xf7;
            len = readLength(in, p + 1, lenOfLen, end);
            start = p + 1 + lenOfLen;
        }
        checkBounds(start, len, end);
        int listEnd = start + len;
        List<RlpItem> items = new ArrayList<>();
        int[] inner = {start};
        while (inner[0] < listEnd) {
            items.add(decodeItem(in, inner, listEnd, depth + 1));
        }
        pos[0] = listEnd;
        return new RlpItem.Lst(List.copyOf(items));
    }

    private static int readLength(byte[] in, int start, int lenOfLen, int end) {
        checkBounds(start, lenOfLen, end);
        if (in[start] == 0) {
            throw new RlpException("non-canonical RLP: length has leading zero at offset " + start);
        }
        if (lenOfLen > 4) {
            throw new RlpException("RLP length field of " + lenOfLen + " bytes is too large");
        }
        long len = 0;
        for (int i = 0; i < lenOfLen; i++) {
            len = (len << 8) | (in[start + i] & 0xff);
        }
        if (len < 56) {
            throw new RlpException("non-canonical RLP: long form used for length " + len + " at offset " + (start - 1));
        }
        if (len > Integer.MAX_VALUE) {
            throw new RlpException("RLP length " + len + " is too large");
        }
        return (int) len;
    }

    private static void checkBounds(int start, int len, int end) {
        if (len < 0 || start + (long) len > end) {
            throw new RlpException("RLP item of " + len + " bytes at offset " + start + " runs past the end of its container");
        }
    }

    private static byte[] slice(byte[] in, int start, int len) {
        byte[] out = new byte[len];
        System.arraycopy(in, start, out, 0, len);
        return out;
    }
}
