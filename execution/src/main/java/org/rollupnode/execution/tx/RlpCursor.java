package org.rollupnode.execution.tx;

import static org.rollupnode.execution.tx.InvalidTransactionException.Reason.MALFORMED_RLP;
import static org.rollupnode.execution.tx.InvalidTransactionException.Reason.WRONG_FIELD_COUNT;

/**
 * Allocation-free strict RLP reader over a region of a byte array. {@link #next} parses one item
 * header, checks that it is canonical and within bounds, records where the item's payload is and
 * steps over it. Errors are {@link InvalidTransactionException}s naming the field.
 */
final class RlpCursor {
    private final byte[] in;
    private int pos;
    private final int end;

    /** Of the item read last: where its header starts, where its payload starts, payload length, kind. */
    int itemStart;
    int start;
    int len;
    boolean list;

    RlpCursor(byte[] in, int pos, int end) {
        this.in = in;
        this.pos = pos;
        this.end = end;
    }

    boolean hasMore() {
        return pos < end;
    }

    int position() {
        return pos;
    }

    /** A cursor over the payload of the list just read. */
    RlpCursor inner() {
        return new RlpCursor(in, start, start + len);
    }

    /** Reads the next item; a missing item is a field-count error. */
    void next(String field) {
        if (pos >= end) {
            throw new InvalidTransactionException(WRONG_FIELD_COUNT, "transaction has too few RLP fields: missing " + field);
        }
        int p = pos;
        itemStart = p;
        int b = in[p] & 0xff;
        if (b < 0x80) {
            list = false;
            start = p;
            len = 1;
        } else if (b < 0xb8) {
            list = false;
            start = p + 1;
            len = b - 0x80;
            bounds(field);
            if (len == 1 && (in[start] & 0xff) < 0x80) {
                throw malformed(field, "single byte below 0x80 must not carry a string header");
            }
        } else if (b < 0xc0) {
            list = false;
            readLongLength(p, b - 0xb7, field);
        } else if (b < 0xf8) {
            list = true;
            start = p + 1;
            len = b - 0xc0;
            bounds(field);
        } else {
            list = true;
            readLongLength(p, b - 0xf7, field);
        }
        pos = start + len;
    }

    /** Reads the next item and requires a byte string. */
    void nextString(String field) {
        next(field);
        if (list) {
            throw malformed(field, "expected a byte string, found a list");
        }
    }

    /** Reads the next item and requires a list. */
    void nextList(String field) {
        next(field);
        if (!list) {
            throw malformed(field, "expected a list, found a byte string");
        }
    }

    private void readLongLength(int p, int lenOfLen, String field) {
        int ls = p + 1;
        if (ls + lenOfLen > end) {
            throw malformed(field, "length runs past the end of the input");
        }
        if (in[ls] == 0) {
            throw malformed(field, "length has a leading zero");
        }
        if (lenOfLen > 4) {
            throw malformed(field, "length of " + lenOfLen + " bytes is too large");
        }
        long l = 0;
        for (int i = 0; i < lenOfLen; i++) {
            l = (l << 8) | (in[ls + i] & 0xff);
        }
        if (l < 56) {
            throw malformed(field, "long form used for a length below 56");
        }
        if (l > Integer.MAX_VALUE) {
            throw malformed(field, "length " + l + " is too large");
        }
        start = ls + lenOfLen;
        len = (int) l;
        bounds(field);
    }

    private void bounds(String field) {
        if ((long) start + len > end) {
            throw malformed(field, "item of " + len + " bytes runs past the end of its container (truncated input?)");
        }
    }

    static InvalidTransactionException malformed(String field, String what) {
        return new InvalidTransactionException(MALFORMED_RLP, "malformed transaction RLP in " + field + ": " + what);
    }
}
