package org.rollupnode.execution.tx;

import java.math.BigInteger;
import java.util.Objects;
import org.rollupnode.execution.crypto.Keccak;
import org.rollupnode.execution.rlp.Rlp;
import org.rollupnode.execution.types.Address;

/**
 * One EIP-7702 authorization tuple {@code [chainId, address, nonce, yParity, r, s]}.
 *
 * <p>{@code nonce} is an unsigned 64-bit value stored in a {@code long} (compare with
 * {@link Long#compareUnsigned}); a value of {@code -1L} is 2^64-1, which EIP-7702 treats as
 * invalid ({@link #nonceIsMax()}). An invalid tuple does not make the transaction invalid: the
 * execution skips it. {@link #authority()} recovers the signer on every call; callers that need it
 * twice keep the result.
 */
public record Authorization(BigInteger chainId, Address address, long nonce, int yParity, BigInteger r, BigInteger s) {

    /** EIP-7702 signature domain byte. */
    public static final byte MAGIC = 0x05;

    public Authorization {
        Objects.requireNonNull(chainId, "chainId");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(r, "r");
        Objects.requireNonNull(s, "s");
        if (chainId.signum() < 0 || chainId.bitLength() > 256 || r.signum() < 0 || r.bitLength() > 256
                || s.signum() < 0 || s.bitLength() > 256) {
            throw new IllegalArgumentException("authorization chainId, r and s must be unsigned 256-bit values");
        }
        if (yParity < 0 || yParity > 255) {
            throw new IllegalArgumentException("authorization yParity must fit in a byte");
        }
    }

    /** Signs {@code [chainId, address, nonce]} with a private key (RFC 6979, low s). */
    public static Authorization sign(BigInteger chainId, Address address, long nonce, BigInteger privateKey) {
        byte[] h = signingHash(chainId, address, nonce);
        Secp256k1.Signature sig = Secp256k1.sign(h, privateKey);
        return new Authorization(chainId, address, nonce, sig.yParity(), sig.r(), sig.s());
    }

    public static Authorization sign(long chainId, Address address, long nonce, BigInteger privateKey) {
        return sign(BigInteger.valueOf(chainId), address, nonce, privateKey);
    }

    /** keccak256(0x05 ‖ rlp([chainId, address, nonce])). */
    public static byte[] signingHash(BigInteger chainId, Address address, long nonce) {
        byte[] list = Rlp.encodeList(Rlp.encodeBigInteger(chainId), Rlp.encodeBytes(address.unsafeBytes()), encodeU64(nonce));
        byte[] msg = new byte[list.length + 1];
        msg[0] = MAGIC;
        System.arraycopy(list, 0, msg, 1, list.length);
        return Keccak.hash256(msg);
    }

    public byte[] signingHash() {
        return signingHash(chainId, address, nonce);
    }

    /** True when the nonce is 2^64-1, which EIP-7702 rejects (the increment would overflow). */
    public boolean nonceIsMax() {
        return nonce == -1L;
    }

    /**
     * The signer per EIP-7702, or null when the signature is invalid: yParity not 0/1, r or s
     * zero or not below n, s above n/2, or no public key recovers.
     */
    public Address authority() {
        if (yParity > 1 || !Secp256k1.validLowS(r, s)) {
            return null;
        }
        return Secp256k1.recoverAddress(signingHash(), yParity, r, s);
    }

    /** rlp([chainId, address, nonce, yParity, r, s]). */
    public byte[] encode() {
        return Rlp.encodeList(
                Rlp.encodeBigInteger(chainId),
                Rlp.encodeBytes(address.unsafeBytes()),
                encodeU64(nonce),
                Rlp.encodeLong(yParity),
                Rlp.encodeBigInteger(r),
                Rlp.encodeBigInteger(s));
    }

    static byte[] encodeU64(long unsigned) {
        return unsigned >= 0 ? Rlp.encodeLong(unsigned) : Rlp.encodeBigInteger(new BigInteger(Long.toUnsignedString(unsigned)));
    }
}
