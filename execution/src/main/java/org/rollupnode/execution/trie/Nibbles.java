package org.rollupnode.execution.trie;

import java.util.Arrays;

/**
 * Nibble paths, stored one nibble (0..15) per byte. Spending a byte per nibble doubles key memory
 * but keeps every path operation a plain array index, which is what the hot put/get paths need.
 */
final class Nibbles {
    static final byte[] EMPTY = new byte[0];

    private Nibbles() {}

    static byte[] fromBytes(byte[] key) {
        byte[] out = new byte[key.length * 2];
        for (int i = 0; i < key.length; i++) {
            out[2 * i] = (byte) ((key[i] >> 4) & 0x0f);
            out[2 * i + 1] = (byte) (key[i] & 0x0f);
        }
        return out;
    }

    /** Packs an even-length nibble path back into bytes. */
    static byte[] toBytes(byte[] nibbles) {
        if ((nibbles.length & 1) != 0) {
            throw new IllegalStateException("odd nibble path of length " + nibbles.length + " holds a value");
        }
        byte[] out = new byte[nibbles.length / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) ((nibbles[2 * i] << 4) | nibbles[2 * i + 1]);
        }
        return out;
    }

    /** Length of the common prefix of {@code path} and {@code key[keyPos..]}. */
    static int commonPrefix(byte[] path, byte[] key, int keyPos) {
        int max = Math.min(path.length, key.length - keyPos);
        int i = 0;
        while (i < max && path[i] == key[keyPos + i]) {
            i++;
        }
        return i;
    }

    /** True when {@code key[keyPos..]} starts with the whole of {@code path}. */
    static boolean startsWith(byte[] key, int keyPos, byte[] path) {
        return key.length - keyPos >= path.length
                && Arrays.equals(key, keyPos, keyPos + path.length, path, 0, path.length);
    }

    static boolean equalsSuffix(byte[] path, byte[] key, int keyPos) {
        return key.length - keyPos == path.length
                && Arrays.equals(key, keyPos, key.length, path, 0, path.length);
    }

    static byte[] slice(byte[] nibbles, int from, int to) {
        return from == to ? EMPTY : Arrays.copyOfRange(nibbles, from, to);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static byte[] prepend(int nibble, byte[] path) {
        byte[] out = new byte[path.length + 1];
        out[0] = (byte) nibble;
        System.arraycopy(path, 0, out, 1, path.length);
        return out;
    }

    /**
     * Hex-prefix (compact) encoding from the yellow paper, appendix C: the first nibble carries the
     * leaf flag (2) and the odd-length flag (1); an odd path puts its first nibble beside the flags.
     */
    static byte[] hexPrefix(byte[] path, boolean leaf) {
        int flag = leaf ? 2 : 0;
        boolean odd = (path.length & 1) != 0;
        byte[] out = new byte[path.length / 2 + 1];
        int p;
        if (odd) {
            out[0] = (byte) (((flag | 1) << 4) | path[0]);
            p = 1;
        } else {
            out[0] = (byte) (flag << 4);
            p = 0;
        }
        for (int i = 1; i < out.length; i++, p += 2) {
            out[i] = (byte) ((path[p] << 4) | path[p + 1]);
        }
        return out;
    }
}
