package org.rollupnode.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rollupnode.chain.ChainFolder;
import org.rollupnode.chain.Payloads;
import org.rollupnode.execution.builder.BaseFee;
import org.rollupnode.execution.builder.BlockBuilder;
import org.rollupnode.execution.builder.BlockEnv;
import org.rollupnode.execution.builder.BuiltBlock;
import org.rollupnode.execution.chain.ChainSpec;
import org.rollupnode.execution.chain.ChainSpecs;
import org.rollupnode.execution.tx.Transaction;
import org.rollupnode.execution.types.Address;
import org.rollupnode.execution.types.Hex;
import org.rollupnode.kafka.KafkaSettings;
import org.rollupnode.kafka.TestKafka;
import org.rollupnode.kafka.TopicAdmin;
import org.rollupnode.schemas.BlockPayload;
import org.rollupnode.schemas.EventCodec;
import org.rollupnode.schemas.SignedBlock;
import org.rollupnode.schemas.Topics;
import org.rollupnode.signer.LocalKeySigner;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.methods.response.EthSyncing;
import org.web3j.protocol.http.HttpService;

/**
 * A fresh `rollup-node rpc-gateway` (its own JVM) started against a `signed-blocks` topic that
 * already holds many real, signed blocks serves `eth_syncing` progress, `rollupNode_status`
 * progress and a 503 `/ready` while it folds them, logs its progress, and answers `false` once at
 * the real head.
 */
class GatewayCatchUpTest {
    static final ChainSpec DEV = ChainSpecs.byName("dev");
    static final int BLOCKS = 400;
    static final int TRANSFERS_PER_BLOCK = 10;
    static final String DEV_SIGNER = "0x5dacf18b826a8697f4a7ecb7bcb5effd3e0cbf3c";

    @TempDir
    Path tmp;

    /** Real blocks: built and sealed by the execution module, signed with the --test key, one Kafka transaction per 50. */
    static void writeChain(KafkaSettings kafka, int blocks, int transfersPerBlock) throws Exception {
        LocalKeySigner signer = new LocalKeySigner(DevKeys.DEV_SIGNER_KEY);
        assertEquals(DEV_SIGNER, signer.address().toHex());
        ChainFolder folder = new ChainFolder(DEV);
        Address to = Address.fromHex("0x" + "42".repeat(20));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.transactionalProducerConfig("test-writer", "test-writer"))) {
            producer.initTransactions();
            for (int i = 0; i < blocks; i++) {
                if (i % 50 == 0) {
                    producer.beginTransaction();
                }
                var parent = folder.head();
                BlockBuilder b = new BlockBuilder(DEV, parent, folder.headState(), new BlockEnv(parent.number() + 1, parent.timestamp() + 1,
                        ChainSpecs.FEE_VAULT, 20_000_000, BaseFee.next(parent, DEV.baseFeeOverhead())));
                for (int k = 0; k < transfersPerBlock; k++) {
                    b.add(Transaction.eip1559(1337).nonce(i).maxPriorityFeePerGas(BigInteger.ONE).maxFeePerGas(BigInteger.valueOf(1_000_000_000))
                            .gasLimit(21_000).to(to).value(BigInteger.valueOf(1 + k)).data(new byte[0]).sign(ChainSpecs.devPrivateKeys().get(k)));
                }
                BuiltBlock built = b.seal(new byte[0]);
                folder.advance(built);
                BlockPayload p = Payloads.toPayload(built, 0, 0, "test", 0, 0);
                String sig = Hex.encode(signer.sign(Payloads.header(p).sealHash()));
                producer.send(new ProducerRecord<>(Topics.SIGNED_BLOCKS.name(), 0, Long.toString(p.number()),
                        EventCodec.SIGNED_BLOCK.encode(new SignedBlock(p, sig, signer.address().toHex(), i, 0))));
                if (i % 50 == 49 || i == blocks - 1) {
                    producer.commitTransaction();
                }
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    record Observation(boolean ready, JsonNode l2Status, EthSyncing.Result syncing) {}

    @Test
    void aFreshGatewayReportsProgressWhileFoldingAndFalseAtTheHead() throws Exception {
        ObjectMapper json = new ObjectMapper();
        HttpClient http = HttpClient.newHttpClient();
        try (TestKafka kafka = TestKafka.start()) {
            TopicAdmin.ensureTopics(kafka.settings(), Topics.ALL);
            writeChain(kafka.settings(), BLOCKS, TRANSFERS_PER_BLOCK);
            int rpcPort = freePort();
            int metricsPort = freePort();
            Path log = tmp.resolve("gateway.log");
            List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-XX:-ReduceBulkZeroing", "-cp",
                    System.getProperty("java.class.path"), Main.class.getName(), "rpc-gateway", "--kafka.bootstrap-servers",
                    kafka.bootstrapServers(), "--chain", "dev", "--datadir", tmp.resolve("gw").toString(), "--http.addr", "127.0.0.1",
                    "--http.port", Integer.toString(rpcPort), "--http.api", "eth,rollupNode", "--metrics", "127.0.0.1:" + metricsPort,
                    "--consensus.authorized-signer", DEV_SIGNER);
            Process gateway = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Web3j web3 = Web3j.build(new HttpService("http://127.0.0.1:" + rpcPort));
            try {
                awaitLog(log, "HTTP JSON-RPC listening", gateway);
                List<Observation> seen = new ArrayList<>();
                long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
                while (true) {
                    assertTrue(System.nanoTime() < deadline, "no eth_syncing=false within 180 s; observed " + seen.size());
                    assertTrue(gateway.isAlive(), () -> "gateway exited: " + read(log));
                    // Order matters: each later answer is at least as caught up as an earlier one, so an
                    // eth_syncing object proves the /ready and status answers just before it were taken while syncing.
                    Integer readyCode;
                    JsonNode status;
                    EthSyncing.Result syncing;
                    try {
                        readyCode = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/ready")).build(),
                                HttpResponse.BodyHandlers.ofString()).statusCode();
                        String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"rollupNode_status\",\"params\":[]}";
                        status = json.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + rpcPort))
                                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                                HttpResponse.BodyHandlers.ofString()).body()).get("result").get("l2");
                        syncing = web3.ethSyncing().send().getResult();
                    } catch (IOException e) {
                        throw new AssertionError("the gateway stopped answering: " + e + "\n" + read(log), e);
                    }
                    seen.add(new Observation(readyCode == 200, status, syncing));
                    if (!syncing.isSyncing()) {
                        break;
                    }
                }
                List<Observation> progress = seen.stream().filter(o -> o.syncing().isSyncing()).toList();
                assertFalse(progress.isEmpty(), "no progress object observed before eth_syncing=false; gateway log:\n" + read(log));
                for (Observation o : progress) {
                    EthSyncing.Syncing s = (EthSyncing.Syncing) o.syncing();
                    long start = quantity(s.getStartingBlock());
                    long current = quantity(s.getCurrentBlock());
                    long highest = quantity(s.getHighestBlock());
                    assertTrue(start <= current && current <= highest, s.getStartingBlock() + " " + s.getCurrentBlock() + " " + s.getHighestBlock());
                    assertEquals(0, start, "a fresh gateway starts at genesis");
                    assertEquals(BLOCKS, highest, "highestBlock is the height of the last record in signed-blocks");
                    assertFalse(o.ready(), "/ready must answer 503 while catching up");
                    assertEquals("Syncing", o.l2Status().get("status").asText(), o.l2Status().toString());
                    assertEquals(BLOCKS, o.l2Status().get("syncProgress").get("highestBlock").asLong(), o.l2Status().toString());
                }
                assertEquals(BLOCKS, web3.ethBlockNumber().send().getBlockNumber().longValue(), "caught up to the real head");
                Observation last = seen.get(seen.size() - 1);
                assertEquals(BLOCKS, last.l2Status().get("head").get("number").asLong());
                int readyAtEnd = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/ready")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode();
                assertEquals(200, readyAtEnd, "/ready once caught up");
                String logText = read(log);
                assertTrue(logText.contains("Catching up: block 0 of " + BLOCKS), logText);
                assertTrue(logText.contains("Chain view caught up at block " + BLOCKS), logText);
                System.out.println("GatewayCatchUpTest: " + seen.size() + " observations, " + progress.size() + " with progress, e.g. "
                        + ((EthSyncing.Syncing) progress.get(progress.size() - 1).syncing()).getCurrentBlock());
            } finally {
                web3.shutdown();
                gateway.destroy();
                gateway.waitFor();
            }
        }
    }

    /** Log markers, not sleeps: the marker is what says the child is ready. */
    static void awaitLog(Path log, String marker, Process p) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!read(log).contains(marker)) {
            assertTrue(p.isAlive(), () -> "exited before '" + marker + "': " + read(log));
            assertTrue(System.nanoTime() < deadline, () -> "no '" + marker + "' within 120 s: " + read(log));
            Thread.sleep(20);
        }
    }

    static long quantity(String hex) {
        assertTrue(hex.startsWith("0x"), hex);
        return Long.parseLong(hex.substring(2), 16);
    }

    static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
