package org.rollupnode.watcher;

import java.net.URI;
import org.rollupnode.kafka.KafkaSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The l1-watcher-service. Following L1 (heads, finality, L1 message queue events, reorgs) and
 * publishing {@code l1-events} is the L1 issue's work; until then this service only validates its
 * configuration and says plainly that no L1 messages will be included.
 */
public final class L1WatcherService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("scroll::watcher");

    private final URI l1Url;

    public L1WatcherService(URI l1Url, KafkaSettings kafka) {
        this.l1Url = l1Url;
    }

    public void start() {
        if (l1Url == null) {
            LOG.info("No --l1.url given: the L1 watcher is idle and blocks carry L2 transactions only");
        } else {
            LOG.warn("L1 watching of {} is not implemented in this version: blocks carry L2 transactions only", l1Url.getHost());
        }
    }

    @Override
    public void close() {
        // nothing running yet
    }
}
