package org.rollupnode.execution.tx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.rollupnode.execution.crypto.Keccak;
import org.rollupnode.execution.types.Address;
import org.web3j.crypto.Credentials;

/** libsecp256k1 (JNI) and BouncyCastle recovery must agree on every input, valid or not. */
class Secp256k1RecoveryTest {
    private static final BigInteger HARDHAT_KEY0 =
            new BigInteger("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80", 16);

    @Test
    void nativeLibraryLoadsOnThisPlatform() {
        assertTrue(Secp256k1.usesNative(), "libsecp256k1 JNI should load on linux-x86_64");
    }

    @Test
    void bothPathsRecoverTheSignerOfRandomMessages() {
        Random rnd = new Random(9);
        for (int i = 0; i < 200; i++) {
            BigInteger key = new BigInteger(256, rnd).mod(Secp256k1.N.subtract(BigInteger.ONE)).add(BigInteger.ONE);
            byte[] msg = new byte[32];
            rnd.nextBytes(msg);
            Secp256k1.Signature sig = Secp256k1.sign(msg, key);
            assertEquals(Secp256k1.signBouncyCastle(msg, key), Secp256k1.signNative(msg, key), "RFC 6979 signature " + i);
            // The address web3j derives from the key is the independent reference.
            Address expected = Address.fromHex(Credentials.create(key.toString(16)).getAddress());
            byte[] bc = Secp256k1.recoverPublicKeyBouncyCastle(msg, sig.yParity(), sig.r(), sig.s());
            byte[] nat = Secp256k1.recoverPublicKeyNative(msg, sig.yParity(), sig.r(), sig.s());
            assertArrayEquals(bc, nat, "public key of signature " + i);
            assertEquals(expected, Secp256k1.recoverAddressUncached(msg, sig.yParity(), sig.r(), sig.s()));
            // The other parity recovers some other key (or none) on both paths alike.
            assertArrayEquals(Secp256k1.recoverPublicKeyBouncyCastle(msg, 1 - sig.yParity(), sig.r(), sig.s()),
                    Secp256k1.recoverPublicKeyNative(msg, 1 - sig.yParity(), sig.r(), sig.s()));
            // High s (rejected for transactions by the decoder) still recovers identically.
            BigInteger highS = Secp256k1.N.subtract(sig.s());
            assertArrayEquals(Secp256k1.recoverPublicKeyBouncyCastle(msg, sig.yParity(), sig.r(), highS),
                    Secp256k1.recoverPublicKeyNative(msg, sig.yParity(), sig.r(), highS));
        }
    }

    @Test
    void rWhoseXIsNotOnTheCurveRecoversNothingOnBothPaths() {
        byte[] msg = Keccak.hash256("x".getBytes());
        int found = 0;
        for (int x = 1; x < 64; x++) {
            BigInteger r = BigInteger.valueOf(x);
            byte[] bc = Secp256k1.recoverPublicKeyBouncyCastle(msg, 0, r, BigInteger.ONE);
            byte[] nat = Secp256k1.recoverPublicKeyNative(msg, 0, r, BigInteger.ONE);
            assertArrayEquals(bc, nat, "r = " + x);
            if (bc == null) {
                found++;
            }
        }
        // About half of all x have no point; the loop must have met some of them.
        assertTrue(found > 10, "x values without a curve point: " + found);
    }

    @Test
    void outOfRangeValuesRecoverNothing() {
        byte[] msg = new byte[32];
        BigInteger one = BigInteger.ONE;
        for (BigInteger[] rs : new BigInteger[][] {{BigInteger.ZERO, one}, {one, BigInteger.ZERO}, {Secp256k1.N, one}, {one, Secp256k1.N}}) {
            assertNull(Secp256k1.recoverPublicKeyNative(msg, 0, rs[0], rs[1]));
            assertNull(Secp256k1.recoverPublicKeyBouncyCastle(msg, 0, rs[0], rs[1]));
        }
        assertNull(Secp256k1.recoverPublicKey(msg, 2, one, one), "y-parity 2");
    }

    @Test
    void cachedRecoveryGivesTheRecoveredAddress() {
        Secp256k1.clearCache();
        byte[] msg = Keccak.hash256("cached".getBytes());
        Secp256k1.Signature sig = Secp256k1.sign(msg, HARDHAT_KEY0);
        Address first = Secp256k1.recoverAddress(msg, sig.yParity(), sig.r(), sig.s());
        Address second = Secp256k1.recoverAddress(msg, sig.yParity(), sig.r(), sig.s());
        assertEquals(Address.fromHex("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"), first);
        assertEquals(first, second);
        // A different message with the same r, s must not hit the cached entry.
        byte[] other = Keccak.hash256("other".getBytes());
        Address otherSigner = Secp256k1.recoverAddress(other, sig.yParity(), sig.r(), sig.s());
        assertEquals(Secp256k1.recoverAddressUncached(other, sig.yParity(), sig.r(), sig.s()), otherSigner);
        assertNotNull(otherSigner);
        assertTrue(!otherSigner.equals(first));
    }

    @Test
    void cacheStaysCorrectPastItsGenerationSize() {
        Secp256k1.clearCache();
        byte[] msg0 = Keccak.hash256(new byte[] {0});
        Secp256k1.Signature sig0 = Secp256k1.sign(msg0, HARDHAT_KEY0);
        Address a0 = Secp256k1.recoverAddress(msg0, sig0.yParity(), sig0.r(), sig0.s());
        // Entries with synthetic (msg, r, s): more than two generations' worth, so msg0 is evicted.
        Random rnd = new Random(1);
        Secp256k1.Signature s = Secp256k1.sign(Keccak.hash256(new byte[] {1}), BigInteger.TWO);
        for (int i = 0; i < 70_000; i++) {
            byte[] m = new byte[32];
            rnd.nextBytes(m);
            Address direct = Secp256k1.recoverAddress(m, s.yParity(), s.r(), s.s());
            if (i % 10_000 == 0) {
                assertEquals(Secp256k1.recoverAddressUncached(m, s.yParity(), s.r(), s.s()), direct);
            }
        }
        assertEquals(a0, Secp256k1.recoverAddress(msg0, sig0.yParity(), sig0.r(), sig0.s()));
    }
}
