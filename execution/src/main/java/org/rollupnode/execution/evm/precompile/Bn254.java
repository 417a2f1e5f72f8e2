package org.rollupnode.execution.evm.precompile;

import java.math.BigInteger;
import java.util.List;

/**
 * The BN254 (alt_bn128) curve of EIP-196/197: decoding with validation, and the optimal ate
 * pairing check.
 *
 * <p>G1: y² = x³ + 3 over Fp (cofactor 1, so any curve point is in the group). G2: the order-r
 * subgroup of the D-type sextic twist y² = x³ + 3/ξ over Fp2, ξ = 9 + u; points on the twist
 * but outside that subgroup are rejected. Hand-written because nothing on Maven Central provides
 * a BN254 pairing (platform-notes §8).
 */
final class Bn254 {
    /** The group order r. */
    static final BigInteger ORDER =
            new BigInteger("21888242871839275222246405745257275088548364400416034343698204186575808495617");
    /** The BN parameter x (often called u) with p = 36x⁴ + 36x³ + 24x² + 6x + 1. */
    static final BigInteger X = new BigInteger("4965661367192848881");
    /** Miller loop length of the optimal ate pairing for BN curves: 6x + 2. */
    private static final BigInteger ATE_LOOP = X.multiply(BigInteger.valueOf(6)).add(BigInteger.TWO);

    static final Fp B1 = Fp.of(3);
    static final Fp2 B2 = new Fp2(Fp.of(3), Fp.ZERO).mul(Fp2.XI.inverse());

    /** (x^p, y^p) on the twist is (conj(x)·γ₂, conj(y)·γ₃), from untwisting (x w², y w³). */
    private static final Fp2 TWIST_FROB_X = Fp12.FROBENIUS_GAMMA[2];
    private static final Fp2 TWIST_FROB_Y = Fp12.FROBENIUS_GAMMA[3];

    private Bn254() {}

    /** An affine point of G1, or of the twist for G2; infinity is flagged rather than encoded. */
    record G1(Fp x, Fp y, boolean infinity) {}

    record G2(Fp2 x, Fp2 y, boolean infinity) {}

    /** 64 bytes at off, (x, y) big-endian; (0, 0) is infinity. Null when not a valid G1 point. */
    static G1 decodeG1(byte[] in, int off) {
        Fp x = Fp.fromBytes32(in, off);
        Fp y = Fp.fromBytes32(in, off + 32);
        if (x == null || y == null) {
            return null;
        }
        if (x.isZero() && y.isZero()) {
            return new G1(x, y, true);
        }
        return CurvePoint.onCurve(x, y, B1) ? new G1(x, y, false) : null;
    }

    /**
     * 128 bytes at off: x as (imaginary, real), then y likewise (EIP-197 order). All zero is
     * infinity. Null when a coordinate is not below p, the point is not on the twist, or it is not
     * in the order-r subgroup.
     */
    static G2 decodeG2(byte[] in, int off) {
        Fp xIm = Fp.fromBytes32(in, off);
        Fp xRe = Fp.fromBytes32(in, off + 32);
        Fp yIm = Fp.fromBytes32(in, off + 64);
        Fp yRe = Fp.fromBytes32(in, off + 96);
        if (xIm == null || xRe == null || yIm == null || yRe == null) {
            return null;
        }
        Fp2 x = new Fp2(xRe, xIm);
        Fp2 y = new Fp2(yRe, yIm);
        if (x.isZero() && y.isZero()) {
            return new G2(x, y, true);
        }
        if (!CurvePoint.onCurve(x, y, B2)) {
            return null;
        }
        // The twist has a large cofactor; only multiplying by r tells subgroup members apart.
        if (!CurvePoint.affine(x, y, Fp2.ONE).mul(ORDER).isInfinity()) {
            return null;
        }
        return new G2(x, y, false);
    }

    static CurvePoint<Fp> toJacobian(G1 p) {
        return p.infinity() ? CurvePoint.infinity(Fp.ONE) : CurvePoint.affine(p.x(), p.y(), Fp.ONE);
    }

    /** 64-byte encoding of a G1 point; infinity is all zeros. */
    static byte[] encodeG1(CurvePoint<Fp> p) {
        byte[] out = new byte[64];
        if (!p.isInfinity()) {
            CurvePoint<Fp> a = p.normalize();
            a.x.toBytes32(out, 0);
            a.y.toBytes32(out, 32);
        }
        return out;
    }

    /** True when the product of e(P_i, Q_i) is 1 in GT. */
    static boolean pairingCheck(List<G1> ps, List<G2> qs) {
        Fp12 f = millerLoop(ps, qs);
        return finalExponentiation(f).isOne();
    }

    /** The product of the optimal ate Miller loops of all pairs with neither point at infinity. */
    static Fp12 millerLoop(List<G1> ps, List<G2> qs) {
        int n = ps.size();
        Fp[] px = new Fp[n];
        Fp[] py = new Fp[n];
        Fp2[] qx = new Fp2[n];
        Fp2[] qy = new Fp2[n];
        int k = 0;
        for (int i = 0; i < n; i++) {
            // e(O, Q) = e(P, O) = 1: such pairs contribute nothing.
            if (ps.get(i).infinity() || qs.get(i).infinity()) {
                continue;
            }
            px[k] = ps.get(i).x();
            py[k] = ps.get(i).y();
            qx[k] = qs.get(i).x();
            qy[k] = qs.get(i).y();
            k++;
        }
        Fp2[] tx = new Fp2[k];
        Fp2[] ty = new Fp2[k];
        System.arraycopy(qx, 0, tx, 0, k);
        System.arraycopy(qy, 0, ty, 0, k);

        Fp12 f = Fp12.ONE;
        for (int bit = ATE_LOOP.bitLength() - 2; bit >= 0; bit--) {
            f = f.square();
            for (int i = 0; i < k; i++) {
                // Tangent at T: λ = 3x² / 2y.
                Fp2 x2 = tx[i].square();
                Fp2 lambda = x2.add(x2).add(x2).mul(ty[i].dbl().inverse());
                f = mulByLine(f, lambda, tx[i], ty[i], px[i], py[i]);
                Fp2 x3 = lambda.square().sub(tx[i].dbl());
                ty[i] = lambda.mul(tx[i].sub(x3)).sub(ty[i]);
                tx[i] = x3;
            }
            if (ATE_LOOP.testBit(bit)) {
                for (int i = 0; i < k; i++) {
                    f = addStep(f, tx, ty, i, qx[i], qy[i], px[i], py[i]);
                }
            }
        }
        for (int i = 0; i < k; i++) {
            // Two extra lines with Q1 = π(Q) and -Q2 = -π²(Q) make this the optimal ate pairing.
            Fp2 q1x = qx[i].conjugate().mul(TWIST_FROB_X);
            Fp2 q1y = qy[i].conjugate().mul(TWIST_FROB_Y);
            Fp2 q2x = q1x.conjugate().mul(TWIST_FROB_X);
            Fp2 q2y = q1y.conjugate().mul(TWIST_FROB_Y).neg();
            f = addStep(f, tx, ty, i, q1x, q1y, px[i], py[i]);
            f = addStep(f, tx, ty, i, q2x, q2y, px[i], py[i]);
        }
        return f;
    }

    /** f·l_{T,Q}(P), then T = T + Q (T is tx[i], ty[i]). */
    private static Fp12 addStep(Fp12 f, Fp2[] tx, Fp2[] ty, int i, Fp2 qx, Fp2 qy, Fp px, Fp py) {
        Fp2 dx = qx.sub(tx[i]);
        if (dx.isZero()) {
            // T = ±Q cannot happen for subgroup points and loop counts below r.
            throw new ArithmeticException("degenerate Miller loop addition");
        }
        Fp2 lambda = qy.sub(ty[i]).mul(dx.inverse());
        Fp12 r = mulByLine(f, lambda, tx[i], ty[i], px, py);
        Fp2 x3 = lambda.square().sub(tx[i]).sub(qx);
        ty[i] = lambda.mul(tx[i].sub(x3)).sub(ty[i]);
        tx[i] = x3;
        return r;
    }

    /**
     * Multiplies f by the line through the untwisted T with slope λ·w, evaluated at P:
     * yP − λ·xP·w + (λ·xT − yT)·w³.
     */
    private static Fp12 mulByLine(Fp12 f, Fp2 lambda, Fp2 tx, Fp2 ty, Fp px, Fp py) {
        Fp12 line = new Fp12(
                new Fp6(new Fp2(py, Fp.ZERO), Fp2.ZERO, Fp2.ZERO),
                new Fp6(lambda.mulScalar(px).neg(), lambda.mul(tx).sub(ty), Fp2.ZERO));
        return f.mul(line);
    }

    /**
     * f^((p¹²−1)/r): the easy part (p⁶−1)(p²+1) with a conjugate, an inverse and Frobenius maps,
     * then the hard part (p⁴−p²+1)/r through powers of x (Scott et al., "On the final
     * exponentiation for calculating pairings on ordinary elliptic curves", 2009).
     */
    static Fp12 finalExponentiation(Fp12 f) {
        Fp12 t = f.conjugate().mul(f.inverse());
        t = t.frobenius().frobenius().mul(t);
        // t is now in the cyclotomic subgroup, where the conjugate is the inverse.
        Fp12 fp = t.frobenius();
        Fp12 fp2 = fp.frobenius();
        Fp12 fp3 = fp2.frobenius();
        Fp12 fu = t.pow(X);
        Fp12 fu2 = fu.pow(X);
        Fp12 fu3 = fu2.pow(X);

        Fp12 y0 = fp.mul(fp2).mul(fp3);
        Fp12 y1 = t.conjugate();
        Fp12 y2 = fu2.frobenius().frobenius();
        Fp12 y3 = fu.frobenius().conjugate();
        Fp12 y4 = fu.mul(fu2.frobenius()).conjugate();
        Fp12 y5 = fu2.conjugate();
        Fp12 y6 = fu3.mul(fu3.frobenius()).conjugate();

        Fp12 t0 = y6.square().mul(y4).mul(y5);
        Fp12 t1 = y3.mul(y5).mul(t0);
        t0 = t0.mul(y2);
        t1 = t1.square().mul(t0).square();
        t0 = t1.mul(y1);
        t1 = t1.mul(y0);
        return t0.square().mul(t1);
    }

    /** f^((p¹²−1)/r) by plain square-and-multiply; slow, only to check the fast version in tests. */
    static Fp12 finalExponentiationReference(Fp12 f) {
        BigInteger e = Fp.MODULUS.pow(12).subtract(BigInteger.ONE).divide(ORDER);
        return f.pow(e);
    }
}
