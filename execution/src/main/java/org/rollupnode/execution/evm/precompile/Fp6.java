package org.rollupnode.execution.evm.precompile;

/** Fp6 = Fp2[v] / (v^3 - ξ): the element c0 + c1·v + c2·v². Immutable. */
final class Fp6 {
    static final Fp6 ZERO = new Fp6(Fp2.ZERO, Fp2.ZERO, Fp2.ZERO);
    static final Fp6 ONE = new Fp6(Fp2.ONE, Fp2.ZERO, Fp2.ZERO);

    final Fp2 c0;
    final Fp2 c1;
    final Fp2 c2;

    Fp6(Fp2 c0, Fp2 c1, Fp2 c2) {
        this.c0 = c0;
        this.c1 = c1;
        this.c2 = c2;
    }

    Fp6 add(Fp6 o) {
        return new Fp6(c0.add(o.c0), c1.add(o.c1), c2.add(o.c2));
    }

    Fp6 sub(Fp6 o) {
        return new Fp6(c0.sub(o.c0), c1.sub(o.c1), c2.sub(o.c2));
    }

    Fp6 neg() {
        return new Fp6(c0.neg(), c1.neg(), c2.neg());
    }

    Fp6 mul(Fp6 o) {
        // Karatsuba over the three coefficients (6 Fp2 products), reducing v^3 = ξ.
        Fp2 t0 = c0.mul(o.c0);
        Fp2 t1 = c1.mul(o.c1);
        Fp2 t2 = c2.mul(o.c2);
        Fp2 r0 = c1.add(c2).mul(o.c1.add(o.c2)).sub(t1).sub(t2).mulByXi().add(t0);
        Fp2 r1 = c0.add(c1).mul(o.c0.add(o.c1)).sub(t0).sub(t1).add(t2.mulByXi());
        Fp2 r2 = c0.add(c2).mul(o.c0.add(o.c2)).sub(t0).sub(t2).add(t1);
        return new Fp6(r0, r1, r2);
    }

    Fp6 square() {
        return mul(this);
    }

    Fp6 mulFp2(Fp2 k) {
        return new Fp6(c0.mul(k), c1.mul(k), c2.mul(k));
    }

    /** Multiplication by v: (c0 + c1 v + c2 v²)·v = ξ c2 + c0 v + c1 v². */
    Fp6 mulByV() {
        return new Fp6(c2.mulByXi(), c0, c1);
    }

    Fp6 inverse() {
        Fp2 t0 = c0.square().sub(c1.mul(c2).mulByXi());
        Fp2 t1 = c2.square().mulByXi().sub(c0.mul(c1));
        Fp2 t2 = c1.square().sub(c0.mul(c2));
        Fp2 norm = c0.mul(t0).add(c2.mul(t1).add(c1.mul(t2)).mulByXi());
        Fp2 inv = norm.inverse();
        return new Fp6(t0.mul(inv), t1.mul(inv), t2.mul(inv));
    }

    boolean isZero() {
        return c0.isZero() && c1.isZero() && c2.isZero();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Fp6 f && c0.equals(f.c0) && c1.equals(f.c1) && c2.equals(f.c2);
    }

    @Override
    public int hashCode() {
        return (c0.hashCode() * 31 + c1.hashCode()) * 31 + c2.hashCode();
    }
}
