package org.rollupnode.execution.evm.precompile;

import java.util.ArrayList;
import java.util.List;

/**
 * 0x08 pairing check on BN254 (EIP-197), Istanbul price 45000 + 34000·k (EIP-1108). Output is
 * 32 bytes, 1 when the product of the pairings is the identity, else 0.
 */
final class Bn254Pairing implements Precompile {
    static final int PAIR_SIZE = 192;
    static final long BASE_GAS = 45_000;
    static final long PER_PAIR_GAS = 34_000;

    private final int maxPairs;

    /** maxPairs 0: no limit (Ethereum; Scroll since Feynman). Scroll before Feynman allowed 4. */
    Bn254Pairing(int maxPairs) {
        this.maxPairs = maxPairs;
    }

    @Override
    public long gasCost(byte[] input) {
        return BASE_GAS + PER_PAIR_GAS * (input.length / PAIR_SIZE);
    }

    @Override
    public PrecompileResult run(byte[] input) {
        if (input.length % PAIR_SIZE != 0) {
            return Results.FAILURE;
        }
        int pairs = input.length / PAIR_SIZE;
        if (maxPairs > 0 && pairs > maxPairs) {
            return Results.FAILURE;
        }
        List<Bn254.G1> ps = new ArrayList<>(pairs);
        List<Bn254.G2> qs = new ArrayList<>(pairs);
        for (int i = 0; i < pairs; i++) {
            Bn254.G1 p = Bn254.decodeG1(input, i * PAIR_SIZE);
            Bn254.G2 q = Bn254.decodeG2(input, i * PAIR_SIZE + 64);
            if (p == null || q == null) {
                return Results.FAILURE;
            }
            ps.add(p);
            qs.add(q);
        }
        byte[] out = new byte[32];
        try {
            if (Bn254.pairingCheck(ps, qs)) {
                out[31] = 1;
            }
        } catch (ArithmeticException degenerate) {
            // Unreachable for validated subgroup points; failing is safer than a wrong answer.
            return Results.FAILURE;
        }
        return Results.ok(out);
    }
}
