package org.rollupnode.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rollupnode.kafka.TestKafka;
import org.rollupnode.kafka.TopicAdmin;
import org.rollupnode.schemas.Topics;

/**
 * A gateway that runs without the L1 watcher (only Kafka between them) learns from the watcher's
 * heartbeats in {@code l1-events} whether L1 answers and where L1's head is; a watcher that stops
 * writing them reads as disconnected once its heartbeat is stale; an L1 that dies reads as
 * disconnected with the L1 error.
 */
class L1WatcherHeartbeatTest {
    @TempDir
    Path tmp;

    private static JsonNode l1Status(int port) throws Exception {
        return L1InclusionTest.rpc(port, "rollupNode_status").path("l1");
    }

    private RunningNode watcher(String bootstrap, L1Anvil l1, String dir) {
        return Main.startService("l1-watcher", "--kafka.bootstrap-servers", bootstrap, "--chain", "dev", "--datadir",
                tmp.resolve(dir).toString(), "--l1.url", l1.url(), "--l1.message-queue-address", l1.queue, "--l1.heartbeat-interval", "300",
                "--l1.initial-backoff", "50");
    }

    @Test
    void aGatewayInAnotherServiceReportsTheWatchersConnectionFromHeartbeatsAndStalenessAsDisconnected() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        L1Anvil l1 = L1Anvil.start();
        try (TestKafka kafka = TestKafka.start()) {
            TopicAdmin.ensureTopics(kafka.settings(), Topics.ALL);
            String bootstrap = kafka.bootstrapServers();
            try (RunningNode gateway = Main.startService("rpc-gateway", "--kafka.bootstrap-servers", bootstrap, "--chain", "dev",
                    "--datadir", tmp.resolve("gw").toString(), "--http.port", Integer.toString(port), "--http.api", "eth,rollupNode",
                    "--consensus.authorized-signer", "0x5dacf18b826a8697f4a7ecb7bcb5effd3e0cbf3c")) {
                assertNull(gateway.watcher(), "no watcher in the gateway's process");
                JsonNode before = l1Status(port);
                assertTrue(before.path("connected").isNull(), "no heartbeat ever: unknown, " + before);

                l1.mine(3);
                long l1Head = l1.head();
                RunningNode w = watcher(bootstrap, l1, "w1");
                JsonNode up;
                try {
                    up = L1InclusionTest.await("the watcher's heartbeat saying L1 answers", Duration.ofSeconds(30), () -> l1Status(port),
                            s -> s.path("connected").asBoolean(false) && s.path("latest").asLong() >= l1Head);
                    assertEquals(l1Head - 2, up.path("finalized").asLong(), "anvil --slots-in-an-epoch 1: finalized = head - 2, " + up);
                    assertEquals(false, up.path("watcher").path("stale").asBoolean(true), up.toString());
                } finally {
                    w.close();
                }
                JsonNode gone = L1InclusionTest.await("the stale heartbeat to read as disconnected", Duration.ofSeconds(30),
                        () -> l1Status(port), s -> s.path("connected").isBoolean() && !s.path("connected").asBoolean());
                assertTrue(gone.path("lastError").asText().contains("no heartbeat from L1 watcher"), gone.toString());
                assertTrue(gone.path("watcher").path("stale").asBoolean(), gone.toString());

                try (RunningNode w2 = watcher(bootstrap, l1, "w2")) {
                    L1InclusionTest.await("a new watcher's heartbeat", Duration.ofSeconds(30), () -> l1Status(port),
                            s -> s.path("connected").asBoolean(false));
                    l1.close(); // L1 dies; the watcher stays and says so
                    JsonNode down = L1InclusionTest.await("the heartbeat reporting L1 down", Duration.ofSeconds(30), () -> l1Status(port),
                            s -> s.path("connected").isBoolean() && !s.path("connected").asBoolean());
                    assertTrue(down.path("lastError").isTextual() && !down.path("lastError").asText().contains("no heartbeat"), down.toString());
                    assertEquals(false, down.path("watcher").path("stale").asBoolean(true), "the watcher itself is alive: " + down);
                }
            }
        } finally {
            l1.close();
        }
    }
}
