package org.rollupnode.execution.evm.precompile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Field arithmetic against BigInteger, pairing properties, and malformed-point rejection. */
class Bn254CurveTest {
    private static final BigInteger P = Fp.MODULUS;

    private static byte[] word(BigInteger v) {
        byte[] out = new byte[32];
        byte[] b = v.toByteArray();
        int len = Math.min(b.length, 32);
        System.arraycopy(b, b.length - len, out, 32 - len, len);
        return out;
    }

    /** G2 generator of EIP-197, encoded as the precompile reads it (imaginary parts first). */
    private static final byte[] G2_GEN = concat(
            word(new BigInteger("11559732032986387107991004021392285783925812861821192530917403151452391805634")),
            word(new BigInteger("10857046999023057135944570762232829481370756359578518086990519993285655852781")),
            word(new BigInteger("4082367875863433681332203403145435568316851327593401208105741076214120093531")),
            word(new BigInteger("8495653923123431417604973247489272438418190587263600148770280649306958101930")));

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int o = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }

    @Test
    void montgomeryArithmeticMatchesBigInteger() {
        Random rnd = new Random(7);
        for (int i = 0; i < 2000; i++) {
            BigInteger a = new BigInteger(256, rnd).mod(P);
            BigInteger b = i % 10 == 0 ? P.subtract(BigInteger.ONE) : new BigInteger(256, rnd).mod(P);
            Fp fa = Fp.fromBigInteger(a);
            Fp fb = Fp.fromBigInteger(b);
            assertEquals(a.multiply(b).mod(P), fa.mul(fb).toBigInteger());
            assertEquals(a.add(b).mod(P), fa.add(fb).toBigInteger());
            assertEquals(a.subtract(b).mod(P), fa.sub(fb).toBigInteger());
            assertEquals(a.negate().mod(P), fa.neg().toBigInteger());
            if (a.signum() != 0) {
                assertEquals(a.modInverse(P), fa.inverse().toBigInteger());
            }
        }
    }

    @Test
    void fieldBytesAboveModulusAreRejected() {
        assertNull(Fp.fromBytes32(word(P), 0));
        assertNotNull(Fp.fromBytes32(word(P.subtract(BigInteger.ONE)), 0));
    }

    @Test
    void fastFinalExponentiationEqualsTheDefinition() {
        List<Bn254.G1> ps = List.of(Bn254.decodeG1(concat(word(BigInteger.ONE), word(BigInteger.TWO)), 0));
        List<Bn254.G2> qs = List.of(Bn254.decodeG2(G2_GEN, 0));
        Fp12 f = Bn254.millerLoop(ps, qs);
        Fp12 fast = Bn254.finalExponentiation(f);
        assertEquals(Bn254.finalExponentiationReference(f), fast);
        assertFalse(fast.isOne(), "e(G1, G2) is a generator of GT, not 1");
        // It has order r.
        assertTrue(fast.pow(Bn254.ORDER).isOne());
    }

    @Test
    void pairingIsBilinear() {
        // e(a·G1, b·G2) · e(-(ab)·G1, G2) = 1, checked through the precompile.
        BigInteger a = new BigInteger("123456789123456789");
        BigInteger b = new BigInteger("987654321987654321987");
        byte[] g1 = concat(word(BigInteger.ONE), word(BigInteger.TWO));
        byte[] aG1 = new Bn254Mul().run(concat(g1, word(a))).output();
        byte[] bG2 = encodeG2(CurvePoint.affine(Bn254.decodeG2(G2_GEN, 0).x(), Bn254.decodeG2(G2_GEN, 0).y(), Fp2.ONE).mul(b));
        byte[] abG1 = new Bn254Mul().run(concat(g1, word(a.multiply(b)))).output();
        byte[] negAbG1 = concat(java.util.Arrays.copyOfRange(abG1, 0, 32),
                word(P.subtract(new BigInteger(1, java.util.Arrays.copyOfRange(abG1, 32, 64)))));
        byte[] in = concat(aG1, bG2, negAbG1, G2_GEN);
        assertArrayEquals(word(BigInteger.ONE), new Bn254Pairing(0).run(in).output());
        // And with a wrong multiple it is not 1.
        byte[] wrong = concat(aG1, bG2, abG1, G2_GEN);
        assertArrayEquals(new byte[32], new Bn254Pairing(0).run(wrong).output());
    }

    private static byte[] encodeG2(CurvePoint<Fp2> q) {
        CurvePoint<Fp2> n = q.normalize();
        byte[] out = new byte[128];
        n.x.b.toBytes32(out, 0);
        n.x.a.toBytes32(out, 32);
        n.y.b.toBytes32(out, 64);
        n.y.a.toBytes32(out, 96);
        return out;
    }

    @Test
    void g1PointsOffCurveOrNonCanonicalFail() {
        byte[] offCurve = concat(word(BigInteger.ONE), word(BigInteger.valueOf(3)));
        assertFalse(new Bn254Add().run(concat(offCurve, new byte[64])).success());
        assertFalse(new Bn254Mul().run(concat(offCurve, word(BigInteger.TWO))).success());
        // (1, 2 + p) is (1, 2) reduced, but only canonical coordinates are accepted.
        byte[] nonCanonical = concat(word(BigInteger.ONE), word(BigInteger.TWO.add(P)));
        assertFalse(new Bn254Add().run(concat(nonCanonical, new byte[64])).success());
        byte[] pairing = concat(offCurve, G2_GEN);
        assertFalse(new Bn254Pairing(0).run(pairing).success());
    }

    @Test
    void emptyAndShortInputsArePadded() {
        assertArrayEquals(new byte[64], new Bn254Add().run(new byte[0]).output());
        assertArrayEquals(new byte[64], new Bn254Mul().run(new byte[0]).output());
        // 1·G1 given as 65 bytes: scalar's missing 31 bytes are zeros -> scalar is 0x01 << 248.
        PrecompileResult r = new Bn254Add().run(concat(word(BigInteger.ONE), word(BigInteger.TWO)));
        assertArrayEquals(concat(word(BigInteger.ONE), word(BigInteger.TWO)), r.output());
        assertArrayEquals(word(BigInteger.ONE), new Bn254Pairing(0).run(new byte[0]).output());
        assertEquals(45_000, new Bn254Pairing(0).gasCost(new byte[0]));
        assertEquals(45_000 + 2 * 34_000, new Bn254Pairing(0).gasCost(new byte[384]));
    }

    @Test
    void pairingInputNotAMultipleOf192Fails() {
        assertFalse(new Bn254Pairing(0).run(new byte[191]).success());
        assertFalse(new Bn254Pairing(0).run(new byte[193]).success());
    }

    @Test
    void g2OffTwistFails() {
        byte[] g2 = G2_GEN.clone();
        g2[127] ^= 1;
        assertFalse(new Bn254Pairing(0).run(concat(new byte[64], g2)).success());
    }

    @Test
    void g2OnTwistButOutsideTheSubgroupFails() {
        byte[] q = twistPointOutsideSubgroup();
        Bn254.G2 raw = null;
        assertNull(Bn254.decodeG2(q, 0));
        assertFalse(new Bn254Pairing(0).run(concat(new byte[64], q)).success());
        assertFalse(new Bn254Pairing(0).run(concat(concat(word(BigInteger.ONE), word(BigInteger.TWO)), q)).success());
    }

    @Test
    void pairLimitForScrollBeforeFeynman() {
        byte[] fivePairs = new byte[5 * 192];
        assertTrue(new Bn254Pairing(0).run(fivePairs).success());
        assertFalse(new Bn254Pairing(4).run(fivePairs).success());
        assertTrue(new Bn254Pairing(4).run(new byte[4 * 192]).success());
    }

    /**
     * A point on the twist y² = x³ + 3/ξ found by trying x = 1, 2, ... and taking a square root in
     * Fp2 (p ≡ 3 mod 4). The twist's cofactor is about 2^254, so a point found this way lies in
     * the order-r subgroup only with negligible probability.
     */
    private static byte[] twistPointOutsideSubgroup() {
        for (int k = 1; k < 100; k++) {
            Fp2 x = new Fp2(Fp.of(k), Fp.ONE);
            Fp2 rhs = x.square().mul(x).add(Bn254.B2);
            Fp2 y = sqrt(rhs);
            if (y != null) {
                assertTrue(y.square().equals(rhs));
                byte[] out = new byte[128];
                x.b.toBytes32(out, 0);
                x.a.toBytes32(out, 32);
                y.b.toBytes32(out, 64);
                y.a.toBytes32(out, 96);
                return out;
            }
        }
        throw new AssertionError("no twist point found");
    }

    /** Square root in Fp2 for p ≡ 3 (mod 4) (Adj and Rodríguez-Henríquez, Algorithm 9), or null. */
    private static Fp2 sqrt(Fp2 a) {
        Fp2 a1 = a.pow(P.subtract(BigInteger.valueOf(3)).shiftRight(2));
        Fp2 alpha = a1.square().mul(a);
        Fp2 a0 = alpha.conjugate().mul(alpha);
        Fp2 minusOne = Fp2.ONE.neg();
        if (a0.equals(minusOne)) {
            return null;
        }
        Fp2 x0 = a1.mul(a);
        if (alpha.equals(minusOne)) {
            return new Fp2(Fp.ZERO, Fp.ONE).mul(x0);
        }
        Fp2 b = Fp2.ONE.add(alpha).pow(P.subtract(BigInteger.ONE).shiftRight(1));
        return b.mul(x0);
    }
}
