package org.rollupnode.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rollupnode.execution.chain.ChainSpec;
import org.rollupnode.execution.chain.ChainSpecs;
import org.rollupnode.kafka.TestKafka;
import org.rollupnode.kafka.TopicAdmin;
import org.rollupnode.schemas.EventCodec;
import org.rollupnode.schemas.PendingTransaction;
import org.rollupnode.schemas.Topics;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.Sign;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.utils.Numeric;

/**
 * eth_sendRawTransaction batches through a whole gateway (real HTTP, real Kafka): every hash
 * answered is in pending-transactions, and each call of a mixed batch keeps its own answer.
 */
class SendRawTransactionBatchTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final long CHAIN_ID = 1337;
    static final String TO = "0x" + "dd".repeat(20);

    static TestKafka kafka;
    static RpcGatewayService gateway;
    static HttpClient http;
    static URI uri;

    @BeforeAll
    static void start() throws Exception {
        kafka = TestKafka.start();
        TopicAdmin.ensureTopics(kafka.settings(), Topics.ALL);
        ChainSpec spec = ChainSpecs.byName("dev");
        GatewayConfig config = new GatewayConfig("127.0.0.1", 0, Set.of("eth", "net", "web3", "txpool"), List.of(), "batch-test", null);
        gateway = new RpcGatewayService(config, spec, kafka.settings(), spec.defaultBlockGasLimit()).start(Duration.ofSeconds(60));
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        uri = URI.create("http://127.0.0.1:" + gateway.port() + "/");
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    static Credentials dev(int i) {
        return Credentials.create(ChainSpecs.devPrivateKeys().get(i).toString(16));
    }

    static String transfer(Credentials from, long chainId, long nonce) {
        RawTransaction tx = RawTransaction.createTransaction(chainId, BigInteger.valueOf(nonce), BigInteger.valueOf(21_000), TO,
                BigInteger.ONE, "", BigInteger.valueOf(1_000), BigInteger.valueOf(2_000_000_000L));
        return Numeric.toHexString(TransactionEncoder.signMessage(tx, from));
    }

    /** A well-formed transaction whose signature has r = 0, which no key can produce. */
    static String badSignature(Credentials from, long nonce) {
        RawTransaction tx = RawTransaction.createTransaction(CHAIN_ID, BigInteger.valueOf(nonce), BigInteger.valueOf(21_000), TO,
                BigInteger.ONE, "", BigInteger.valueOf(1_000), BigInteger.valueOf(2_000_000_000L));
        Sign.SignatureData real = Sign.signMessage(TransactionEncoder.encode(tx), from.getEcKeyPair());
        return Numeric.toHexString(TransactionEncoder.encode(tx, new Sign.SignatureData(real.getV(), new byte[0], real.getS())));
    }

    static JsonNode batch(List<String> raws) throws Exception {
        ArrayNode body = JSON.createArrayNode();
        for (int i = 0; i < raws.size(); i++) {
            ObjectNode call = body.addObject().put("jsonrpc", "2.0").put("id", 100 + i).put("method", "eth_sendRawTransaction");
            call.putArray("params").add(raws.get(i));
        }
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        JsonNode answers = JSON.readTree(r.body());
        assertEquals(raws.size(), answers.size(), r.body());
        for (int i = 0; i < raws.size(); i++) {
            assertEquals(100 + i, answers.get(i).get("id").asInt(), "answers in request order: " + r.body());
        }
        return answers;
    }

    /** Hash -> number of records in pending-transactions, read once every hash of {@code awaited} was seen (or after 30 s). */
    static Map<String, Integer> recordedHashes(Set<String> awaited) {
        Map<String, Integer> seen = new HashMap<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(kafka.settings().readerConfig("batch-test-reader"))) {
            List<TopicPartition> tps = new ArrayList<>();
            for (PartitionInfo p : c.partitionsFor(Topics.PENDING_TRANSACTIONS.name())) {
                tps.add(new TopicPartition(p.topic(), p.partition()));
            }
            c.assign(tps);
            c.seekToBeginning(tps);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!seen.keySet().containsAll(awaited) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    PendingTransaction p = EventCodec.PENDING_TRANSACTION.decode(r.value(), r.topic(), r.partition(), r.offset());
                    seen.merge(p.hash(), 1, Integer::sum);
                }
            }
            // and whatever else is there already (a duplicate or a rejected transaction would be)
            for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
                PendingTransaction p = EventCodec.PENDING_TRANSACTION.decode(r.value(), r.topic(), r.partition(), r.offset());
                seen.merge(p.hash(), 1, Integer::sum);
            }
        }
        return seen;
    }

    @Test
    void aBatchOfValidTransfersAnswersEveryHashInOrderAndEachIsInKafka() throws Exception {
        List<String> raws = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            raws.add(transfer(dev(1 + i % 3), CHAIN_ID, i / 3)); // 3 senders, nonces 0..19 each
        }
        JsonNode answers = batch(raws);
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < raws.size(); i++) {
            assertNull(answers.get(i).get("error"), answers.get(i).toString());
            assertEquals(Hash.sha3(raws.get(i)), answers.get(i).get("result").asText());
            expected.add(Hash.sha3(raws.get(i)));
        }
        Map<String, Integer> recorded = recordedHashes(expected);
        for (String h : expected) {
            assertEquals(1, recorded.getOrDefault(h, 0), "record of " + h);
        }
    }

    @Test
    void aMixedBatchAnswersEachCallItsOwnErrorAndAcceptsTheValidOnes() throws Exception {
        Credentials sender = dev(5);
        Credentials unfunded = Credentials.create("0x" + "42".repeat(32));
        String valid0 = transfer(sender, CHAIN_ID, 0);
        String valid1 = transfer(sender, CHAIN_ID, 1);
        String wrongChain = transfer(sender, 1, 2);
        String badSig = badSignature(sender, 3);
        String poor = transfer(unfunded, CHAIN_ID, 0);
        String valid2 = transfer(sender, CHAIN_ID, 2);
        List<String> raws = List.of(valid0, wrongChain, valid1, valid0, badSig, poor, valid2, "0x1234");
        JsonNode a = batch(raws);

        assertEquals(Hash.sha3(valid0), a.get(0).get("result").asText(), a.toString());
        assertError(a.get(1), -32000, "chain id mismatch: have 1, want 1337");
        assertEquals(Hash.sha3(valid1), a.get(2).get("result").asText(), a.toString());
        assertError(a.get(3), -32000, "already known"); // the first copy's ack is still pending or just done
        assertError(a.get(4), -32000, "invalid signature: r out of range");
        assertEquals(-32000, a.get(5).at("/error/code").asInt(), a.get(5).toString());
        assertTrue(a.get(5).at("/error/message").asText().startsWith("insufficient funds for gas * price + value: balance 0,"),
                a.get(5).toString());
        assertEquals(Hash.sha3(valid2), a.get(6).get("result").asText(), a.toString());
        assertEquals(-32000, a.get(7).at("/error/code").asInt(), a.get(7).toString());

        // the same transaction again in a later batch: known from the pool now
        assertError(batch(List.of(valid1)).get(0), -32000, "already known");

        Map<String, Integer> recorded = recordedHashes(Set.of(Hash.sha3(valid0), Hash.sha3(valid1), Hash.sha3(valid2)));
        assertEquals(1, recorded.getOrDefault(Hash.sha3(valid0), 0), "valid0 recorded once, not twice");
        assertEquals(1, recorded.getOrDefault(Hash.sha3(valid1), 0));
        assertEquals(1, recorded.getOrDefault(Hash.sha3(valid2), 0));
        for (String rejected : List.of(wrongChain, badSig, poor)) {
            assertFalse(recorded.containsKey(Hash.sha3(rejected)), "rejected " + rejected + " must not reach Kafka");
        }
    }

    static void assertError(JsonNode answer, int code, String message) {
        assertNull(answer.get("result"), answer.toString());
        assertEquals(code, answer.at("/error/code").asInt(), answer.toString());
        assertEquals(message, answer.at("/error/message").asText(), answer.toString());
    }
}
