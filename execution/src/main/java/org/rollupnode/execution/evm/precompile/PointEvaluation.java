package org.rollupnode.execution.evm.precompile;

import ethereum.ckzg4844.CKZG4844JNI;
import java.math.BigInteger;
import java.util.Arrays;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * 0x0a KZG point evaluation (EIP-4844), 50000 gas; Ethereum only (Scroll does not have it).
 * Input is exactly 192 bytes: versioned hash, z, y, commitment (48), proof (48). Output:
 * FIELD_ELEMENTS_PER_BLOB and BLS_MODULUS as two 32-byte words.
 *
 * <p>The BLS12-381 pairing check runs in c-kzg-4844 through Consensys' jc-kzg-4844 JNI binding,
 * which web3j-crypto already brings, with the Ethereum mainnet trusted setup that web3j-crypto
 * ships as the resource {@code /trusted_setup.txt}. They are loaded on first use.
 */
final class PointEvaluation implements Precompile {
    static final long GAS = 50_000;
    static final int INPUT_LENGTH = 192;
    private static final byte VERSIONED_HASH_VERSION_KZG = 0x01;
    private static final Logger LOG = LoggerFactory.getLogger("rollup_node::execution");

    private static final byte[] SUCCESS_OUTPUT = successOutput();

    private static byte[] successOutput() {
        byte[] out = new byte[64];
        byte[] n = BigInteger.valueOf(4096).toByteArray();
        System.arraycopy(n, 0, out, 32 - n.length, n.length);
        byte[] m = CKZG4844JNI.BLS_MODULUS.toByteArray();
        int len = Math.min(m.length, 32);
        System.arraycopy(m, m.length - len, out, 64 - len, len);
        return out;
    }

    @Override
    public long gasCost(byte[] input) {
        return GAS;
    }

    @Override
    public PrecompileResult run(byte[] input) {
        if (input.length != INPUT_LENGTH) {
            return Results.FAILURE;
        }
        byte[] versionedHash = Arrays.copyOfRange(input, 0, 32);
        byte[] z = Arrays.copyOfRange(input, 32, 64);
        byte[] y = Arrays.copyOfRange(input, 64, 96);
        byte[] commitment = Arrays.copyOfRange(input, 96, 144);
        byte[] proof = Arrays.copyOfRange(input, 144, 192);
        if (!Arrays.equals(versionedHash, kzgToVersionedHash(commitment))) {
            return Results.FAILURE;
        }
        TrustedSetup.ensureLoaded();
        try {
            if (!CKZG4844JNI.verifyKzgProof(commitment, z, y, proof)) {
                return Results.FAILURE;
            }
        } catch (RuntimeException malformed) {
            // CKZGException: z or y not below the BLS modulus, or a point that does not decode.
            return Results.FAILURE;
        }
        return Results.ok(SUCCESS_OUTPUT.clone());
    }

    /** 0x01 ‖ sha256(commitment)[1..32]. */
    static byte[] kzgToVersionedHash(byte[] commitment) {
        SHA256Digest d = new SHA256Digest();
        d.update(commitment, 0, commitment.length);
        byte[] h = new byte[32];
        d.doFinal(h, 0);
        h[0] = VERSIONED_HASH_VERSION_KZG;
        return h;
    }

    /**
     * The native trusted setup is process-global in c-kzg. Failure to load it is not bad input but
     * a broken installation: it throws, because answering "invalid proof" would diverge from
     * consensus silently.
     */
    private static final class TrustedSetup {
        private static volatile boolean loaded;

        static synchronized void ensureLoaded() {
            if (loaded) {
                return;
            }
            try {
                CKZG4844JNI.loadNativeLibrary();
                CKZG4844JNI.loadTrustedSetupFromResource("/trusted_setup.txt", PointEvaluation.class, 0);
            } catch (RuntimeException e) {
                // Another component of this process (web3j blob support) may have loaded it first.
                if (e.getMessage() == null || !e.getMessage().toLowerCase().contains("already loaded")) {
                    LOG.error("KZG trusted setup could not be loaded: {}", e.toString());
                    throw new IllegalStateException("KZG point evaluation unavailable: " + e.getMessage(), e);
                }
            }
            loaded = true;
        }
    }
}
