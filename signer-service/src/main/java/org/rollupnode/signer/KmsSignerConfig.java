package org.rollupnode.signer;

import java.net.URI;
import java.time.Duration;

/**
 * How to reach the AWS KMS signer key.
 *
 * @param keyId            key id, key ARN, alias name or alias ARN
 * @param endpoint         endpoint override (tests, VPC or FIPS endpoints); null for the regional endpoint
 * @param region           region; null for the SDK's default chain (AWS_REGION, profile, instance metadata)
 * @param apiCallTimeout   bound on one call including its retries, so a hung KMS cannot stall the signer forever
 * @param attemptTimeout   bound on one HTTP attempt
 * @param maxAttempts      attempts per call (throttling and transient errors are retried with backoff)
 */
public record KmsSignerConfig(String keyId, URI endpoint, String region, Duration apiCallTimeout, Duration attemptTimeout,
                              int maxAttempts) {
    public KmsSignerConfig {
        if (keyId == null || keyId.isBlank()) {
            throw new IllegalArgumentException("the AWS KMS key id must not be empty");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
    }

    /** 5 attempts, 2 s per attempt, 10 s per call: well inside a block time of seconds, bounded either way. */
    public static KmsSignerConfig of(String keyId, URI endpoint, String region) {
        return new KmsSignerConfig(keyId, endpoint, region, Duration.ofSeconds(10), Duration.ofSeconds(2), 5);
    }

    public KmsSignerConfig withTimeouts(Duration apiCall, Duration attempt, int attempts) {
        return new KmsSignerConfig(keyId, endpoint, region, apiCall, attempt, attempts);
    }

    /** Where the calls go, for error messages. */
    String endpointDescription() {
        if (endpoint != null) {
            return endpoint.toString();
        }
        return region != null ? "https://kms." + region + ".amazonaws.com" : "the regional AWS KMS endpoint";
    }
}
