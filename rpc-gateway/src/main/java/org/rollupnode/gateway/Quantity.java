package org.rollupnode.gateway;

import java.math.BigInteger;

/** Ethereum JSON-RPC quantities: 0x-prefixed hex without leading zeros ("0x0" for zero). */
public final class Quantity {
    private Quantity() {}

    public static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    public static String hex(BigInteger v) {
        return "0x" + v.toString(16);
    }
}
