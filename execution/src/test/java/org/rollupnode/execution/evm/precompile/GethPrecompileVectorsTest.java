package org.rollupnode.execution.evm.precompile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every go-ethereum vector for 0x01, 0x05, 0x09, 0x0a and 0x100: output and gas. */
class GethPrecompileVectorsTest {
    static Stream<Arguments> ecRecover() {
        return GethVectors.args("ecRecover.json").stream();
    }

    static Stream<Arguments> modexp2565() {
        return GethVectors.args("modexp_eip2565.json").stream();
    }

    static Stream<Arguments> modexp7883() {
        return GethVectors.args("modexp_eip7883.json").stream();
    }

    static Stream<Arguments> modexpByzantium() {
        return GethVectors.args("modexp.json").stream();
    }

    static Stream<Arguments> p256() {
        return GethVectors.args("p256Verify.json").stream();
    }

    static Stream<Arguments> blake2f() {
        return GethVectors.args("blake2F.json").stream();
    }

    static Stream<Arguments> blake2fFail() {
        return GethVectors.args("fail-blake2f.json").stream();
    }

    static Stream<Arguments> pointEvaluation() {
        return GethVectors.args("pointEvaluation.json").stream();
    }

    static void check(Precompile p, GethVectors.Vector v) {
        assertEquals(v.gas(), p.gasCost(v.input()), "gas");
        PrecompileResult r = p.run(v.input());
        assertTrue(r.success(), "call should succeed");
        assertArrayEquals(v.expected(), r.output(), "output");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ecRecover")
    void ecRecoverVectors(GethVectors.Vector v) {
        check(new EcRecover(), v);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modexp2565")
    void modexpEip2565Vectors(GethVectors.Vector v) {
        check(new ModExp(ModExp.Rules.EIP2565), v);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modexp7883")
    void modexpEip7883Vectors(GethVectors.Vector v) {
        check(new ModExp(ModExp.Rules.EIP7883), v);
    }

    /** modexp.json carries Byzantium gas (EIP-198), which no supported fork uses; outputs still hold. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("modexpByzantium")
    void modexpByzantiumOutputs(GethVectors.Vector v) {
        PrecompileResult r = new ModExp(ModExp.Rules.EIP2565).run(v.input());
        assertTrue(r.success());
        assertArrayEquals(v.expected(), r.output());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("p256")
    void p256VerifyVectors(GethVectors.Vector v) {
        check(new P256Verify(P256Verify.GAS_EIP7951), v);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("blake2f")
    void blake2fVectors(GethVectors.Vector v) {
        check(new Blake2F(), v);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("blake2fFail")
    void blake2fFailureVectors(GethVectors.Vector v) {
        assertFalse(new Blake2F().run(v.input()).success(), v.expectedError());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pointEvaluation")
    void pointEvaluationVectors(GethVectors.Vector v) {
        check(new PointEvaluation(), v);
    }
}
