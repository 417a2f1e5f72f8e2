package org.rollupnode.execution.evm.precompile;

import java.math.BigInteger;

/**
 * 0x05 MODEXP (EIP-198). Input: three 32-byte lengths (base, exponent, modulus), then the three
 * numbers, all big-endian and zero-padded on the right. Output: base^exp mod m in modLen bytes.
 *
 * <p>Lengths are 256-bit words an attacker controls, so everything is priced and bounded from the
 * lengths before any buffer of that size is made.
 */
final class ModExp implements Precompile {
    /** The pricing and limits in force. */
    enum Rules {
        /** EIP-2565 (Berlin .. Prague): no length limit. */
        EIP2565,
        /** Osaka, and Scroll Galileo: EIP-7823 (each length at most 1024 bytes) with EIP-7883 pricing. */
        EIP7883
    }

    static final int EIP7823_MAX_LENGTH = 1024;
    /**
     * run() refuses inputs whose price exceeds this: no block can pay it, and refusing keeps a
     * direct caller that skipped the gas check from working on multi-gigabyte numbers.
     */
    static final long MAX_PAYABLE_GAS = 1L << 32;

    private final Rules rules;

    ModExp(Rules rules) {
        this.rules = rules;
    }

    @Override
    public long gasCost(byte[] input) {
        BigInteger baseLen = word(input, 0);
        BigInteger expLen = word(input, 32);
        BigInteger modLen = word(input, 64);
        if (rules == Rules.EIP7883) {
            BigInteger limit = BigInteger.valueOf(EIP7823_MAX_LENGTH);
            if (baseLen.compareTo(limit) > 0 || expLen.compareTo(limit) > 0 || modLen.compareTo(limit) > 0) {
                // The call fails either way; pricing it out keeps the rest of this method bounded.
                return Long.MAX_VALUE;
            }
        }
        BigInteger maxLen = baseLen.max(modLen);
        BigInteger words = maxLen.add(BigInteger.valueOf(7)).shiftRight(3);
        BigInteger complexity;
        if (rules == Rules.EIP2565) {
            complexity = words.multiply(words);
        } else {
            complexity = maxLen.compareTo(BigInteger.valueOf(32)) <= 0
                    ? BigInteger.valueOf(16)
                    : words.multiply(words).shiftLeft(1);
        }
        BigInteger iterations = iterationCount(input, baseLen, expLen);
        BigInteger gas;
        if (rules == Rules.EIP2565) {
            gas = complexity.multiply(iterations).divide(BigInteger.valueOf(3)).max(BigInteger.valueOf(200));
        } else {
            gas = complexity.multiply(iterations).max(BigInteger.valueOf(500));
        }
        return gas.bitLength() < 63 ? gas.longValue() : Long.MAX_VALUE;
    }

    /**
     * max(1, adjusted exponent length): from the bit length of the exponent's first 32 bytes plus
     * 8 (EIP-2565) or 16 (EIP-7883) per exponent byte beyond 32.
     */
    private BigInteger iterationCount(byte[] input, BigInteger baseLen, BigInteger expLen) {
        BigInteger head = BigInteger.ZERO;
        BigInteger expStart = BigInteger.valueOf(96).add(baseLen);
        if (expStart.compareTo(BigInteger.valueOf(input.length)) < 0) {
            int headLen = expLen.min(BigInteger.valueOf(32)).intValue();
            head = new BigInteger(1, Results.slicePadded(input, expStart.intValue(), headLen));
        }
        int headBits = head.signum() == 0 ? 0 : head.bitLength() - 1;
        BigInteger count;
        if (expLen.compareTo(BigInteger.valueOf(32)) <= 0) {
            count = BigInteger.valueOf(headBits);
        } else {
            long perByte = rules == Rules.EIP2565 ? 8 : 16;
            count = expLen.subtract(BigInteger.valueOf(32)).multiply(BigInteger.valueOf(perByte))
                    .add(BigInteger.valueOf(headBits));
        }
        return count.max(BigInteger.ONE);
    }

    @Override
    public PrecompileResult run(byte[] input) {
        BigInteger baseLenW = word(input, 0);
        BigInteger expLenW = word(input, 32);
        BigInteger modLenW = word(input, 64);
        if (rules == Rules.EIP7883) {
            BigInteger limit = BigInteger.valueOf(EIP7823_MAX_LENGTH);
            if (baseLenW.compareTo(limit) > 0 || expLenW.compareTo(limit) > 0 || modLenW.compareTo(limit) > 0) {
                return Results.FAILURE;
            }
        }
        if (baseLenW.signum() == 0 && modLenW.signum() == 0) {
            // Nothing to return, whatever the exponent length (EIP-198 special case).
            return Results.ok(Results.EMPTY);
        }
        if (gasCost(input) > MAX_PAYABLE_GAS) {
            return Results.FAILURE;
        }
        // Priced below 2^32 gas, base and modulus lengths are below about 900 KB here.
        int baseLen = baseLenW.intValueExact();
        int modLen = modLenW.intValueExact();
        long expLen = expLenW.longValueExact();
        if (modLen == 0) {
            return Results.ok(Results.EMPTY);
        }
        long expStart = 96L + baseLen;
        long modStart = expStart + expLen;
        BigInteger mod = new BigInteger(1, slice(input, modStart, modLen));
        byte[] out = new byte[modLen];
        if (mod.signum() == 0 || mod.equals(BigInteger.ONE)) {
            return Results.ok(out);
        }
        BigInteger base = new BigInteger(1, slice(input, 96, baseLen));
        BigInteger result = power(base, input, expStart, expLen, mod);
        byte[] r = result.toByteArray();
        int len = Math.min(r.length, modLen);
        System.arraycopy(r, r.length - len, out, modLen - len, len);
        return Results.ok(out);
    }

    /**
     * base^e mod m, e being expLen bytes at expStart. The modulus follows the exponent and is
     * non-zero here, so the whole exponent lies inside the input: its size is bounded by it.
     */
    private static BigInteger power(BigInteger base, byte[] input, long expStart, long expLen, BigInteger mod) {
        BigInteger e = expLen == 0 ? BigInteger.ZERO : new BigInteger(1, slice(input, expStart, (int) expLen));
        return e.signum() == 0 ? BigInteger.ONE.mod(mod) : base.modPow(e, mod);
    }

    /** length bytes at offset (which may lie past the end of input), zero-padded. */
    private static byte[] slice(byte[] input, long offset, int length) {
        byte[] out = new byte[length];
        if (offset < input.length) {
            int start = (int) offset;
            System.arraycopy(input, start, out, 0, Math.min(length, input.length - start));
        }
        return out;
    }

    /** The 32-byte big-endian word at off, zero-padded. */
    private static BigInteger word(byte[] input, int off) {
        return new BigInteger(1, Results.slicePadded(input, off, 32));
    }
}
