package org.rollupnode.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.rollupnode.execution.chain.ChainSpec;
import org.rollupnode.execution.chain.ChainSpecs;
import org.rollupnode.execution.types.Hash32;
import org.rollupnode.gateway.rpc.HttpJsonRpcServer;
import org.rollupnode.gateway.rpc.JsonRpcDispatcher;
import org.rollupnode.gateway.rpc.Limits;
import org.rollupnode.kafka.KafkaSettings;
import org.rollupnode.kafka.TestKafka;
import org.rollupnode.kafka.TopicAdmin;
import org.rollupnode.schemas.Topics;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;

/**
 * The broker goes away under a running gateway: every call of a batch of transfers answers the
 * retry error once the (shortened) ack timeout passes, and none is reported accepted.
 */
class SendRawTransactionBrokerDownTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyCallOfABatchIsToldToRetryAndNothingIsAccepted() throws Exception {
        ChainSpec spec = ChainSpecs.byName("dev");
        TestKafka kafka = TestKafka.start();
        TransactionSubmitter submitter = null;
        HttpJsonRpcServer server = null;
        try {
            TopicAdmin.ensureTopics(kafka.settings(), Topics.ALL);
            // The gateway's parts as RpcGatewayService wires them, with a 2 s ack timeout instead of 15 s.
            // The views are not started: the chain stays at genesis and the pool knows only local acceptances.
            ChainView view = new ChainView(spec, kafka.settings(), null);
            PoolView pool = new PoolView(kafka.settings());
            submitter = new TransactionSubmitter(kafka.settings(), "down-test", Duration.ofSeconds(2));
            JsonRpcDispatcher dispatcher = new JsonRpcDispatcher(Set.of("eth"), Limits.defaults());
            new EthApi(view, pool, submitter, spec.defaultBlockGasLimit()).register(dispatcher);
            server = new HttpJsonRpcServer(null, dispatcher, "127.0.0.1", 0, Limits.defaults(), List.of());
            URI uri = URI.create("http://127.0.0.1:" + server.start() + "/");
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

            Credentials sender = SendRawTransactionBatchTest.dev(7);
            String first = SendRawTransactionBatchTest.transfer(sender, 1337, 0);
            JsonNode before = post(http, uri, List.of(first)).get(0);
            assertEquals(Hash.sha3(first), before.get("result").asText(), "accepted while the broker is up: " + before);

            kafka.close();
            List<String> raws = List.of(SendRawTransactionBatchTest.transfer(sender, 1337, 1),
                    SendRawTransactionBatchTest.transfer(sender, 1337, 2), SendRawTransactionBatchTest.transfer(sender, 1337, 3));
            JsonNode answers = post(http, uri, raws);
            for (int i = 0; i < raws.size(); i++) {
                JsonNode a = answers.get(i);
                assertEquals(i, a.get("id").asInt(), answers.toString());
                assertNull(a.get("result"), "a hash was returned while the broker was down: " + a);
                assertEquals(-32603, a.at("/error/code").asInt(), a.toString());
                // the first call waits for Kafka (max.block.ms or the ack timeout), the others then fail at once
                assertTrue(a.at("/error/message").asText().startsWith("transaction not accepted, retry: Kafka "), a.toString());
                assertNull(pool.pending(Hash32.fromHex(Hash.sha3(raws.get(i)))), "not in the pool: " + raws.get(i));
            }
            // a retry is not refused as "already known": the failed attempt left no trace
            JsonNode retry = post(http, uri, List.of(raws.get(0))).get(0);
            assertTrue(retry.at("/error/message").asText().startsWith("transaction not accepted, retry: Kafka "), retry.toString());
        } finally {
            if (server != null) {
                server.close();
            }
            if (submitter != null) {
                submitter.close();
            }
            kafka.close();
        }
    }

    @Test
    void withNoBrokerAtAllOneCallWaitsForKafkaAndTheRestOfTheBatchFailsAtOnce() throws Exception {
        ChainSpec spec = ChainSpecs.byName("dev");
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        KafkaSettings nowhere = KafkaSettings.of("127.0.0.1:" + closedPort);
        try (TransactionSubmitter submitter = new TransactionSubmitter(nowhere, "nowhere-test", Duration.ofSeconds(2))) {
            PoolView pool = new PoolView(nowhere);
            JsonRpcDispatcher dispatcher = new JsonRpcDispatcher(Set.of("eth"), Limits.defaults());
            new EthApi(new ChainView(spec, nowhere, null), pool, submitter, spec.defaultBlockGasLimit()).register(dispatcher);
            HttpJsonRpcServer server = new HttpJsonRpcServer(null, dispatcher, "127.0.0.1", 0, Limits.defaults(), List.of());
            try {
                URI uri = URI.create("http://127.0.0.1:" + server.start() + "/");
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                Credentials sender = SendRawTransactionBatchTest.dev(8);
                List<String> raws = List.of(SendRawTransactionBatchTest.transfer(sender, 1337, 0),
                        SendRawTransactionBatchTest.transfer(sender, 1337, 1), SendRawTransactionBatchTest.transfer(sender, 1337, 2));
                JsonNode answers = post(http, uri, raws);
                // The first send() waits max.block.ms (10 s) for metadata that never comes; its ack bound (2 s) passed meanwhile.
                assertEquals("transaction not accepted, retry: Kafka did not acknowledge the transaction within 2 s",
                        answers.get(0).at("/error/message").asText(), answers.toString());
                // Without that one failure being remembered, each of these would wait 10 s as well.
                for (int i = 1; i < raws.size(); i++) {
                    assertEquals("transaction not accepted, retry: Kafka is unavailable: Topic pending-transactions not present in metadata"
                            + " after 10000 ms.", answers.get(i).at("/error/message").asText(), answers.toString());
                }
                for (String raw : raws) {
                    assertNull(pool.pending(Hash32.fromHex(Hash.sha3(raw))));
                }
            } finally {
                server.close();
            }
        }
    }

    static JsonNode post(HttpClient http, URI uri, List<String> raws) throws Exception {
        ArrayNode body = JSON.createArrayNode();
        for (int i = 0; i < raws.size(); i++) {
            ObjectNode call = body.addObject().put("jsonrpc", "2.0").put("id", i).put("method", "eth_sendRawTransaction");
            call.putArray("params").add(raws.get(i));
        }
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        JsonNode answers = JSON.readTree(r.body());
        assertEquals(raws.size(), answers.size(), r.body());
        return answers;
    }
}
