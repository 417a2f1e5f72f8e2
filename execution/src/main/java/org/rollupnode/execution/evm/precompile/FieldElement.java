package org.rollupnode.execution.evm.precompile;

/** The field operations the curve arithmetic needs, shared by the BN254 fields Fp and Fp2. */
interface FieldElement<F extends FieldElement<F>> {
    F add(F other);

    F sub(F other);

    F mul(F other);

    F square();

    F neg();

    F inverse();

    boolean isZero();
}
