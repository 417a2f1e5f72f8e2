package org.rollupnode.execution.evm.precompile;

import java.math.BigInteger;
import java.util.Arrays;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.math.ec.ECPoint;

/**
 * 0x100 P256VERIFY (RIP-7212, EIP-7951): ECDSA verification on secp256r1. Input is exactly 160
 * bytes: hash, r, s, qx, qy. Output 32 bytes ending in 1 for a valid signature, and an empty
 * output (still success, gas charged) for anything else, including input of the wrong length.
 */
final class P256Verify implements Precompile {
    /** EIP-7951 (Osaka; Scroll Galileo). RIP-7212 as in Scroll EuclidV2..Feynman charged 3450. */
    static final long GAS_EIP7951 = 6900;
    static final long GAS_RIP7212 = 3450;
    static final int INPUT_LENGTH = 160;

    private static final X9ECParameters PARAMS = CustomNamedCurves.getByName("secp256r1");
    private static final ECDomainParameters DOMAIN =
            new ECDomainParameters(PARAMS.getCurve(), PARAMS.getG(), PARAMS.getN(), PARAMS.getH());
    private static final BigInteger N = PARAMS.getN();
    private static final BigInteger P = PARAMS.getCurve().getField().getCharacteristic();

    private final long gas;

    P256Verify(long gas) {
        this.gas = gas;
    }

    @Override
    public long gasCost(byte[] input) {
        return gas;
    }

    @Override
    public PrecompileResult run(byte[] input) {
        if (input.length != INPUT_LENGTH) {
            return Results.ok(Results.EMPTY);
        }
        byte[] hash = Arrays.copyOfRange(input, 0, 32);
        BigInteger r = unsigned(input, 32);
        BigInteger s = unsigned(input, 64);
        BigInteger qx = unsigned(input, 96);
        BigInteger qy = unsigned(input, 128);
        if (r.signum() == 0 || r.compareTo(N) >= 0 || s.signum() == 0 || s.compareTo(N) >= 0) {
            return Results.ok(Results.EMPTY);
        }
        if (qx.compareTo(P) >= 0 || qy.compareTo(P) >= 0) {
            return Results.ok(Results.EMPTY);
        }
        ECPoint q;
        try {
            // Rejects points off the curve; (0, 0), the usual infinity encoding, is not on it.
            q = PARAMS.getCurve().validatePoint(qx, qy);
        } catch (IllegalArgumentException notOnCurve) {
            return Results.ok(Results.EMPTY);
        }
        ECDSASigner verifier = new ECDSASigner();
        verifier.init(false, new ECPublicKeyParameters(q, DOMAIN));
        if (!verifier.verifySignature(hash, r, s)) {
            return Results.ok(Results.EMPTY);
        }
        byte[] out = new byte[32];
        out[31] = 1;
        return Results.ok(out);
    }

    private static BigInteger unsigned(byte[] in, int off) {
        return new BigInteger(1, Arrays.copyOfRange(in, off, off + 32));
    }
}
