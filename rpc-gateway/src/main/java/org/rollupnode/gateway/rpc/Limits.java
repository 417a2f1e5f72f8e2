package org.rollupnode.gateway.rpc;

import java.time.Duration;

/**
 * Bounds on what one client request may cost. The defaults suit a public endpoint: batches of
 * 1000 (geth's default batch limit), JSON nesting 64 (no Ethereum request nests deeper than ~5),
 * 5 MiB bodies (geth's limit; a 128 KiB transaction in hex is ~256 KiB) and 30 s per request.
 */
public record Limits(int maxBatchSize, int maxJsonDepth, long maxBodyBytes, Duration methodTimeout) {

    public static final Limits DEFAULT = new Limits(1000, 64, 5L * 1024 * 1024, Duration.ofSeconds(30));

    public Limits {
        if (maxBatchSize < 1) {
            throw new IllegalArgumentException("maxBatchSize must be >= 1, got " + maxBatchSize);
        }
        if (maxJsonDepth < 2) {
            // a batch of requests with array params already nests 3 deep
            throw new IllegalArgumentException("maxJsonDepth must be >= 2, got " + maxJsonDepth);
        }
        // bodies are held in one byte array
        if (maxBodyBytes < 1 || maxBodyBytes > Integer.MAX_VALUE - 64) {
            throw new IllegalArgumentException("maxBodyBytes out of range: " + maxBodyBytes);
        }
        if (methodTimeout == null || methodTimeout.isNegative() || methodTimeout.isZero()) {
            throw new IllegalArgumentException("methodTimeout must be positive, got " + methodTimeout);
        }
    }

    public static Limits defaults() {
        return DEFAULT;
    }

    public Limits withMaxBatchSize(int value) {
        return new Limits(value, maxJsonDepth, maxBodyBytes, methodTimeout);
    }

    public Limits withMaxJsonDepth(int value) {
        return new Limits(maxBatchSize, value, maxBodyBytes, methodTimeout);
    }

    public Limits withMaxBodyBytes(long value) {
        return new Limits(maxBatchSize, maxJsonDepth, value, methodTimeout);
    }

    public Limits withMethodTimeout(Duration value) {
        return new Limits(maxBatchSize, maxJsonDepth, maxBodyBytes, value);
    }
}
