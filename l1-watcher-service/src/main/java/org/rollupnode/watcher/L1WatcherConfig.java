package org.rollupnode.watcher;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Everything the l1-watcher is configured with, validated once at construction.
 *
 * @param l1Url               the L1 execution node's HTTP JSON-RPC endpoint ({@code --l1.url})
 * @param messageQueueAddress the L1 message queue contract ({@code ChainSpec.l1MessageQueueV2()},
 *                            or {@code --l1.message-queue-address})
 * @param queryRange          most blocks per {@code eth_getLogs} ({@code --l1.query-range}, 500)
 * @param maxRetries          failures backed off exponentially before the backoff stays at its
 *                            largest ({@code --l1.max-retries}, 10); the watcher never gives up
 * @param initialBackoff      first retry delay ({@code --l1.initial-backoff}, 100 ms)
 * @param pollInterval        sleep between steps once at the L1 head (2 s as the Rust node)
 * @param startBlock          first L1 block to scan when {@code l1-events} is empty (chain's start block; dev 0)
 * @param firstQueueIndex     queue index the first message must carry when {@code l1-events} is empty (0)
 * @param systemConfigAddress the L1 SystemConfig contract whose slot 0x67 holds the authorized block
 *                            signer ({@code --l1.system-config-address}, or the chain's); null: not read
 */
public record L1WatcherConfig(
        URI l1Url,
        String messageQueueAddress,
        long queryRange,
        int maxRetries,
        Duration initialBackoff,
        Duration pollInterval,
        long startBlock,
        long firstQueueIndex,
        String systemConfigAddress) {

    public static final long DEFAULT_QUERY_RANGE = 500;
    public static final int DEFAULT_MAX_RETRIES = 10;
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(100);
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(2);
    /** The backoff never grows past this, so a returning L1 is noticed within seconds. */
    public static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    private static final Pattern ADDRESS = Pattern.compile("^0x[0-9a-fA-F]{40}$");

    public L1WatcherConfig {
        if (l1Url == null) {
            throw new IllegalArgumentException("--l1.url is required for the L1 watcher");
        }
        String scheme = l1Url.getScheme() == null ? "" : l1Url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("--l1.url must be an http:// or https:// URL (got scheme '" + scheme + "')");
        }
        if (messageQueueAddress == null || !ADDRESS.matcher(messageQueueAddress).matches()) {
            throw new IllegalArgumentException("L1 message queue address must be 0x followed by 40 hex digits, got: " + messageQueueAddress);
        }
        messageQueueAddress = messageQueueAddress.toLowerCase(Locale.ROOT);
        if (queryRange < 1) {
            throw new IllegalArgumentException("--l1.query-range must be at least 1, got " + queryRange);
        }
        if (maxRetries < 0) {
            throw new IllegalArgumentException("--l1.max-retries must not be negative, got " + maxRetries);
        }
        if (initialBackoff == null || initialBackoff.isNegative() || initialBackoff.isZero()) {
            throw new IllegalArgumentException("--l1.initial-backoff must be positive, got " + initialBackoff);
        }
        if (pollInterval == null || pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("L1 poll interval must be positive, got " + pollInterval);
        }
        if (startBlock < 0 || firstQueueIndex < 0) {
            throw new IllegalArgumentException("L1 start block and first queue index must not be negative");
        }
        if (systemConfigAddress != null) {
            if (!ADDRESS.matcher(systemConfigAddress).matches()) {
                throw new IllegalArgumentException("L1 system config address must be 0x followed by 40 hex digits, got: " + systemConfigAddress);
            }
            systemConfigAddress = systemConfigAddress.toLowerCase(Locale.ROOT);
        }
    }

    /** Without a SystemConfig contract: the authorized signer is not read from L1. */
    public L1WatcherConfig(URI l1Url, String messageQueueAddress, long queryRange, int maxRetries, Duration initialBackoff,
                           Duration pollInterval, long startBlock, long firstQueueIndex) {
        this(l1Url, messageQueueAddress, queryRange, maxRetries, initialBackoff, pollInterval, startBlock, firstQueueIndex, null);
    }

    /** The same settings, reading the authorized signer from this L1 SystemConfig contract (null: not at all). */
    public L1WatcherConfig withSystemConfig(String address) {
        return new L1WatcherConfig(l1Url, messageQueueAddress, queryRange, maxRetries, initialBackoff, pollInterval, startBlock,
                firstQueueIndex, address);
    }

    /**
     * The L1 SystemConfig contract of a named Scroll chain (scroll-rules.md), or null: dev and custom
     * chains have none unless {@code --l1.system-config-address} names one.
     */
    public static String defaultSystemConfig(String chainName) {
        return switch (chainName) {
            case "scroll-mainnet" -> "0x8432728a257646449245558b8b7dbe51a16c7a4d";
            case "scroll-sepolia" -> "0xc706ba9fa4fedf4507cb7a898b4766c1bbf9be57";
            default -> null;
        };
    }

    /** The Rust node's defaults for everything but the URL and the queue address. */
    public static L1WatcherConfig defaults(URI l1Url, String messageQueueAddress) {
        return new L1WatcherConfig(l1Url, messageQueueAddress, DEFAULT_QUERY_RANGE, DEFAULT_MAX_RETRIES,
                DEFAULT_INITIAL_BACKOFF, DEFAULT_POLL_INTERVAL, 0, 0);
    }

    /**
     * Delay before retry number {@code failures} (1-based): initialBackoff × 2^(failures−1) while
     * failures ≤ maxRetries, then it stays at the last value; never above {@link #MAX_BACKOFF}.
     */
    public Duration backoff(int failures) {
        int exponent = Math.max(0, Math.min(failures, Math.max(1, maxRetries)) - 1);
        long millis = initialBackoff.toMillis();
        for (int i = 0; i < exponent && millis < MAX_BACKOFF.toMillis(); i++) {
            millis *= 2;
        }
        return Duration.ofMillis(Math.min(millis, MAX_BACKOFF.toMillis()));
    }

    /** The endpoint for logs: scheme, host and port only; a path or query may hold an API key. */
    public String l1Endpoint() {
        return l1Url.getScheme() + "://" + l1Url.getHost() + (l1Url.getPort() >= 0 ? ":" + l1Url.getPort() : "");
    }
}
