package org.rollupnode.execution.evm.precompile;

/** 0x06 ECADD on BN254 (EIP-196), Istanbul price (EIP-1108). */
final class Bn254Add implements Precompile {
    static final long GAS = 150;

    @Override
    public long gasCost(byte[] input) {
        return GAS;
    }

    @Override
    public PrecompileResult run(byte[] input) {
        byte[] in = Results.slicePadded(input, 0, 128);
        Bn254.G1 a = Bn254.decodeG1(in, 0);
        Bn254.G1 b = Bn254.decodeG1(in, 64);
        if (a == null || b == null) {
            return Results.FAILURE;
        }
        return Results.ok(Bn254.encodeG1(Bn254.toJacobian(a).add(Bn254.toJacobian(b))));
    }
}
