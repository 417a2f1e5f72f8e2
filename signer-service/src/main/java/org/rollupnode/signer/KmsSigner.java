package org.rollupnode.signer;

import java.math.BigInteger;
import org.rollupnode.execution.types.Address;
import org.rollupnode.execution.types.Hash32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.ECDSASignature;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.KmsClientBuilder;
import software.amazon.awssdk.services.kms.model.GetPublicKeyResponse;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.MessageType;
import software.amazon.awssdk.services.kms.model.SignResponse;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;

/**
 * Signs seal hashes with a secp256k1 key held in AWS KMS ({@code --signer.aws-kms-key-id}), as the
 * Rust node does through alloy-signer-aws: the public key is fetched once at start, each block is one
 * {@code Sign(DIGEST, ECDSA_SHA_256)} call, the DER signature is normalised to low s and its y-parity
 * found by recovering against the cached public key.
 */
public final class KmsSigner implements BlockSigner, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("rollup_node::signer");

    private final KmsSignerConfig config;
    private final KmsClient client;
    private final DefaultCredentialsProvider credentials;
    private final BigInteger publicKey;
    private final Address address;

    private KmsSigner(KmsSignerConfig config, KmsClient client, DefaultCredentialsProvider credentials, BigInteger publicKey) {
        this.config = config;
        this.client = client;
        this.credentials = credentials;
        this.publicKey = publicKey;
        this.address = Address.fromHex(Keys.getAddress(publicKey));
    }

    /**
     * Builds the client with the SDK's standard credential and region resolution and fetches the
     * public key. Throws {@link KmsSignerException} (prefixed "Failed to initialize AWS KMS signer")
     * when the key is unusable or KMS unreachable.
     */
    public static KmsSigner connect(KmsSignerConfig config, long chainId) {
        DefaultCredentialsProvider credentials = DefaultCredentialsProvider.builder().build();
        KmsClient client = null;
        try {
            client = buildClient(config, credentials);
            BigInteger publicKey = fetchPublicKey(client, config);
            KmsSigner signer = new KmsSigner(config, client, credentials, publicKey);
            LOG.info("Created AWS KMS signer with address: {} for chain ID: {}", signer.address, chainId);
            LOG.info("AWS KMS signer key {} at {}", config.keyId(), config.endpointDescription());
            return signer;
        } catch (RuntimeException e) {
            if (client != null) {
                client.close();
            }
            credentials.close();
            String why = e instanceof KmsSignerException ? e.getMessage() : KmsErrors.describe(e, config);
            throw new KmsSignerException("Failed to initialize AWS KMS signer: " + why, e);
        }
    }

    private static KmsClient buildClient(KmsSignerConfig c, DefaultCredentialsProvider credentials) {
        KmsClientBuilder b = KmsClient.builder()
                .credentialsProvider(credentials)
                .httpClientBuilder(Apache5HttpClient.builder()
                        .connectionTimeout(c.attemptTimeout())
                        .socketTimeout(c.attemptTimeout()))
                .overrideConfiguration(o -> o
                        .apiCallTimeout(c.apiCallTimeout())
                        .apiCallAttemptTimeout(c.attemptTimeout())
                        // Throttling backs off longer than other transient errors; the circuit breaker is
                        // off because a signer makes one call at a time and must not give up early.
                        .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                                .maxAttempts(c.maxAttempts())
                                .circuitBreakerEnabled(false)
                                .backoffStrategy(BackoffStrategy.exponentialDelay(java.time.Duration.ofMillis(50), java.time.Duration.ofSeconds(1)))
                                .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(java.time.Duration.ofMillis(200), java.time.Duration.ofSeconds(3)))
                                .build()));
        if (c.region() != null) {
            b.region(Region.of(c.region()));
        }
        if (c.endpoint() != null) {
            b.endpointOverride(c.endpoint());
        }
        return b.build();
    }

    private static BigInteger fetchPublicKey(KmsClient client, KmsSignerConfig c) {
        GetPublicKeyResponse r;
        try {
            r = client.getPublicKey(b -> b.keyId(c.keyId()));
        } catch (SdkException e) {
            throw new KmsSignerException("GetPublicKey: " + KmsErrors.describe(e, c), e);
        }
        if (r.keySpec() != KeySpec.ECC_SECG_P256_K1 || r.keyUsage() != KeyUsageType.SIGN_VERIFY) {
            throw new KmsSignerException("AWS KMS key " + c.keyId() + " has key spec " + r.keySpecAsString() + " and key usage "
                    + r.keyUsageAsString() + "; the signer needs key spec ECC_SECG_P256K1 (secp256k1) with key usage SIGN_VERIFY", null);
        }
        if (r.signingAlgorithms() != null && !r.signingAlgorithms().isEmpty()
                && !r.signingAlgorithms().contains(SigningAlgorithmSpec.ECDSA_SHA_256)) {
            throw new KmsSignerException("AWS KMS key " + c.keyId() + " does not allow ECDSA_SHA_256 (it allows "
                    + r.signingAlgorithmsAsStrings() + ")", null);
        }
        if (r.publicKey() == null) {
            throw new KmsSignerException("public key not found in response", null);
        }
        try {
            return Secp256k1.publicKeyFromSpki(r.publicKey().asByteArray());
        } catch (IllegalArgumentException e) {
            throw new KmsSignerException("AWS KMS key " + c.keyId() + ": " + e.getMessage(), null);
        }
    }

    @Override
    public Address address() {
        return address;
    }

    @Override
    public byte[] sign(Hash32 sealHash) {
        byte[] digest = sealHash.toArray();
        SignResponse r;
        try {
            // DIGEST: KMS must not hash again; the seal hash is already the keccak256 digest.
            r = client.sign(b -> b.keyId(config.keyId()).message(SdkBytes.fromByteArray(digest))
                    .messageType(MessageType.DIGEST).signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_256));
        } catch (SdkException e) {
            throw new KmsSignerException("AWS KMS Sign: " + KmsErrors.describe(e, config), e);
        }
        if (r.signature() == null) {
            throw new KmsSignerException("AWS KMS Sign: signature not found in response", null);
        }
        BigInteger[] rs;
        try {
            rs = Secp256k1.signatureFromDer(r.signature().asByteArray());
        } catch (IllegalArgumentException e) {
            throw new KmsSignerException("AWS KMS Sign: " + e.getMessage(), null);
        }
        // KMS does not normalise s; Ethereum-style verifiers (and Scroll) only accept the low one.
        ECDSASignature sig = new ECDSASignature(rs[0], Secp256k1.lowS(rs[1]));
        for (int parity = 0; parity < 2; parity++) {
            BigInteger recovered = Sign.recoverFromSignature(parity, sig, digest);
            if (publicKey.equals(recovered)) {
                return Secp256k1.wire(sig.r, sig.s, parity);
            }
        }
        throw new KmsSignerException("AWS KMS Sign: the signature does not verify against the public key of " + config.keyId()
                + " (" + address + ")", null);
    }

    @Override
    public void close() {
        client.close();
        credentials.close();
    }

    @Override
    public String toString() {
        return "KmsSigner[" + address + ", " + config.keyId() + "]";
    }
}
