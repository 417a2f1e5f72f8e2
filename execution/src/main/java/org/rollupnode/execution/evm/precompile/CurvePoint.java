package org.rollupnode.execution.evm.precompile;

import java.math.BigInteger;

/**
 * A point of a short Weierstrass curve y² = x³ + b (a = 0) in Jacobian coordinates
 * (x = X/Z², y = Y/Z³; Z = 0 is the point at infinity). Used for BN254 G1 over Fp and for the
 * sextic twist carrying G2 over Fp2. Immutable.
 */
final class CurvePoint<F extends FieldElement<F>> {
    final F x;
    final F y;
    final F z;

    CurvePoint(F x, F y, F z) {
        this.x = x;
        this.y = y;
        this.z = z;
    }

    static <F extends FieldElement<F>> CurvePoint<F> infinity(F one) {
        return new CurvePoint<>(one, one, one.sub(one));
    }

    static <F extends FieldElement<F>> CurvePoint<F> affine(F x, F y, F one) {
        return new CurvePoint<>(x, y, one);
    }

    boolean isInfinity() {
        return z.isZero();
    }

    /** Affine (x, y) satisfies y² = x³ + b. */
    static <F extends FieldElement<F>> boolean onCurve(F x, F y, F b) {
        return y.square().equals(x.square().mul(x).add(b));
    }

    CurvePoint<F> dbl() {
        if (isInfinity() || y.isZero()) {
            return infinity(x);
        }
        // dbl-2009-l (a = 0)
        F a = x.square();
        F b = y.square();
        F c = b.square();
        F d = x.add(b).square().sub(a).sub(c);
        d = d.add(d);
        F e = a.add(a).add(a);
        F f = e.square();
        F x3 = f.sub(d.add(d));
        F c8 = c.add(c);
        c8 = c8.add(c8);
        c8 = c8.add(c8);
        F y3 = e.mul(d.sub(x3)).sub(c8);
        F yz = y.mul(z);
        F z3 = yz.add(yz);
        return new CurvePoint<>(x3, y3, z3);
    }

    CurvePoint<F> add(CurvePoint<F> o) {
        if (isInfinity()) {
            return o;
        }
        if (o.isInfinity()) {
            return this;
        }
        // add-2007-bl
        F z1z1 = z.square();
        F z2z2 = o.z.square();
        F u1 = x.mul(z2z2);
        F u2 = o.x.mul(z1z1);
        F s1 = y.mul(o.z).mul(z2z2);
        F s2 = o.y.mul(z).mul(z1z1);
        F h = u2.sub(u1);
        F r = s2.sub(s1);
        if (h.isZero()) {
            return r.isZero() ? dbl() : infinity(x);
        }
        r = r.add(r);
        F i = h.add(h).square();
        F j = h.mul(i);
        F v = u1.mul(i);
        F x3 = r.square().sub(j).sub(v.add(v));
        F s1j = s1.mul(j);
        F y3 = r.mul(v.sub(x3)).sub(s1j.add(s1j));
        F z3 = z.add(o.z).square().sub(z1z1).sub(z2z2).mul(h);
        return new CurvePoint<>(x3, y3, z3);
    }

    CurvePoint<F> neg() {
        return new CurvePoint<>(x, y.neg(), z);
    }

    /** Double-and-add; k >= 0. */
    CurvePoint<F> mul(BigInteger k) {
        CurvePoint<F> result = infinity(x);
        for (int i = k.bitLength() - 1; i >= 0; i--) {
            result = result.dbl();
            if (k.testBit(i)) {
                result = result.add(this);
            }
        }
        return result;
    }

    /** [x, y] in affine coordinates; only for a point that is not at infinity. */
    F affineX() {
        F zInv = z.inverse();
        return x.mul(zInv.square());
    }

    F affineY() {
        F zInv = z.inverse();
        return y.mul(zInv.square().mul(zInv));
    }

    /** This point in affine form (Z = 1), or itself when at infinity. */
    CurvePoint<F> normalize() {
        if (isInfinity()) {
            return this;
        }
        F zInv = z.inverse();
        F zInv2 = zInv.square();
        F one = z.mul(zInv);
        return new CurvePoint<>(x.mul(zInv2), y.mul(zInv2).mul(zInv), one);
    }
}
