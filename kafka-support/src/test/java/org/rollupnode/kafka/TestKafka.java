package org.rollupnode.kafka;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The one place tests get a Kafka broker from. Where a Docker engine is available it runs the
 * official apache/kafka image through Testcontainers; otherwise (as on CI here) it starts the
 * same embedded KRaft broker the node uses. Both are real brokers.
 */
public final class TestKafka implements AutoCloseable {
    private final KafkaContainer container;
    private final EmbeddedKafkaBroker embedded;
    private final Path tempDir;

    private TestKafka(KafkaContainer container, EmbeddedKafkaBroker embedded, Path tempDir) {
        this.container = container;
        this.embedded = embedded;
        this.tempDir = tempDir;
    }

    public static TestKafka start() {
        if (!"embedded".equals(System.getProperty("rollupnode.test.kafka")) && dockerAvailable()) {
            KafkaContainer c = new KafkaContainer("apache/kafka:4.1.1");
            c.start();
            return new TestKafka(c, null, null);
        }
        try {
            Path dir = Files.createTempDirectory("rollupnode-kafka-");
            return new TestKafka(null, new EmbeddedKafkaBroker(dir).start(), dir);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable t) {
            return false;
        }
    }

    public String bootstrapServers() {
        return container != null ? container.getBootstrapServers() : embedded.bootstrapServers();
    }

    public KafkaSettings settings() {
        return KafkaSettings.of(bootstrapServers());
    }

    public boolean isContainer() {
        return container != null;
    }

    @Override
    public void close() {
        if (container != null) {
            container.stop();
        }
        if (embedded != null) {
            embedded.close();
            deleteRecursively(tempDir);
        }
    }

    public static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort cleanup of a temp dir
        }
    }
}
