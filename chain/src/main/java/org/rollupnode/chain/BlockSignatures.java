package org.rollupnode.chain;

import java.math.BigInteger;
import java.security.SignatureException;
import java.util.Arrays;
import org.rollupnode.execution.types.Address;
import org.rollupnode.execution.types.Hash32;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;

/** Recovery and checks of 65-byte block signatures, shared by every reader of signed blocks. */
public final class BlockSignatures {
    private BlockSignatures() {}

    /**
     * Recovers the signer of {@code sealHash}. Accepts v as the y-parity (0/1, Scroll's wire form)
     * or as 27/28 (the form some stores use).
     */
    public static Address recover(Hash32 sealHash, byte[] signature) {
        if (signature.length != 65) {
            throw new IllegalArgumentException("block signature must be 65 bytes, got " + signature.length);
        }
        int v = signature[64] & 0xff;
        if (v == 0 || v == 1) {
            v += 27;
        }
        if (v != 27 && v != 28) {
            throw new IllegalArgumentException("block signature has invalid v " + (signature[64] & 0xff));
        }
        Sign.SignatureData sig = new Sign.SignatureData((byte) v, Arrays.copyOfRange(signature, 0, 32),
                Arrays.copyOfRange(signature, 32, 64));
        try {
            BigInteger pub = Sign.signedMessageHashToKey(sealHash.toArray(), sig);
            return Address.fromHex(Keys.getAddress(pub));
        } catch (SignatureException | RuntimeException e) {
            throw new IllegalArgumentException("block signature does not recover: " + e.getMessage());
        }
    }
}
