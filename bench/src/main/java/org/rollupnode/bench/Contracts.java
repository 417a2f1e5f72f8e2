package org.rollupnode.bench;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.rollupnode.execution.crypto.Keccak;
import org.rollupnode.execution.types.Address;
import org.rollupnode.execution.types.Hex;

/**
 * The benchmark contracts (committed init code under {@code /solidity/}, compiled once with solc-js;
 * the same bytes on every endpoint) and the ABI encoding of the calls the load makes.
 */
public final class Contracts {
    /** transfer(address,uint256). */
    static final byte[] TRANSFER = selector("transfer(address,uint256)");
    /** work(uint256,uint256). */
    static final byte[] WORK = selector("work(uint256,uint256)");

    private Contracts() {}

    /** Init code of {@code BenchToken} or {@code HashStore} (file {@code /solidity/NAME.hex}). */
    public static byte[] initCode(String name) {
        try (InputStream in = Contracts.class.getResourceAsStream("/solidity/" + name + ".hex")) {
            if (in == null) {
                throw new IllegalStateException("missing resource /solidity/" + name + ".hex");
            }
            return Hex.decode(new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /solidity/" + name + ".hex", e);
        }
    }

    /** BenchToken's constructor takes the supply, all of it minted to the deployer. */
    static byte[] tokenInitCode(BigInteger supply) {
        return concat(initCode("BenchToken"), word(supply));
    }

    static byte[] erc20Transfer(Address to, BigInteger amount) {
        return concat(TRANSFER, word(new BigInteger(1, to.unsafeBytes())), word(amount));
    }

    static byte[] hashStoreWork(long rounds, BigInteger base) {
        return concat(WORK, word(BigInteger.valueOf(rounds)), word(base));
    }

    static byte[] selector(String signature) {
        byte[] h = Keccak.hash256(signature.getBytes(StandardCharsets.US_ASCII));
        return java.util.Arrays.copyOf(h, 4);
    }

    static byte[] word(BigInteger v) {
        if (v.signum() < 0 || v.bitLength() > 256) {
            throw new IllegalArgumentException("not a uint256: " + v);
        }
        byte[] out = new byte[32];
        byte[] b = v.toByteArray();
        int len = Math.min(b.length, 32);
        System.arraycopy(b, b.length - len, out, 32 - len, len);
        return out;
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
