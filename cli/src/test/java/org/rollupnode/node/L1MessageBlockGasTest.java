package org.rollupnode.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rollupnode.kafka.KafkaSettings;
import org.rollupnode.kafka.TestKafka;
import org.rollupnode.kafka.TopicAdmin;
import org.rollupnode.schemas.EventCodec;
import org.rollupnode.schemas.L1Event;
import org.rollupnode.schemas.L1Head;
import org.rollupnode.schemas.L1MessageQueued;
import org.rollupnode.schemas.Topics;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;

/**
 * The Rust node's {@code should_limit_l1_message_cumulative_gas}: L1 messages declaring 10,000,000 and
 * 10,000,001 gas against the dev chain's 20,000,000 block gas limit go into two blocks. The L1
 * events are written to {@code l1-events} as the watcher would (its output contract), so the test
 * needs no L1 node; the rest is the whole node on a real broker, read back with web3j.
 */
class L1MessageBlockGasTest {
    static final String RECIPIENT = "0x" + "ab".repeat(20);

    @TempDir
    Path tmp;

    static String l1Hash(long n) {
        return "0x" + "a1".repeat(2) + String.format("%060x", n);
    }

    static L1MessageQueued message(long queueIndex, long gasLimit) {
        return new L1MessageQueued(queueIndex, 1, l1Hash(1), "0x" + "e0".repeat(2) + String.format("%060x", queueIndex), queueIndex,
                L1Anvil.DEV0, RECIPIENT, "0", gasLimit, "0x");
    }

    @Test
    void cumulativeDeclaredGasOfL1MessagesStaysWithinTheBlockGasLimit() throws Exception {
        try (TestKafka kafka = TestKafka.start()) {
            String bs = kafka.bootstrapServers();
            KafkaSettings settings = KafkaSettings.of(bs);
            TopicAdmin.ensureTopics(settings, Topics.ALL);
            // Both messages and the L1 head that makes them eligible are there before the sequencer starts,
            // so the first block could take both if the cap were not applied.
            List<L1Event> events = List.of(message(0, 10_000_000), message(1, 10_000_001), new L1Head(1, l1Hash(1), l1Hash(0), 1_700_000_000L));
            try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(settings.producerConfig("test-l1-events"))) {
                for (L1Event e : events) {
                    p.send(new ProducerRecord<>(Topics.L1_EVENTS.name(), 0, null, EventCodec.L1_EVENT.encode(e))).get();
                }
            }
            String h0 = L1InclusionTest.l1MessageHash(0, 10_000_000, RECIPIENT, BigInteger.ZERO, new byte[0]);
            String h1 = L1InclusionTest.l1MessageHash(1, 10_000_001, RECIPIENT, BigInteger.ZERO, new byte[0]);

            try (RunningNode node = Main.startNode("--kafka.bootstrap-servers", bs, "--chain", "dev", "--datadir", tmp.resolve("n").toString(),
                    "--test", "--sequencer.enabled", "--sequencer.auto-start", "--sequencer.block-time", "500",
                    "--sequencer.payload-building-duration", "300", "--sequencer.l1-inclusion-mode", "depth:0",
                    "--http", "--http.port", "0", "--http.api", "eth,net,web3,rollupNode")) {
                Web3j web3 = Web3j.build(new HttpService("http://127.0.0.1:" + node.httpPort()));
                TransactionReceipt r1 = DevSequencerEndToEndTest.awaitReceipt(web3, h1, Duration.ofSeconds(60));
                TransactionReceipt r0 = web3.ethGetTransactionReceipt(h0).send().getTransactionReceipt().orElseThrow();
                assertEquals(1, r0.getBlockNumber().longValueExact(), "message 0 in the first block");
                assertEquals(2, r1.getBlockNumber().longValueExact(), "message 1 in the next block");

                EthBlock.Block first = web3.ethGetBlockByNumber(DefaultBlockParameter.valueOf(BigInteger.ONE), false).send().getBlock();
                assertEquals(20_000_000, first.getGasLimit().longValueExact(), "the dev chain's block gas limit");
                assertEquals(List.of(h0), first.getTransactions().stream().map(t -> (String) t.get()).toList(), "only message 0");
                assertEquals(21_000, first.getGasUsed().longValueExact());
                EthBlock.Block second = web3.ethGetBlockByNumber(DefaultBlockParameter.valueOf(BigInteger.TWO), false).send().getBlock();
                assertEquals(List.of(h1), second.getTransactions().stream().map(t -> (String) t.get()).toList(), "only message 1");
                assertEquals(21_000, second.getGasUsed().longValueExact());
                web3.shutdown();
            }
        }
    }
}
