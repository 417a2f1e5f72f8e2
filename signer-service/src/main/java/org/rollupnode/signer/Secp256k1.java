package org.rollupnode.signer;

import java.io.IOException;
import java.math.BigInteger;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * The secp256k1 encodings a remote signer hands back: a DER {@code SubjectPublicKeyInfo} and a DER
 * {@code ECDSA-Sig-Value}. Kept apart from the KMS client so the byte-level rules are testable alone.
 */
final class Secp256k1 {
    static final BigInteger N = KeyFile.CURVE_ORDER;
    static final BigInteger HALF_N = N.shiftRight(1);

    private Secp256k1() {}

    /**
     * The 64-byte X ‖ Y of a secp256k1 public key in a SubjectPublicKeyInfo, as a positive integer
     * (web3j's public key form). Anything else (another curve, RSA, a compressed point) is refused.
     */
    static BigInteger publicKeyFromSpki(byte[] der) {
        SubjectPublicKeyInfo spki;
        try {
            spki = SubjectPublicKeyInfo.getInstance(ASN1Primitive.fromByteArray(der));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("the public key is not a DER SubjectPublicKeyInfo");
        }
        if (!X9ObjectIdentifiers.id_ecPublicKey.equals(spki.getAlgorithm().getAlgorithm())) {
            throw new IllegalArgumentException("the public key is not an elliptic-curve key (algorithm "
                    + spki.getAlgorithm().getAlgorithm() + ")");
        }
        ASN1Encodable params = spki.getAlgorithm().getParameters();
        if (!(params instanceof ASN1ObjectIdentifier curve) || !SECObjectIdentifiers.secp256k1.equals(curve)) {
            throw new IllegalArgumentException("the public key is not on secp256k1 (curve " + params + ")");
        }
        byte[] point = spki.getPublicKeyData().getBytes();
        if (point.length != 65 || point[0] != 0x04) {
            throw new IllegalArgumentException("the public key is not an uncompressed secp256k1 point");
        }
        return new BigInteger(1, Arrays.copyOfRange(point, 1, 65));
    }

    /** (r, s) of a DER ECDSA-Sig-Value, both checked to lie in [1, n-1]. */
    static BigInteger[] signatureFromDer(byte[] der) {
        ASN1Sequence seq;
        try {
            seq = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(der));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("the signature is not DER");
        }
        if (seq.size() != 2 || !(seq.getObjectAt(0) instanceof ASN1Integer r) || !(seq.getObjectAt(1) instanceof ASN1Integer s)) {
            throw new IllegalArgumentException("the signature is not a DER SEQUENCE of two INTEGERs");
        }
        BigInteger rv = r.getValue();
        BigInteger sv = s.getValue();
        if (rv.signum() <= 0 || rv.compareTo(N) >= 0 || sv.signum() <= 0 || sv.compareTo(N) >= 0) {
            throw new IllegalArgumentException("the signature has r or s outside [1, n-1]");
        }
        return new BigInteger[] {rv, sv};
    }

    /** EIP-2: of (r, s) and (r, n - s), both valid, only the low one is accepted by Ethereum-style verifiers. */
    static BigInteger lowS(BigInteger s) {
        return s.compareTo(HALF_N) > 0 ? N.subtract(s) : s;
    }

    /** 65 bytes r ‖ s ‖ v, big-endian and left-padded, v the y-parity. */
    static byte[] wire(BigInteger r, BigInteger s, int yParity) {
        byte[] out = new byte[65];
        put(r, out, 0);
        put(s, out, 32);
        out[64] = (byte) yParity;
        return out;
    }

    private static void put(BigInteger v, byte[] out, int at) {
        byte[] b = v.toByteArray();
        int skip = b.length > 32 ? b.length - 32 : 0; // sign byte
        System.arraycopy(b, skip, out, at + 32 - (b.length - skip), b.length - skip);
    }
}
