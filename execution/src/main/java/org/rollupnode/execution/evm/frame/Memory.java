package org.rollupnode.execution.evm.frame;

import java.util.Arrays;

/** A frame's byte-addressed memory, grown in 32-byte words. Callers charge expansion gas first. */
public final class Memory {
    private byte[] data = new byte[0];
    private long size;

    public long size() {
        return size;
    }

    public long words() {
        return size >>> 5;
    }

    /** Grows to cover [offset, offset + length), rounded up to a word. length must be non-zero. */
    public void ensure(long offset, long length) {
        long end = offset + length;
        if (end <= size) {
            return;
        }
        long newSize = (end + 31) & ~31L;
        if (newSize > data.length) {
            long cap = Math.max(newSize, Math.min((long) data.length * 2, Integer.MAX_VALUE - 64));
            data = Arrays.copyOf(data, (int) cap);
        }
        size = newSize;
    }

    public byte[] slice(long offset, long length) {
        if (length == 0) {
            return new byte[0];
        }
        return Arrays.copyOfRange(data, (int) offset, (int) (offset + length));
    }

    public byte[] raw() {
        return data;
    }

    /** Copies src[srcOff, srcOff+length) into memory at offset, zero-filling past the end of src. */
    public void copyPadded(long offset, byte[] src, long srcOff, long length) {
        if (length == 0) {
            return;
        }
        int o = (int) offset;
        int n = (int) length;
        long avail = srcOff >= src.length ? 0 : Math.min(length, src.length - srcOff);
        if (avail > 0) {
            System.arraycopy(src, (int) srcOff, data, o, (int) avail);
        }
        if (avail < n) {
            Arrays.fill(data, o + (int) avail, o + n, (byte) 0);
        }
    }

    public void copyWithin(long dst, long src, long length) {
        if (length > 0) {
            System.arraycopy(data, (int) src, data, (int) dst, (int) length);
        }
    }

    public void storeByte(long offset, byte b) {
        data[(int) offset] = b;
    }
}
