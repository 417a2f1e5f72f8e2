package org.rollupnode.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node KRaft broker (combined broker + controller) running inside this JVM, with its log
 * under a directory that survives restarts. Used by {@code rollup-node node} when no
 * {@code --kafka.bootstrap-servers} is given, and by tests.
 *
 * <p>The listener ports are chosen once and written to {@code broker.properties}: the KRaft
 * quorum records the controller endpoint, so a restarted broker must come back on the same ports.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("rollup_node::kafka");

    private final Path dir;
    private final String host;
    private KafkaRaftServer server;
    private String bootstrapServers;

    public EmbeddedKafkaBroker(Path dir) {
        this(dir, "127.0.0.1");
    }

    public EmbeddedKafkaBroker(Path dir, String host) {
        this.dir = dir.toAbsolutePath();
        this.host = host;
    }

    public synchronized EmbeddedKafkaBroker start() {
        if (server != null) {
            return this;
        }
        try {
            Files.createDirectories(dir);
            Path cfg = dir.resolve("broker.properties");
            Properties props = new Properties();
            if (Files.exists(cfg)) {
                try (InputStream in = Files.newInputStream(cfg)) {
                    props.load(in);
                }
            } else {
                int[] ports = freePorts(2);
                props = defaultProperties(ports[0], ports[1]);
                try (OutputStream out = Files.newOutputStream(cfg)) {
                    props.store(out, "embedded KRaft broker of rollup-node; ports are fixed for this data directory");
                }
            }
            Path logDir = Path.of(props.getProperty("log.dirs"));
            if (!Files.exists(logDir.resolve("meta.properties"))) {
                format(cfg);
            }
            long t0 = System.nanoTime();
            explainHalts(logDir);
            server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
            server.startup();
            bootstrapServers = props.getProperty("listeners").replaceAll(".*PLAINTEXT://([^,]+).*", "$1");
            waitUntilReady(Duration.ofSeconds(60));
            LOG.info("Embedded Kafka broker ready at {} (data in {}, {} ms)", bootstrapServers, logDir,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
            return this;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the embedded Kafka broker under " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Kafka halts the JVM when its last log directory fails (a full or read-only disk): with the
     * broker embedded, that is the whole node. Say so in our own words before the JVM goes, so an
     * operator reading the end of the log knows what to do.
     */
    private static void explainHalts(Path logDir) {
        org.apache.kafka.common.utils.Exit.setHaltProcedure((status, message) -> {
            LOG.error("The embedded Kafka broker stops the node (exit {}{}): its log directory {} failed, usually a full or "
                    + "read-only disk (see the error above). Free space and start the node again on the same --datadir: "
                    + "acknowledged transactions and committed blocks are kept", status, message == null ? "" : ", " + message, logDir);
            Runtime.getRuntime().halt(status);
        });
    }

    private Properties defaultProperties(int brokerPort, int controllerPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.bootstrap.servers", host + ":" + controllerPort);
        p.put("listeners", "PLAINTEXT://" + host + ":" + brokerPort + ",CONTROLLER://" + host + ":" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://" + host + ":" + brokerPort + ",CONTROLLER://" + host + ":" + controllerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", dir.resolve("log").toString());
        // One node: every internal topic must be satisfiable with a single replica.
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "4");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("group.streams.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "false");
        p.put("num.partitions", "1");
        p.put("message.max.bytes", String.valueOf(16 * 1024 * 1024));
        return p;
    }

    private void format(Path cfg) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int rc;
        try (PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            rc = kafka.tools.StorageTool.execute(new String[] {
                "format", "-t", Uuid.randomUuid().toString(), "-c", cfg.toString(), "--standalone"}, out);
        }
        if (rc != 0) {
            throw new IllegalStateException("formatting the embedded Kafka log directory failed: " + buf.toString(StandardCharsets.UTF_8));
        }
    }

    private void waitUntilReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Object> conf = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
        try (Admin admin = Admin.create(conf)) {
            while (true) {
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (Exception e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("embedded Kafka broker did not become ready in " + timeout, e);
                    }
                }
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the embedded broker", e);
        }
    }

    public String bootstrapServers() {
        if (bootstrapServers == null) {
            throw new IllegalStateException("broker not started");
        }
        return bootstrapServers;
    }

    public Path directory() {
        return dir;
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
            LOG.info("Embedded Kafka broker stopped");
        }
    }

    /** Distinct free ports: all sockets stay open until every port is chosen, so none repeats. */
    private int[] freePorts(int n) throws IOException {
        ServerSocket[] sockets = new ServerSocket[n];
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                sockets[i] = new ServerSocket();
                sockets[i].setReuseAddress(true);
                sockets[i].bind(new InetSocketAddress(host, 0));
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket s : sockets) {
                if (s != null) {
                    s.close();
                }
            }
        }
    }
}
