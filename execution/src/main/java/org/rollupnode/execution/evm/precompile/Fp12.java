package org.rollupnode.execution.evm.precompile;

import java.math.BigInteger;

/**
 * Fp12 = Fp6[w] / (w^2 - v): the element c0 + c1·w. Immutable. With v = w², every element is also
 * a sum of Fp2 coefficients times w^0..w^5 and w^6 = ξ, which is what the Frobenius map uses.
 */
final class Fp12 {
    static final Fp12 ONE = new Fp12(Fp6.ONE, Fp6.ZERO);

    /** γ_i = ξ^(i(p-1)/6): (x·w^i)^p = conj(x)·γ_i·w^i for x in Fp2. */
    static final Fp2[] FROBENIUS_GAMMA = new Fp2[6];

    static {
        BigInteger sixth = Fp.MODULUS.subtract(BigInteger.ONE).divide(BigInteger.valueOf(6));
        for (int i = 0; i < 6; i++) {
            FROBENIUS_GAMMA[i] = Fp2.XI.pow(sixth.multiply(BigInteger.valueOf(i)));
        }
    }

    final Fp6 c0;
    final Fp6 c1;

    Fp12(Fp6 c0, Fp6 c1) {
        this.c0 = c0;
        this.c1 = c1;
    }

    Fp12 mul(Fp12 o) {
        Fp6 t0 = c0.mul(o.c0);
        Fp6 t1 = c1.mul(o.c1);
        Fp6 cross = c0.add(c1).mul(o.c0.add(o.c1)).sub(t0).sub(t1);
        return new Fp12(t0.add(t1.mulByV()), cross);
    }

    Fp12 square() {
        // (c0 + c1 w)^2 = (c0 + c1)(c0 + v c1) - c0c1 - v c0c1 + 2 c0c1 w
        Fp6 ab = c0.mul(c1);
        Fp6 r0 = c0.add(c1).mul(c0.add(c1.mulByV())).sub(ab).sub(ab.mulByV());
        return new Fp12(r0, ab.add(ab));
    }

    /** The p^6 Frobenius, which on Fp12 is conjugation; it equals the inverse in the cyclotomic subgroup. */
    Fp12 conjugate() {
        return new Fp12(c0, c1.neg());
    }

    Fp12 inverse() {
        Fp6 norm = c0.square().sub(c1.square().mulByV());
        Fp6 inv = norm.inverse();
        return new Fp12(c0.mul(inv), c1.mul(inv).neg());
    }

    /** x ↦ x^p. */
    Fp12 frobenius() {
        return new Fp12(
                new Fp6(
                        c0.c0.conjugate(),
                        c0.c1.conjugate().mul(FROBENIUS_GAMMA[2]),
                        c0.c2.conjugate().mul(FROBENIUS_GAMMA[4])),
                new Fp6(
                        c1.c0.conjugate().mul(FROBENIUS_GAMMA[1]),
                        c1.c1.conjugate().mul(FROBENIUS_GAMMA[3]),
                        c1.c2.conjugate().mul(FROBENIUS_GAMMA[5])));
    }

    Fp12 pow(BigInteger e) {
        Fp12 result = ONE;
        for (int i = e.bitLength() - 1; i >= 0; i--) {
            result = result.square();
            if (e.testBit(i)) {
                result = result.mul(this);
            }
        }
        return result;
    }

    boolean isOne() {
        return equals(ONE);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Fp12 f && c0.equals(f.c0) && c1.equals(f.c1);
    }

    @Override
    public int hashCode() {
        return c0.hashCode() * 31 + c1.hashCode();
    }
}
