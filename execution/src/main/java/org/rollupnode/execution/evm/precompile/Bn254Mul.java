package org.rollupnode.execution.evm.precompile;

import java.math.BigInteger;

/** 0x07 ECMUL on BN254 (EIP-196), Istanbul price (EIP-1108). */
final class Bn254Mul implements Precompile {
    static final long GAS = 6000;

    @Override
    public long gasCost(byte[] input) {
        return GAS;
    }

    @Override
    public PrecompileResult run(byte[] input) {
        byte[] in = Results.slicePadded(input, 0, 96);
        Bn254.G1 p = Bn254.decodeG1(in, 0);
        if (p == null) {
            return Results.FAILURE;
        }
        byte[] scalarBytes = new byte[32];
        System.arraycopy(in, 64, scalarBytes, 0, 32);
        // Every G1 point has order r (cofactor 1), so reducing the scalar changes nothing but speed.
        BigInteger k = new BigInteger(1, scalarBytes).mod(Bn254.ORDER);
        return Results.ok(Bn254.encodeG1(Bn254.toJacobian(p).mul(k)));
    }
}
