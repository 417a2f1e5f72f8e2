package org.rollupnode.signer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rollupnode.execution.types.Hash32;
import org.rollupnode.execution.types.Hex;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;

/**
 * {@link KmsSigner} through the real AWS SDK v2 client against {@link FakeKmsServer}: credentials
 * and region come from the SDK's standard chains (system properties here), results are checked with
 * web3j's recovery and BouncyCastle's verifier, never with the code under test.
 */
class KmsSignerTest {
    static final BigInteger KEY = new BigInteger("1234567890abcdef1234567890abcdef1234567890abcdef1234567890abcdef", 16);
    static final String EXPECTED_ADDRESS = "0x1be31a94361a391bbafb2a4ccd704f57dc04d4bb"; // ethers v6 computeAddress
    private static final X9ECParameters K1 = CustomNamedCurves.getByName("secp256k1");
    private static final BigInteger N = K1.getN();

    @BeforeAll
    static void credentials() {
        // The SDK's default credential chain reads these before env, profile and instance role.
        System.setProperty("aws.accessKeyId", "AKIDEXAMPLE");
        System.setProperty("aws.secretAccessKey", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    }

    @AfterAll
    static void clear() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        System.clearProperty("aws.region");
    }

    static KmsSigner connect(FakeKmsServer kms) {
        return KmsSigner.connect(KmsSignerConfig.of(FakeKmsServer.KEY_ARN, kms.endpoint(), "us-west-2"), 534352);
    }

    static Hash32 randomDigest(SecureRandom rnd) {
        byte[] b = new byte[32];
        rnd.nextBytes(b);
        return Hash32.wrap(b);
    }

    static String web3jRecover(Hash32 digest, byte[] sig) throws Exception {
        assertEquals(65, sig.length);
        assertTrue(sig[64] == 0 || sig[64] == 1, "v is the y-parity on the wire, got " + sig[64]);
        Sign.SignatureData data = new Sign.SignatureData((byte) (27 + sig[64]), Arrays.copyOfRange(sig, 0, 32), Arrays.copyOfRange(sig, 32, 64));
        return "0x" + Keys.getAddress(Sign.signedMessageHashToKey(digest.toArray(), data));
    }

    static boolean bcVerifies(Hash32 digest, BigInteger r, BigInteger s) {
        ECDSASigner v = new ECDSASigner();
        ECDomainParameters d = new ECDomainParameters(K1.getCurve(), K1.getG(), N, K1.getH());
        v.init(false, new ECPublicKeyParameters(K1.getG().multiply(KEY), d));
        return v.verifySignature(digest.toArray(), r, s);
    }

    @Test
    void derivesTheAddressFromGetPublicKeyWithTheDefaultRegionChain() throws Exception {
        System.setProperty("aws.region", "eu-central-1");
        try (FakeKmsServer kms = FakeKmsServer.start(KEY);
             KmsSigner signer = KmsSigner.connect(KmsSignerConfig.of(FakeKmsServer.ALIAS, kms.endpoint(), null), 534352)) {
            assertEquals(EXPECTED_ADDRESS, signer.address().toHex());
            assertEquals("0x" + Keys.getAddress(ECKeyPair.create(KEY)), signer.address().toHex());
            assertEquals(List.of("GetPublicKey"), kms.calls().stream().map(FakeKmsServer.Call::target).toList());
            assertEquals(FakeKmsServer.ALIAS, kms.calls().get(0).body().get("KeyId").asText());
        } finally {
            System.clearProperty("aws.region");
        }
    }

    @Test
    void signaturesRecoverToTheKmsKeyAndAreLowS() throws Exception {
        SecureRandom rnd = new SecureRandom();
        try (FakeKmsServer kms = FakeKmsServer.start(KEY); KmsSigner signer = connect(kms)) {
            Set<Integer> parities = new HashSet<>();
            for (int i = 0; i < 40; i++) {
                Hash32 digest = randomDigest(rnd);
                byte[] sig = signer.sign(digest);
                assertEquals(EXPECTED_ADDRESS, web3jRecover(digest, sig));
                BigInteger r = new BigInteger(1, Arrays.copyOfRange(sig, 0, 32));
                BigInteger s = new BigInteger(1, Arrays.copyOfRange(sig, 32, 64));
                assertTrue(s.compareTo(N.shiftRight(1)) <= 0, "low s");
                assertTrue(bcVerifies(digest, r, s));
                parities.add((int) sig[64]);
                var call = kms.calls("Sign").get(i).body();
                assertEquals("DIGEST", call.get("MessageType").asText());
                assertEquals("ECDSA_SHA_256", call.get("SigningAlgorithm").asText());
                assertEquals(FakeKmsServer.KEY_ARN, call.get("KeyId").asText());
                assertEquals(digest.toHex(), Hex.encode(Base64.getDecoder().decode(call.get("Message").asText())));
            }
            // Random nonces give both parities; each must be found by recovery (chance of a miss: 2^-39).
            assertEquals(Set.of(0, 1), parities);
        }
    }

    @Test
    void highSFromKmsIsNormalisedToItsLowTwin() throws Exception {
        SecureRandom rnd = new SecureRandom();
        try (FakeKmsServer kms = FakeKmsServer.start(KEY).forceHighS(true); KmsSigner signer = connect(kms)) {
            for (int i = 0; i < 8; i++) {
                Hash32 digest = randomDigest(rnd);
                byte[] sig = signer.sign(digest);
                BigInteger[] served = kms.lastSignature();
                assertTrue(served[1].compareTo(N.shiftRight(1)) > 0, "the fake served a high s");
                assertTrue(bcVerifies(digest, served[0], served[1]), "the served high-s signature is itself valid ECDSA");
                assertEquals(served[0], new BigInteger(1, Arrays.copyOfRange(sig, 0, 32)));
                assertEquals(N.subtract(served[1]), new BigInteger(1, Arrays.copyOfRange(sig, 32, 64)));
                assertEquals(EXPECTED_ADDRESS, web3jRecover(digest, sig));
            }
        }
    }

    @Test
    void rfc6979SignatureThroughKmsEqualsAnIndependentVector() throws Exception {
        // ethers v6 (noble-curves), key 0x1234…abcdef, digest = seal hash of Scroll mainnet block 14,916,920.
        String expected = "0x0153f4932c6bca231fff4ab9bad44ff6878eb0f26b67e1b8b7cfe9cc4a6eb0f7"
                + "2c71bb6e7c23a84df98ab456147bca72199709c334dc9d2f87e7f0327e0a69ed01";
        Hash32 digest = Hash32.fromHex("0x6d2d1fa4f2ed624e002205359df1a16ae390eddfcf9abea8ed68dd8f6491a866");
        try (FakeKmsServer kms = FakeKmsServer.start(KEY).deterministic(true).forceHighS(true); KmsSigner signer = connect(kms)) {
            assertEquals(expected, Hex.encode(signer.sign(digest)));
        }
    }

    private static KmsSignerException signFails(FakeKmsServer kms, String type, String message) {
        try (KmsSigner signer = connect(kms)) {
            kms.failNext("Sign", 1, 400, type, message);
            return assertThrows(KmsSignerException.class, () -> signer.sign(Hash32.ZERO));
        }
    }

    @Test
    void serviceErrorsOnSignAreNamedAndNotRetried() throws Exception {
        String[][] cases = {
                {"AccessDeniedException", "User: arn:aws:iam::111122223333:user/x is not authorized to perform: kms:Sign", "access denied to AWS KMS key " + FakeKmsServer.KEY_ARN},
                {"DisabledException", "arn is disabled.", "is disabled"},
                {"KMSInvalidStateException", "arn is pending deletion.", "not in a usable state"},
                {"NotFoundException", "Key does not exist", "was not found in region us-west-2"},
                {"InvalidKeyUsageException", "KeyUsage is ENCRYPT_DECRYPT", "key usage SIGN_VERIFY"},
                {"UnrecognizedClientException", "The security token included in the request is invalid.", "AWS rejected the credentials"},
        };
        for (String[] c : cases) {
            try (FakeKmsServer kms = FakeKmsServer.start(KEY)) {
                KmsSignerException e = signFails(kms, c[0], c[1]);
                assertTrue(e.getMessage().startsWith("AWS KMS Sign: "), e.getMessage());
                assertTrue(e.getMessage().contains(c[2]), c[0] + " -> " + e.getMessage());
                assertTrue(e.getMessage().contains(c[1]), "KMS's own message is kept: " + e.getMessage());
                assertEquals(1, kms.calls("Sign").size(), c[0] + " is not retried");
            }
        }
    }

    @Test
    void serviceErrorsAtStartAreNamed() throws Exception {
        try (FakeKmsServer kms = FakeKmsServer.start(KEY)) {
            kms.failNext("GetPublicKey", 1, 400, "AccessDeniedException", "not authorized to perform: kms:GetPublicKey");
            KmsSignerException e = assertThrows(KmsSignerException.class, () -> connect(kms));
            assertTrue(e.getMessage().startsWith("Failed to initialize AWS KMS signer: GetPublicKey: access denied to AWS KMS key"), e.getMessage());
        }
        try (FakeKmsServer kms = FakeKmsServer.start(KEY)) {
            KmsSignerException e = assertThrows(KmsSignerException.class,
                    () -> KmsSigner.connect(KmsSignerConfig.of("alias/missing", kms.endpoint(), "us-west-2"), 1));
            assertTrue(e.getMessage().contains("AWS KMS key alias/missing was not found in region us-west-2"), e.getMessage());
        }
    }

    @Test
    void wrongKeySpecOrUsageIsRefusedNamingTheSpec() throws Exception {
        X9ECParameters p256 = CustomNamedCurves.getByName("secp256r1");
        byte[] p256Spki = new SubjectPublicKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, X9ObjectIdentifiers.prime256v1),
                p256.getG().multiply(KEY).normalize().getEncoded(false)).getEncoded();
        try (FakeKmsServer kms = FakeKmsServer.start(KEY).keySpec("ECC_NIST_P256", "SIGN_VERIFY").publicKeyDer(p256Spki)) {
            KmsSignerException e = assertThrows(KmsSignerException.class, () -> connect(kms));
            assertTrue(e.getMessage().contains("has key spec ECC_NIST_P256"), e.getMessage());
            assertTrue(e.getMessage().contains("needs key spec ECC_SECG_P256K1"), e.getMessage());
        }
        try (FakeKmsServer kms = FakeKmsServer.start(KEY).keySpec("ECC_SECG_P256K1", "ENCRYPT_DECRYPT")) {
            KmsSignerException e = assertThrows(KmsSignerException.class, () -> connect(kms));
            assertTrue(e.getMessage().contains("key usage ENCRYPT_DECRYPT"), e.getMessage());
        }
        // A key that claims secp256k1 but serves a P-256 point must not yield an address.
        try (FakeKmsServer kms = FakeKmsServer.start(KEY).publicKeyDer(p256Spki)) {
            KmsSignerException e = assertThrows(KmsSignerException.class, () -> connect(kms));
            assertTrue(e.getMessage().contains("not on secp256k1"), e.getMessage());
        }
    }

    @Test
    void throttlingIsRetriedWithBackoffThenSucceeds() throws Exception {
        try (FakeKmsServer kms = FakeKmsServer.start(KEY); KmsSigner signer = connect(kms)) {
            kms.failNext("Sign", 2, 400, "ThrottlingException", "Rate exceeded");
            Hash32 digest = randomDigest(new SecureRandom());
            assertEquals(EXPECTED_ADDRESS, web3jRecover(digest, signer.sign(digest)));
            assertEquals(3, kms.calls("Sign").size());
        }
    }

    @Test
    void throttlingIsBoundedByMaxAttempts() throws Exception {
        try (FakeKmsServer kms = FakeKmsServer.start(KEY);
             KmsSigner signer = KmsSigner.connect(KmsSignerConfig.of(FakeKmsServer.KEY_ARN, kms.endpoint(), "us-west-2")
                     .withTimeouts(Duration.ofSeconds(20), Duration.ofSeconds(2), 3), 1)) {
            kms.failNext("Sign", 10, 400, "ThrottlingException", "Rate exceeded");
            KmsSignerException e = assertThrows(KmsSignerException.class, () -> signer.sign(Hash32.ZERO));
            assertTrue(e.getMessage().contains("throttled by AWS KMS (ThrottlingException) on every one of 3 attempts"), e.getMessage());
            assertEquals(3, kms.calls("Sign").size());
        }
    }

    @Test
    void aHungKmsTimesOut() throws Exception {
        try (FakeKmsServer kms = FakeKmsServer.start(KEY);
             KmsSigner signer = KmsSigner.connect(KmsSignerConfig.of(FakeKmsServer.KEY_ARN, kms.endpoint(), "us-west-2")
                     .withTimeouts(Duration.ofMillis(1500), Duration.ofMillis(300), 2), 1)) {
            kms.delayNext("Sign", 5, 3000);
            KmsSignerException e = assertThrows(KmsSignerException.class, () -> signer.sign(Hash32.ZERO));
            assertTrue(e.getMessage().contains("timed out: " + kms.endpoint() + " did not answer within 300 ms per attempt"), e.getMessage());
            assertTrue(kms.calls("Sign").size() <= 2, "bounded attempts");
        }
    }

    @Test
    void anUnreachableEndpointIsNamed() throws IOException {
        URI dead;
        try (FakeKmsServer kms = FakeKmsServer.start(KEY)) {
            dead = kms.endpoint();
        }
        KmsSignerException e = assertThrows(KmsSignerException.class, () -> KmsSigner.connect(
                KmsSignerConfig.of(FakeKmsServer.KEY_ARN, dead, "us-west-2").withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(1), 2), 1));
        assertTrue(e.getMessage().startsWith("Failed to initialize AWS KMS signer: GetPublicKey: cannot reach " + dead), e.getMessage());
    }

    @Test
    void secp256k1EncodingsRejectMalformedInput() throws IOException {
        assertThrows(IllegalArgumentException.class, () -> Secp256k1.signatureFromDer(new byte[] {0x30, 0x02, 0x02, 0x00}));
        assertThrows(IllegalArgumentException.class, () -> Secp256k1.publicKeyFromSpki(new byte[] {1, 2, 3}));
        // s = n - 1 (valid, high): the DER parser accepts it; s = n is out of range.
        byte[] highDer = new org.bouncycastle.asn1.DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {
                new org.bouncycastle.asn1.ASN1Integer(BigInteger.ONE), new org.bouncycastle.asn1.ASN1Integer(N.subtract(BigInteger.ONE))}).getEncoded();
        assertEquals(N.subtract(BigInteger.ONE), Secp256k1.signatureFromDer(highDer)[1]);
        byte[] outOfRange = new org.bouncycastle.asn1.DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {
                new org.bouncycastle.asn1.ASN1Integer(BigInteger.ONE), new org.bouncycastle.asn1.ASN1Integer(N)}).getEncoded();
        assertThrows(IllegalArgumentException.class, () -> Secp256k1.signatureFromDer(outOfRange));
        // n/2 is the largest low s; one more is high and maps to n - s.
        BigInteger half = new BigInteger("7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0", 16);
        assertEquals(half, Secp256k1.lowS(half));
        assertEquals(N.subtract(half.add(BigInteger.ONE)), Secp256k1.lowS(half.add(BigInteger.ONE)));
        assertEquals(BigInteger.TWO, Secp256k1.lowS(N.subtract(BigInteger.TWO)));
    }
}
