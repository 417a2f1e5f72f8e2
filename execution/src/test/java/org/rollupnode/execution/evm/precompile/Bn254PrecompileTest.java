package org.rollupnode.execution.evm.precompile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class Bn254PrecompileTest {
    static Stream<Arguments> add() {
        return GethVectors.args("bn256Add.json").stream();
    }

    static Stream<Arguments> mul() {
        return GethVectors.args("bn256ScalarMul.json").stream();
    }

    static Stream<Arguments> pairing() {
        return GethVectors.args("bn256Pairing.json").stream();
    }

    private static void check(Precompile p, GethVectors.Vector v) {
        assertEquals(v.gas(), p.gasCost(v.input()), "gas");
        PrecompileResult r = p.run(v.input());
        assertTrue(r.success(), "call should succeed");
        assertArrayEquals(v.expected(), r.output());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("add")
    void addVectors(GethVectors.Vector v) {
        check(new Bn254Add(), v);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mul")
    void mulVectors(GethVectors.Vector v) {
        check(new Bn254Mul(), v);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pairing")
    void pairingVectors(GethVectors.Vector v) {
        check(new Bn254Pairing(0), v);
    }
}
