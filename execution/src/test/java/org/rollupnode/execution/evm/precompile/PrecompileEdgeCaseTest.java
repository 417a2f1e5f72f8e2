package org.rollupnode.execution.evm.precompile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.rollupnode.execution.types.Hex;

/** Edge cases beyond the geth vectors; expected digests are the published test values. */
class PrecompileEdgeCaseTest {
    private static final BigInteger SECP256K1_N =
            new BigInteger("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141", 16);

    private static byte[] word(BigInteger v) {
        byte[] out = new byte[32];
        byte[] b = v.toByteArray();
        int len = Math.min(b.length, 32);
        System.arraycopy(b, b.length - len, out, 32 - len, len);
        return out;
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int o = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }

    // ---- hashes and identity ----

    @Test
    void sha256KnownDigestsAndGas() {
        Sha256 p = new Sha256();
        assertArrayEquals(Hex.decode("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
                p.run(new byte[0]).output());
        assertArrayEquals(Hex.decode("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
                p.run("abc".getBytes(StandardCharsets.US_ASCII)).output());
        assertEquals(60, p.gasCost(new byte[0]));
        assertEquals(72, p.gasCost(new byte[32]));
        assertEquals(84, p.gasCost(new byte[33]));
    }

    @Test
    void ripemd160KnownDigestsLeftPaddedAndGas() {
        Ripemd160 p = new Ripemd160();
        assertArrayEquals(Hex.decode("0000000000000000000000009c1185a5c5e9fc54612808977ee8f548b2258d31"),
                p.run(new byte[0]).output());
        assertArrayEquals(Hex.decode("0000000000000000000000008eb208f7e05d987a9b044a8e98c6b087f15a0bfc"),
                p.run("abc".getBytes(StandardCharsets.US_ASCII)).output());
        assertEquals(600, p.gasCost(new byte[0]));
        assertEquals(840, p.gasCost(new byte[64]));
    }

    @Test
    void identityCopiesAndCharges15Plus3PerWord() {
        Identity p = new Identity();
        byte[] in = {1, 2, 3};
        PrecompileResult r = p.run(in);
        assertArrayEquals(new byte[] {1, 2, 3}, r.output());
        in[0] = 9;
        assertEquals(1, r.output()[0], "output must not alias the input");
        assertEquals(15, p.gasCost(new byte[0]));
        assertEquals(21, p.gasCost(new byte[33]));
    }

    // ---- ecrecover ----

    private static GethVectors.Vector validEcRecoverVector() {
        return GethVectors.load("ecRecover.json").stream()
                .filter(v -> v.name().equals("ValidKey")).findFirst().orElseThrow();
    }

    @Test
    void ecrecoverAcceptsHighSWithFlippedParity() {
        // (r, n - s, v ^ 1) is the same signature's twin: same signer. The precompile, unlike a
        // transaction, does not enforce low s.
        GethVectors.Vector v = validEcRecoverVector();
        byte[] in = v.input().clone();
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(in, 96, 128));
        System.arraycopy(word(SECP256K1_N.subtract(s)), 0, in, 96, 32);
        in[63] = (byte) (in[63] == 27 ? 28 : 27);
        assertArrayEquals(v.expected(), new EcRecover().run(in).output());
    }

    @Test
    void ecrecoverBouncyCastleFallbackAgreesWithVector() {
        GethVectors.Vector v = validEcRecoverVector();
        byte[] in = v.input();
        byte[] pub = EcRecover.recoverBouncyCastle(Arrays.copyOfRange(in, 0, 32), in[63] - 27,
                new BigInteger(1, Arrays.copyOfRange(in, 64, 96)), new BigInteger(1, Arrays.copyOfRange(in, 96, 128)));
        byte[] h = org.rollupnode.execution.crypto.Keccak.hash256(pub, 1, 64);
        assertArrayEquals(Arrays.copyOfRange(v.expected(), 12, 32), Arrays.copyOfRange(h, 12, 32));
    }

    @Test
    void ecrecoverNativeLibraryLoadsOnThisPlatform() {
        assertTrue(EcRecover.usesNative(), "libsecp256k1 JNI should load on linux x86_64/aarch64");
    }

    @Test
    void ecrecoverInvalidSignaturesGiveEmptySuccess() {
        GethVectors.Vector v = validEcRecoverVector();
        EcRecover p = new EcRecover();
        byte[] badV = v.input().clone();
        badV[63] = 29;
        byte[] rZero = v.input().clone();
        Arrays.fill(rZero, 64, 96, (byte) 0);
        byte[] sIsN = v.input().clone();
        System.arraycopy(word(SECP256K1_N), 0, sIsN, 96, 32);
        for (byte[] in : new byte[][] {badV, rZero, sIsN, new byte[0], new byte[128]}) {
            PrecompileResult r = p.run(in);
            assertTrue(r.success());
            assertEquals(0, r.output().length);
        }
        assertEquals(3000, p.gasCost(new byte[0]));
    }

    @Test
    void ecrecoverPadsShortInputAndIgnoresExtraBytes() {
        GethVectors.Vector v = validEcRecoverVector();
        byte[] longer = Arrays.copyOf(v.input(), 200);
        Arrays.fill(longer, 128, 200, (byte) 0x5a);
        assertArrayEquals(v.expected(), new EcRecover().run(longer).output());
    }

    // ---- modexp ----

    private static byte[] modexpInput(BigInteger baseLen, BigInteger expLen, BigInteger modLen, byte[] rest) {
        return concat(word(baseLen), word(expLen), word(modLen), rest);
    }

    @Test
    void modexpHugeLengthsArePricedOutWithoutAllocating() {
        BigInteger huge = BigInteger.ONE.shiftLeft(255);
        for (ModExp.Rules rules : ModExp.Rules.values()) {
            ModExp p = new ModExp(rules);
            byte[] in = modexpInput(BigInteger.ONE, BigInteger.ONE, huge, new byte[] {2, 3});
            assertEquals(Long.MAX_VALUE, p.gasCost(in), rules.name());
            assertFalse(p.run(in).success(), rules.name());
            byte[] bigMod = modexpInput(BigInteger.ONE, BigInteger.ONE, BigInteger.valueOf(Integer.MAX_VALUE), new byte[3]);
            assertFalse(p.run(bigMod).success(), rules.name());
            byte[] bigExp = modexpInput(BigInteger.ONE, huge, BigInteger.ONE, new byte[] {2, 3, 5});
            assertEquals(Long.MAX_VALUE, p.gasCost(bigExp));
            assertFalse(p.run(bigExp).success());
        }
    }

    @Test
    void modexpZeroBaseAndModulusLengthsIgnoreAnyExponentLength() {
        // EIP-198: with baseLen = modLen = 0 the output is empty whatever expLen says.
        byte[] in = modexpInput(BigInteger.ZERO, BigInteger.ONE.shiftLeft(255), BigInteger.ZERO, new byte[0]);
        PrecompileResult r = new ModExp(ModExp.Rules.EIP2565).run(in);
        assertTrue(r.success());
        assertEquals(0, r.output().length);
        assertEquals(200, new ModExp(ModExp.Rules.EIP2565).gasCost(
                modexpInput(BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO, new byte[0])));
    }

    @Test
    void modexpEip7823RejectsLengthsAbove1024() {
        ModExp p = new ModExp(ModExp.Rules.EIP7883);
        byte[] ok = modexpInput(BigInteger.valueOf(1024), BigInteger.ONE, BigInteger.ONE, new byte[0]);
        assertTrue(p.run(ok).success());
        for (int which = 0; which < 3; which++) {
            BigInteger[] lens = {BigInteger.ONE, BigInteger.ONE, BigInteger.ONE};
            lens[which] = BigInteger.valueOf(1025);
            byte[] in = modexpInput(lens[0], lens[1], lens[2], new byte[] {3, 5, 7});
            assertFalse(p.run(in).success(), "length " + which);
            // Without the limit (EIP-2565) the same call succeeds.
            assertTrue(new ModExp(ModExp.Rules.EIP2565).run(in).success(), "length " + which);
        }
    }

    @Test
    void modexpTruncatedInputReadsAsZeros() {
        ModExp p = new ModExp(ModExp.Rules.EIP2565);
        // base 3, exponent 0x02 then a missing byte (0x0200 = 512), modulus entirely missing (0).
        byte[] noMod = modexpInput(BigInteger.ONE, BigInteger.TWO, BigInteger.TWO, new byte[] {3, 2});
        assertArrayEquals(new byte[2], p.run(noMod).output());
        // 3^512 mod 1000 = 441 (Python pow(3, 512, 1000)).
        byte[] full = modexpInput(BigInteger.ONE, BigInteger.TWO, BigInteger.TWO, new byte[] {3, 2, 0, 0x03, (byte) 0xe8});
        assertArrayEquals(new byte[] {0x01, (byte) 0xb9}, p.run(full).output());
        // Modulus 0x03 then a missing byte: 0x0300 = 768; 3^512 mod 768 = 513 (Python).
        byte[] halfMod = modexpInput(BigInteger.ONE, BigInteger.TWO, BigInteger.TWO, new byte[] {3, 2, 0, 0x03});
        assertArrayEquals(new byte[] {0x02, 0x01}, p.run(halfMod).output());
    }

    // ---- blake2f ----

    @Test
    void blake2fWrongLengthOrFlagFails() {
        Blake2F p = new Blake2F();
        assertFalse(p.run(new byte[0]).success());
        assertFalse(p.run(new byte[212]).success());
        assertFalse(p.run(new byte[214]).success());
        byte[] badFlag = new byte[213];
        badFlag[212] = 2;
        assertFalse(p.run(badFlag).success());
        byte[] zeroRounds = new byte[213];
        assertEquals(0, p.gasCost(zeroRounds));
        assertTrue(p.run(zeroRounds).success());
        byte[] maxRounds = new byte[213];
        maxRounds[0] = (byte) 0xff;
        maxRounds[1] = (byte) 0xff;
        maxRounds[2] = (byte) 0xff;
        maxRounds[3] = (byte) 0xff;
        assertEquals(0xffffffffL, p.gasCost(maxRounds));
    }

    // ---- p256verify ----

    @Test
    void p256WrongLengthIsEmptySuccessAtFullGas() {
        P256Verify p = new P256Verify(P256Verify.GAS_EIP7951);
        for (byte[] in : new byte[][] {new byte[0], new byte[159], new byte[161], new byte[160]}) {
            PrecompileResult r = p.run(in);
            assertTrue(r.success());
            assertEquals(0, r.output().length);
            assertEquals(6900, p.gasCost(in));
        }
    }

    @Test
    void p256ValidVectorTurnsInvalidWhenPublicKeyLeavesCurve() {
        GethVectors.Vector valid = GethVectors.load("p256Verify.json").stream()
                .filter(v -> v.expected().length == 32).findFirst().orElseThrow();
        byte[] in = valid.input().clone();
        in[159] ^= 1;
        assertEquals(0, new P256Verify(P256Verify.GAS_EIP7951).run(in).output().length);
    }

    // ---- point evaluation ----

    @Test
    void pointEvaluationRejectsWrongVersionedHashAndLength() {
        GethVectors.Vector v = GethVectors.load("pointEvaluation.json").get(0);
        PointEvaluation p = new PointEvaluation();
        byte[] badHash = v.input().clone();
        badHash[5] ^= 1;
        assertFalse(p.run(badHash).success());
        byte[] badProof = v.input().clone();
        badProof[191] ^= 1;
        assertFalse(p.run(badProof).success());
        assertFalse(p.run(Arrays.copyOf(v.input(), 191)).success());
        assertFalse(p.run(new byte[0]).success());
    }
}
