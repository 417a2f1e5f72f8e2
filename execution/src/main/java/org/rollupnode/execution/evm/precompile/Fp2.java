package org.rollupnode.execution.evm.precompile;

import java.math.BigInteger;

/** Fp2 = Fp[u] / (u^2 + 1): the element a + b·u. Immutable. */
final class Fp2 implements FieldElement<Fp2> {
    static final Fp2 ZERO = new Fp2(Fp.ZERO, Fp.ZERO);
    static final Fp2 ONE = new Fp2(Fp.ONE, Fp.ZERO);
    /** ξ = 9 + u, the non-residue that defines Fp6 and the sextic twist. */
    static final Fp2 XI = new Fp2(Fp.of(9), Fp.ONE);

    final Fp a;
    final Fp b;

    Fp2(Fp a, Fp b) {
        this.a = a;
        this.b = b;
    }

    @Override
    public Fp2 add(Fp2 o) {
        return new Fp2(a.add(o.a), b.add(o.b));
    }

    @Override
    public Fp2 sub(Fp2 o) {
        return new Fp2(a.sub(o.a), b.sub(o.b));
    }

    @Override
    public Fp2 neg() {
        return new Fp2(a.neg(), b.neg());
    }

    Fp2 dbl() {
        return new Fp2(a.dbl(), b.dbl());
    }

    @Override
    public Fp2 mul(Fp2 o) {
        // Karatsuba: three base-field products instead of four.
        Fp ac = a.mul(o.a);
        Fp bd = b.mul(o.b);
        Fp cross = a.add(b).mul(o.a.add(o.b)).sub(ac).sub(bd);
        return new Fp2(ac.sub(bd), cross);
    }

    Fp2 mulScalar(Fp k) {
        return new Fp2(a.mul(k), b.mul(k));
    }

    @Override
    public Fp2 square() {
        // (a+bu)^2 = (a+b)(a-b) + 2ab·u
        Fp ab = a.mul(b);
        return new Fp2(a.add(b).mul(a.sub(b)), ab.dbl());
    }

    /** Multiplication by ξ = 9 + u: (9a - b) + (a + 9b)u. */
    Fp2 mulByXi() {
        Fp a8 = a.dbl().dbl().dbl();
        Fp b8 = b.dbl().dbl().dbl();
        return new Fp2(a8.add(a).sub(b), b8.add(b).add(a));
    }

    /** The p-power Frobenius map on Fp2 is complex conjugation. */
    Fp2 conjugate() {
        return new Fp2(a, b.neg());
    }

    @Override
    public Fp2 inverse() {
        Fp norm = a.square().add(b.square());
        Fp inv = norm.inverse();
        return new Fp2(a.mul(inv), b.neg().mul(inv));
    }

    Fp2 pow(BigInteger e) {
        Fp2 result = ONE;
        for (int i = e.bitLength() - 1; i >= 0; i--) {
            result = result.square();
            if (e.testBit(i)) {
                result = result.mul(this);
            }
        }
        return result;
    }

    @Override
    public boolean isZero() {
        return a.isZero() && b.isZero();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Fp2 f && a.equals(f.a) && b.equals(f.b);
    }

    @Override
    public int hashCode() {
        return a.hashCode() * 31 + b.hashCode();
    }

    @Override
    public String toString() {
        return "(" + a + " + " + b + "u)";
    }
}
