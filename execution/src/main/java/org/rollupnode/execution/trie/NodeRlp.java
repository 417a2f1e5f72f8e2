package org.rollupnode.execution.trie;

/**
 * Writes node encodings straight into one exactly-sized array. The general {@code Rlp} helpers
 * build every item as its own array and copy it again into the list; nodes are encoded once per
 * changed path per block, so the copies would be the bulk of the work.
 */
final class NodeRlp {
    private NodeRlp() {}

    static int stringLength(byte[] b) {
        if (b.length == 1 && (b[0] & 0xff) < 0x80) {
            return 1;
        }
        return headerLength(b.length) + b.length;
    }

    static int headerLength(int payloadLength) {
        if (payloadLength < 56) {
            return 1;
        }
        return 1 + lengthOfLength(payloadLength);
    }

    static int writeString(byte[] out, int pos, byte[] b) {
        if (b.length == 1 && (b[0] & 0xff) < 0x80) {
            out[pos] = b[0];
            return pos + 1;
        }
        pos = writeHeader(out, pos, 0x80, b.length);
        System.arraycopy(b, 0, out, pos, b.length);
        return pos + b.length;
    }

    static int writeRaw(byte[] out, int pos, byte[] b) {
        System.arraycopy(b, 0, out, pos, b.length);
        return pos + b.length;
    }

    /** Allocates the list array and writes its header; returns the array, payload starts at {@code out.length - payloadLength}. */
    static byte[] newList(int payloadLength) {
        byte[] out = new byte[headerLength(payloadLength) + payloadLength];
        writeHeader(out, 0, 0xc0, payloadLength);
        return out;
    }

    private static int writeHeader(byte[] out, int pos, int base, int payloadLength) {
        if (payloadLength < 56) {
            out[pos] = (byte) (base + payloadLength);
            return pos + 1;
        }
        int lenOfLen = lengthOfLength(payloadLength);
        out[pos++] = (byte) (base + 55 + lenOfLen);
        for (int i = lenOfLen - 1; i >= 0; i--) {
            out[pos++] = (byte) (payloadLength >>> (8 * i));
        }
        return pos;
    }

    private static int lengthOfLength(int length) {
        return (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
    }
}
