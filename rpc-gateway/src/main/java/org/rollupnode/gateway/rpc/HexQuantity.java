package org.rollupnode.gateway.rpc;

import java.math.BigInteger;

/**
 * Ethereum's QUANTITY encoding (Ethereum JSON-RPC spec, geth's hexutil): "0x" then the shortest
 * hex digits, so "0x0" is zero and "0x01" is malformed. Digits of either case are accepted, like geth.
 */
final class HexQuantity {

    private HexQuantity() {
    }

    /** @throws IllegalArgumentException with a reason worded for the client */
    static long parseLong(String text) {
        String digits = digits(text);
        // 15 digits can never overflow a signed long; the 16th digit needs a range check
        if (digits.length() > 16) {
            throw new IllegalArgumentException("hex number > 64 bits");
        }
        long value = Long.parseUnsignedLong(digits, 16);
        if (value < 0) {
            throw new IllegalArgumentException("hex number > 63 bits");
        }
        return value;
    }

    static BigInteger parseBig(String text) {
        String digits = digits(text);
        if (digits.length() > 64) {
            throw new IllegalArgumentException("hex number > 256 bits");
        }
        return new BigInteger(digits, 16);
    }

    private static String digits(String text) {
        if (text.length() < 2 || text.charAt(0) != '0' || (text.charAt(1) != 'x' && text.charAt(1) != 'X')) {
            throw new IllegalArgumentException("hex string without 0x prefix");
        }
        if (text.length() == 2) {
            throw new IllegalArgumentException("hex string \"0x\"");
        }
        for (int i = 2; i < text.length(); i++) {
            if (!isHexDigit(text.charAt(i))) {
                throw new IllegalArgumentException("invalid hex string");
            }
        }
        if (text.charAt(2) == '0' && text.length() > 3) {
            throw new IllegalArgumentException("hex number with leading zero digits");
        }
        return text.substring(2);
    }

    // Character.digit would also accept non-ASCII digits such as fullwidth ones
    private static boolean isHexDigit(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
