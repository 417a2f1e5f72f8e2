package org.rollupnode.watcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class L1WatcherConfigTest {
    private static final String QUEUE = "0x56971da63A3C0205184FEF096E9ddFc7A8C2D18a";

    @Test
    void defaultsAreTheRustNodes() {
        L1WatcherConfig c = L1WatcherConfig.defaults(URI.create("http://l1:8545"), QUEUE);
        assertEquals(500, c.queryRange());
        assertEquals(10, c.maxRetries());
        assertEquals(Duration.ofMillis(100), c.initialBackoff());
        assertEquals("0x56971da63a3c0205184fef096e9ddfc7a8c2d18a", c.messageQueueAddress());
    }

    @Test
    void backoffDoublesUpToMaxRetriesThenStaysCapped() {
        L1WatcherConfig c = L1WatcherConfig.defaults(URI.create("http://l1:8545"), QUEUE);
        assertEquals(List.of(100L, 200L, 400L, 800L, 1600L, 3200L, 6400L, 10_000L, 10_000L, 10_000L, 10_000L, 10_000L),
                IntStream.rangeClosed(1, 12).mapToObj(i -> c.backoff(i).toMillis()).toList());
        L1WatcherConfig three = new L1WatcherConfig(URI.create("http://l1:8545"), QUEUE, 500, 3, Duration.ofMillis(50),
                Duration.ofSeconds(2), 0, 0);
        assertEquals(List.of(50L, 100L, 200L, 200L, 200L), IntStream.rangeClosed(1, 5).mapToObj(i -> three.backoff(i).toMillis()).toList());
    }

    @Test
    void badSettingsAreRefusedWithTheFlagName() {
        URI url = URI.create("http://l1:8545");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> L1WatcherConfig.defaults(URI.create("ws://l1:8546"), QUEUE))
                .getMessage().contains("--l1.url"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> L1WatcherConfig.defaults(url, "0x1234"))
                .getMessage().contains("40 hex digits"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new L1WatcherConfig(url, QUEUE, 0, 10, Duration.ofMillis(100), Duration.ofSeconds(2), 0, 0))
                .getMessage().contains("--l1.query-range"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new L1WatcherConfig(url, QUEUE, 500, -1, Duration.ofMillis(100), Duration.ofSeconds(2), 0, 0))
                .getMessage().contains("--l1.max-retries"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new L1WatcherConfig(url, QUEUE, 500, 10, Duration.ZERO, Duration.ofSeconds(2), 0, 0))
                .getMessage().contains("--l1.initial-backoff"));
    }

    @Test
    void theEndpointShownInLogsDropsPathAndQuery() {
        L1WatcherConfig c = L1WatcherConfig.defaults(URI.create("https://eth-mainnet.example.com/v2/SECRETKEY?x=1"), QUEUE);
        assertEquals("https://eth-mainnet.example.com", c.l1Endpoint());
        assertFalse(c.l1Endpoint().contains("SECRETKEY"));
    }
}
