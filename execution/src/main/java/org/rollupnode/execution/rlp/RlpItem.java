package org.rollupnode.execution.rlp;

import java.math.BigInteger;
import java.util.List;
import org.rollupnode.execution.types.Address;
import org.rollupnode.execution.types.Hash32;

/** A decoded RLP item: either a byte string or a list of items. */
public sealed interface RlpItem permits RlpItem.Str, RlpItem.Lst {

    boolean isList();

    /** The byte string; throws if this item is a list. */
    byte[] bytes();

    /** The list elements; throws if this item is a string. */
    List<RlpItem> list();

    /** Canonical unsigned scalar: no leading zero bytes (0 is the empty string). */
    default BigInteger asBigInteger() {
        byte[] b = bytes();
        if (b.length > 0 && b[0] == 0) {
            throw new RlpException("scalar has leading zero bytes");
        }
        return b.length == 0 ? BigInteger.ZERO : new BigInteger(1, b);
    }

    /** Canonical unsigned scalar that must fit in 63 bits. */
    default long asLong() {
        byte[] b = bytes();
        if (b.length > 0 && b[0] == 0) {
            throw new RlpException("scalar has leading zero bytes");
        }
        if (b.length > 8 || (b.length == 8 && b[0] < 0)) {
            throw new RlpException("scalar does not fit in 63 bits");
        }
        long v = 0;
        for (byte x : b) {
            v = (v << 8) | (x & 0xff);
        }
        return v;
    }

    default Address asAddress() {
        byte[] b = bytes();
        if (b.length != Address.LENGTH) {
            throw new RlpException("address must be 20 bytes, got " + b.length);
        }
        return Address.wrap(b);
    }

    default Hash32 asHash() {
        byte[] b = bytes();
        if (b.length != Hash32.LENGTH) {
            throw new RlpException("hash must be 32 bytes, got " + b.length);
        }
        return Hash32.wrap(b);
    }

    record Str(byte[] value) implements RlpItem {
        @Override
        public boolean isList() {
            return false;
        }

        @Override
        public byte[] bytes() {
            return value;
        }

        @Override
        public List<RlpItem> list() {
            throw new RlpException("expected an RLP list, found a string");
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Str s && java.util.Arrays.equals(value, s.value);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "Str[" + org.rollupnode.execution.types.Hex.encode(value) + "]";
        }
    }

    record Lst(List<RlpItem> items) implements RlpItem {
        @Override
        public boolean isList() {
            return true;
        }

        @Override
        public byte[] bytes() {
            throw new RlpException("expected an RLP string, found a list");
        }

        @Override
        public List<RlpItem> list() {
            return items;
        }
    }
}
