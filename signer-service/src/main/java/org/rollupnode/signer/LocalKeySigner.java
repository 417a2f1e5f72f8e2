package org.rollupnode.signer;

import java.math.BigInteger;
import org.rollupnode.execution.types.Address;
import org.rollupnode.execution.types.Hash32;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;

/** Signs with a private key held in memory (from --signer.key-file, or the --test dev key). */
public final class LocalKeySigner implements BlockSigner {
    private final ECKeyPair keyPair;
    private final Address address;

    public LocalKeySigner(BigInteger privateKey) {
        this.keyPair = ECKeyPair.create(privateKey);
        this.address = Address.fromHex(Keys.getAddress(keyPair));
    }

    @Override
    public Address address() {
        return address;
    }

    @Override
    public byte[] sign(Hash32 sealHash) {
        // RFC 6979 deterministic nonce, low-s: the same block always gets the same signature.
        Sign.SignatureData sig = Sign.signMessage(sealHash.toArray(), keyPair, false);
        byte[] out = new byte[65];
        System.arraycopy(sig.getR(), 0, out, 32 - sig.getR().length, sig.getR().length);
        System.arraycopy(sig.getS(), 0, out, 64 - sig.getS().length, sig.getS().length);
        out[64] = (byte) (sig.getV()[0] - 27);
        return out;
    }

    @Override
    public String toString() {
        return "LocalKeySigner[" + address + "]"; // never the key
    }
}
