package org.rollupnode.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rollupnode.kafka.KafkaSettings;
import org.rollupnode.schemas.EventCodec;
import org.rollupnode.schemas.SequencerRevert;
import org.rollupnode.schemas.SignedRevert;
import org.rollupnode.schemas.Topics;
import org.web3j.crypto.Hash;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;
import org.web3j.rlp.RlpEncoder;
import org.web3j.rlp.RlpList;
import org.web3j.rlp.RlpString;
import org.web3j.rlp.RlpType;
import org.web3j.utils.Numeric;

/**
 * L1 messages end to end with a real L1 (anvil) and the whole node: deposits and a call queued on
 * L1 become type 0x7E transactions at the start of L2 blocks, in queue order, once eligible, at most
 * --sequencer.max-l1-messages per block; an L1 reorg before inclusion swaps the message, one after
 * inclusion (shallow depth:1) makes the sequencer write an explicit revert that the signer and the
 * gateway apply and replay accepts; L2 blocks keep coming when L1 dies.
 */
class L1InclusionTest {
    static final BigInteger ETH = BigInteger.TEN.pow(18);
    static final String RECIPIENT = "0x" + "ab".repeat(20);
    static final String CALL_TARGET = "0x" + "cd".repeat(20);
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    static String[] args(Path datadir, L1Anvil l1, String mode, Integer maxL1) {
        List<String> a = new ArrayList<>(List.of(DevSequencerEndToEndTest.devArgs(datadir)));
        a.addAll(List.of("--l1.url", l1.url(), "--l1.message-queue-address", l1.queue, "--sequencer.l1-inclusion-mode", mode));
        if (maxL1 != null) {
            a.addAll(List.of("--sequencer.max-l1-messages", maxL1.toString()));
        }
        return a.toArray(String[]::new);
    }

    /** keccak256(0x7E ‖ rlp([queueIndex, gasLimit, to, value, input, sender])), with web3j's RLP: Scroll's L1 message hash. */
    static String l1MessageHash(long queueIndex, long gasLimit, String to, BigInteger value, byte[] input) {
        List<RlpType> fields = List.of(RlpString.create(BigInteger.valueOf(queueIndex)), RlpString.create(BigInteger.valueOf(gasLimit)),
                RlpString.create(Numeric.hexStringToByteArray(to)), RlpString.create(value), RlpString.create(input),
                RlpString.create(Numeric.hexStringToByteArray(L1Anvil.DEV0)));
        byte[] rlp = RlpEncoder.encode(new RlpList(fields));
        byte[] typed = new byte[rlp.length + 1];
        typed[0] = 0x7e;
        System.arraycopy(rlp, 0, typed, 1, rlp.length);
        return Numeric.toHexString(Hash.sha3(typed));
    }

    static JsonNode rpc(int port, String method, Object... params) throws Exception {
        String body = JSON.writeValueAsString(java.util.Map.of("jsonrpc", "2.0", "id", 1, "method", method, "params", List.of(params)));
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode json = JSON.readTree(r.body());
        if (json.has("error")) {
            throw new AssertionError(method + ": " + json.get("error"));
        }
        return json.get("result");
    }

    static <T> T await(String what, Duration timeout, java.util.concurrent.Callable<T> probe, Predicate<T> done) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = null;
        while (System.nanoTime() < deadline) {
            last = probe.call();
            if (last != null && done.test(last)) {
                return last;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out waiting for " + what + " (last seen: " + last + ")");
    }

    static Optional<TransactionReceipt> receipt(Web3j web3, String hash) throws Exception {
        return web3.ethGetTransactionReceipt(hash).send().getTransactionReceipt();
    }

    static BigInteger balance(Web3j web3, String address) throws Exception {
        return web3.ethGetBalance(address, DefaultBlockParameterName.LATEST).send().getBalance();
    }

    /** Sends one L2 transfer from dev account 1 and waits for its receipt: proves a block was built after this point. */
    static TransactionReceipt l2Transfer(Web3j web3, long nonce) throws Exception {
        String hash = web3.ethSendRawTransaction(DevSequencerEndToEndTest.signedTransfer(DevSequencerEndToEndTest.DEV1, nonce,
                "0x" + "77".repeat(20), BigInteger.valueOf(7))).send().getTransactionHash();
        return DevSequencerEndToEndTest.awaitReceipt(web3, hash, Duration.ofSeconds(20));
    }

    static long processedL1(int port) throws Exception {
        return rpc(port, "rollupNode_status").path("l1").path("processed").asLong();
    }

    @Test
    void depositsAndACallAreIncludedInQueueOrderOnceEligibleAtMostMaxPerBlockAndL2GoesOnWithoutL1() throws Exception {
        L1Anvil l1 = L1Anvil.start(); // the queue contract is L1 block 1
        try {
            l1.enqueue(RECIPIENT, ETH, 100_000, new byte[0]);                   // queue index 0, L1 block 2
            l1.enqueue(RECIPIENT, ETH.multiply(BigInteger.TWO), 100_000, new byte[0]); // 1, block 3
            byte[] call = Numeric.hexStringToByteArray("0xdeadbeef");
            l1.enqueue(CALL_TARGET, BigInteger.ZERO, 200_000, call);            // 2, block 4
            l1.enqueue(RECIPIENT, ETH.multiply(BigInteger.valueOf(3)), 100_000, new byte[0]); // 3, block 5
            l1.mine(2); // head 7: all four are at least 2 deep
            String h0 = l1MessageHash(0, 100_000, RECIPIENT, ETH, new byte[0]);
            String h1 = l1MessageHash(1, 100_000, RECIPIENT, ETH.multiply(BigInteger.TWO), new byte[0]);
            String h2 = l1MessageHash(2, 200_000, CALL_TARGET, BigInteger.ZERO, call);
            String h3 = l1MessageHash(3, 100_000, RECIPIENT, ETH.multiply(BigInteger.valueOf(3)), new byte[0]);

            try (RunningNode node = Main.startNode(args(tmp.resolve("n"), l1, "depth:2", 2))) {
                int port = node.httpPort();
                Web3j web3 = Web3j.build(new HttpService("http://127.0.0.1:" + port));
                TransactionReceipt r3 = DevSequencerEndToEndTest.awaitReceipt(web3, h3, Duration.ofSeconds(40));
                TransactionReceipt r0 = receipt(web3, h0).orElseThrow();
                TransactionReceipt r1 = receipt(web3, h1).orElseThrow();
                TransactionReceipt r2 = receipt(web3, h2).orElseThrow();
                long b = r0.getBlockNumber().longValueExact();
                assertEquals(b, r1.getBlockNumber().longValueExact());
                assertEquals(b + 1, r2.getBlockNumber().longValueExact(), "at most 2 L1 messages per block");
                assertEquals(b + 1, r3.getBlockNumber().longValueExact());
                assertEquals(List.of(0L, 1L, 0L, 1L), List.of(r0.getTransactionIndex().longValueExact(), r1.getTransactionIndex().longValueExact(),
                        r2.getTransactionIndex().longValueExact(), r3.getTransactionIndex().longValueExact()), "first in their blocks, in queue order");

                JsonNode raw0 = rpc(port, "eth_getTransactionReceipt", h0);
                assertEquals("0x7e", raw0.path("type").asText());
                assertEquals("0x0", raw0.path("queueIndex").asText());
                assertEquals(L1Anvil.DEV0, raw0.path("sender").asText().toLowerCase());
                assertEquals("0x2", rpc(port, "eth_getTransactionReceipt", h2).path("queueIndex").asText());
                assertTrue(r2.isStatusOK());
                assertEquals(21_000, r0.getGasUsed().longValueExact(), "a plain deposit costs the intrinsic gas");
                assertEquals(21_000 + 4 * 16, r2.getGasUsed().longValueExact(), "intrinsic gas plus 4 non-zero calldata bytes");
                EthBlock.Block blockB = web3.ethGetBlockByNumber(DefaultBlockParameter.valueOf(BigInteger.valueOf(b)), true).send().getBlock();
                assertEquals(2, blockB.getTransactions().size());
                assertEquals(42_000, blockB.getGasUsed().longValueExact(), "the messages' gas counts against the block");
                assertEquals(h0, ((EthBlock.TransactionObject) blockB.getTransactions().get(0)).getHash());
                assertEquals(ETH.multiply(BigInteger.valueOf(6)), balance(web3, RECIPIENT), "1 + 2 + 3 ETH deposited");

                JsonNode env = rpc(port, "rollupNode_getL1MessageByIndex", 2);
                assertEquals("0xdeadbeef", env.path("transaction").path("input").asText());
                assertEquals(CALL_TARGET, env.path("transaction").path("to").asText().toLowerCase());
                assertEquals("0x30d40", env.path("transaction").path("gas").asText());
                assertEquals(4, env.path("l1_block_number").asLong());
                assertEquals(b + 1, env.path("l2_block_number").asLong());
                assertTrue(env.path("queue_hash").asText().matches("0x[0-9a-f]{56}0{8}"), env.toString());
                assertTrue(rpc(port, "rollupNode_getL1MessageByIndex", 9).isNull());

                // Eligibility: message 4 in L1 block 8 may enter L2 only once L1's head is 10.
                l1.enqueue(RECIPIENT, ETH.multiply(BigInteger.valueOf(4)), 100_000, new byte[0]);
                String h4 = l1MessageHash(4, 100_000, RECIPIENT, ETH.multiply(BigInteger.valueOf(4)), new byte[0]);
                long nonce = 0;
                for (int head = 8; head <= 9; head++) {
                    final long h = head;
                    await("the watcher to process L1 block " + h, Duration.ofSeconds(20), () -> processedL1(port), p -> p >= h);
                    l2Transfer(web3, nonce++);
                    l2Transfer(web3, nonce++); // two L2 blocks built after the sequencer could see L1 block h
                    assertFalse(receipt(web3, h4).isPresent(), "message 4 (L1 block 8) is not 2 deep at L1 head " + h);
                    l1.mine(1);
                }
                TransactionReceipt r4 = DevSequencerEndToEndTest.awaitReceipt(web3, h4, Duration.ofSeconds(20));
                assertEquals(0, r4.getTransactionIndex().longValueExact());
                assertEquals(ETH.multiply(BigInteger.TEN), balance(web3, RECIPIENT));

                // L1 dies: the sequencer keeps building L2 blocks, and the status says L1 is down.
                l1.close();
                JsonNode down = await("rollupNode_status to report L1 down", Duration.ofSeconds(30),
                        () -> rpc(port, "rollupNode_status").path("l1"), s -> s.path("connected").isBoolean() && !s.path("connected").asBoolean());
                assertTrue(down.path("lastError").isTextual(), down.toString());
                TransactionReceipt after = l2Transfer(web3, nonce++);
                assertTrue(after.getBlockNumber().longValueExact() > r4.getBlockNumber().longValueExact());
                web3.shutdown();
            }
        } finally {
            l1.close();
        }
    }

    @Test
    void l1ReorgsBeforeInclusionSwapTheMessageAndAfterInclusionRevertL2ExplicitlyForEveryReader() throws Exception {
        L1Anvil l1 = L1Anvil.start();
        try (RunningNode node = Main.startNode(args(tmp.resolve("r"), l1, "depth:1", null))) {
            int port = node.httpPort();
            Web3j web3 = Web3j.build(new HttpService("http://127.0.0.1:" + port));

            // Before inclusion: message 0 (1 ETH, L1 block 2) is replaced by a 5 ETH message 0 on the new branch.
            l1.enqueue(RECIPIENT, ETH, 100_000, new byte[0]);
            await("l1-events to carry message 0", Duration.ofSeconds(20), () -> rpc(port, "rollupNode_getL1MessageByIndex", 0),
                    e -> !e.isNull() && e.path("transaction").path("value").asText().equals("0xde0b6b3a7640000"));
            l1.reorgWithMessage(1, RECIPIENT, ETH.multiply(BigInteger.valueOf(5)), 100_000, new byte[0]);
            await("the replacement message 0", Duration.ofSeconds(20), () -> rpc(port, "rollupNode_getL1MessageByIndex", 0),
                    e -> !e.isNull() && e.path("transaction").path("value").asText().equals("0x4563918244f40000"));
            l1.mine(1); // head 3: block 2 is 1 deep
            String h0 = l1MessageHash(0, 100_000, RECIPIENT, ETH, new byte[0]);
            String h0b = l1MessageHash(0, 100_000, RECIPIENT, ETH.multiply(BigInteger.valueOf(5)), new byte[0]);
            DevSequencerEndToEndTest.awaitReceipt(web3, h0b, Duration.ofSeconds(20));
            assertFalse(receipt(web3, h0).isPresent(), "the reorged-away message is never included");
            assertEquals(ETH.multiply(BigInteger.valueOf(5)), balance(web3, RECIPIENT));

            // After inclusion: message 1 (2 ETH, L1 block 4) is included at depth 1, then L1 reorgs blocks 4 and 5 away.
            l1.enqueue(RECIPIENT, ETH.multiply(BigInteger.TWO), 100_000, new byte[0]);
            l1.mine(1);
            String h1 = l1MessageHash(1, 100_000, RECIPIENT, ETH.multiply(BigInteger.TWO), new byte[0]);
            long b = DevSequencerEndToEndTest.awaitReceipt(web3, h1, Duration.ofSeconds(20)).getBlockNumber().longValueExact();
            String oldHashB = web3.ethGetBlockByNumber(DefaultBlockParameter.valueOf(BigInteger.valueOf(b)), false).send().getBlock().getHash();
            TransactionReceipt l2 = l2Transfer(web3, 0); // an L2 transaction at or above block b
            assertTrue(l2.getBlockNumber().longValueExact() >= b);
            assertEquals(ETH.multiply(BigInteger.valueOf(7)), balance(web3, RECIPIENT));

            l1.reorgWithMessage(2, RECIPIENT, ETH.multiply(BigInteger.valueOf(3)), 100_000, new byte[0]); // message 1 is now 3 ETH
            String h1b = l1MessageHash(1, 100_000, RECIPIENT, ETH.multiply(BigInteger.valueOf(3)), new byte[0]);
            TransactionReceipt r1b = DevSequencerEndToEndTest.awaitReceipt(web3, h1b, Duration.ofSeconds(30));
            // L2 unwound to b - 1 (asserted on the revert record below) and built block b again; the
            // replacement message lands in b or, when its L1 block became eligible one slot later, after it.
            assertTrue(r1b.getBlockNumber().longValueExact() >= b, "replacement included at or after block " + b);
            assertNotEquals(oldHashB, web3.ethGetBlockByNumber(DefaultBlockParameter.valueOf(BigInteger.valueOf(b)), false).send()
                    .getBlock().getHash(), "block " + b + " was rebuilt after the revert");
            assertFalse(receipt(web3, h1).isPresent(), "the removed message's transaction is no longer served");
            TransactionReceipt l2again = DevSequencerEndToEndTest.awaitReceipt(web3, l2.getTransactionHash(), Duration.ofSeconds(20));
            assertNotEquals(l2.getBlockHash(), l2again.getBlockHash(), "the reverted L2 transaction went back to the mempool and was included again");
            assertEquals(ETH.multiply(BigInteger.valueOf(8)), balance(web3, RECIPIENT), "5 + 3 ETH: the 2 ETH deposit is gone with its L1 block");

            JsonNode lastRevert = rpc(port, "rollupNode_status").path("lastRevert");
            assertEquals(b - 1, lastRevert.path("revertToNumber").asLong(), lastRevert.toString());
            assertTrue(lastRevert.path("reason").asText().contains("L1 message 1"), lastRevert.toString());

            // The audit trail: one revert record in the sequencer stream and the signer's copy in signed-blocks.
            KafkaSettings kafka = new KafkaSettings(node.bootstrapServers(), java.util.Map.of());
            List<SequencerRevert> reverts = new ArrayList<>();
            for (ConsumerRecord<String, byte[]> r : readAll(kafka, Topics.SEQUENCER_STREAM.name())) {
                if (EventCodec.SEQUENCER_STREAM.decode(r.value()) instanceof SequencerRevert rv) {
                    reverts.add(rv);
                }
            }
            assertEquals(1, reverts.size(), String.valueOf(reverts));
            SequencerRevert rv = reverts.get(0);
            assertEquals(b - 1, rv.revertToNumber());
            assertEquals(1, rv.firstRemovedQueueIndex());
            assertEquals(4, rv.l1BlockNumber(), "message 1 was queued in L1 block 4");
            assertTrue(rv.l1ReorgCommonAncestor() <= 3 && rv.l1ReorgCommonAncestor() >= 2, String.valueOf(rv));
            assertEquals(1, rv.nextL1QueueIndex());
            List<SignedRevert> signedReverts = new ArrayList<>();
            for (ConsumerRecord<String, byte[]> r : readAll(kafka, Topics.SIGNED_BLOCKS.name())) {
                if (EventCodec.SIGNED_BLOCKS.decode(r.value()) instanceof SignedRevert sr) {
                    signedReverts.add(sr);
                }
            }
            assertEquals(List.of(rv), signedReverts.stream().map(SignedRevert::revert).toList());

            StringWriter out = new StringWriter();
            int code = Main.run(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true), "replay", "--kafka.bootstrap-servers",
                    node.bootstrapServers(), "--chain", "dev", "--report", tmp.resolve("replay.json").toString());
            assertEquals(0, code, out.toString());
            web3.shutdown();
        } finally {
            l1.close();
        }
    }

    static List<ConsumerRecord<String, byte[]>> readAll(KafkaSettings kafka, String topic) {
        TopicPartition tp = new TopicPartition(topic, 0);
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(kafka.readerConfig("l1-inclusion-test"))) {
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long end = c.endOffsets(List.of(tp)).get(tp);
            while (c.position(tp) < end) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }
}
