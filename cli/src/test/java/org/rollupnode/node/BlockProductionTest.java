package org.rollupnode.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rollupnode.execution.chain.ChainSpecs;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;

/** Block production through the real entry point: timing, empty blocks, fee recipient, filling. */
class BlockProductionTest {
    @TempDir
    Path tmp;

    static String[] args(Path datadir, String... extra) {
        List<String> a = new ArrayList<>(List.of("--chain", "dev", "--datadir", datadir.toString(), "--test", "--sequencer.enabled",
                "--http", "--http.port", "0", "--http.api", "eth,net,web3,txpool,rollupNode,rollupNodeAdmin"));
        a.addAll(List.of(extra));
        return a.toArray(new String[0]);
    }

    @Test
    void subSecondEmptyBlocksShareSecondsAndPayTheConfiguredFeeRecipient() throws Exception {
        String feeRecipient = "0x" + "fe".repeat(20);
        try (RunningNode node = Main.startNode(args(tmp.resolve("a"), "--sequencer.auto-start", "--sequencer.block-time", "250",
                "--sequencer.payload-building-duration", "150", "--sequencer.allow-empty-blocks", "--sequencer.fee-recipient", feeRecipient))) {
            Web3j web3 = Web3j.build(new HttpService("http://127.0.0.1:" + node.httpPort()));
            Thread.sleep(3_000);
            String hash = web3.ethSendRawTransaction(DevSequencerEndToEndTest.signedTransfer(DevSequencerEndToEndTest.DEV0, 0,
                    "0x" + "01".repeat(20), BigInteger.ONE)).send().getTransactionHash();
            TransactionReceipt r = DevSequencerEndToEndTest.awaitReceipt(web3, hash, Duration.ofSeconds(10));
            long head = web3.ethBlockNumber().send().getBlockNumber().longValue();
            assertTrue(head >= 8, "empty blocks every 250 ms, got " + head);
            long previous = -1;
            boolean shared = false;
            long nowSeconds = System.currentTimeMillis() / 1000;
            for (long n = 1; n <= head; n++) {
                EthBlock.Block b = web3.ethGetBlockByNumber(DefaultBlockParameter.valueOf(BigInteger.valueOf(n)), false).send().getBlock();
                long ts = b.getTimestamp().longValue();
                assertTrue(ts >= previous, "timestamps never decrease");
                assertTrue(ts <= nowSeconds, "timestamps never run ahead of the wall clock");
                shared |= ts == previous;
                previous = ts;
                assertEquals(feeRecipient, b.getMiner(), "--sequencer.fee-recipient is the coinbase");
            }
            assertTrue(shared, "sub-second blocks share a second");
            EthBlock.Block withTx = web3.ethGetBlockByHash(r.getBlockHash(), false).send().getBlock();
            BigInteger executionFee = withTx.getBaseFeePerGas().add(BigInteger.valueOf(1_000)).multiply(BigInteger.valueOf(21_000));
            java.util.Map<String, Object> receipt = TxpoolAndControlTest.call(new HttpService("http://127.0.0.1:" + node.httpPort()),
                    "eth_getTransactionReceipt", hash);
            BigInteger l1Fee = new BigInteger(((String) receipt.get("l1Fee")).substring(2), 16);
            assertEquals(executionFee.add(l1Fee), web3.ethGetBalance(feeRecipient, DefaultBlockParameterName.LATEST).send().getBalance(),
                    "the fee recipient gets gas used x effective price (base fee included) plus the L1 data fee");
            web3.shutdown();
        }
    }

    /** 100 transfers from each of the 20 funded dev accounts, in JSON-RPC batches. */
    static void submitTwoThousandTransfers(URI uri) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        List<BigInteger> keys = ChainSpecs.devPrivateKeys();
        int perSender = 100;
        for (int k = 0; k < 20; k++) {
            Credentials c = Credentials.create(keys.get(k).toString(16));
            StringBuilder batch = new StringBuilder("[");
            for (int n = 0; n < perSender; n++) {
                String raw = DevSequencerEndToEndTest.signedTransfer(c, n, "0x" + "0d".repeat(20), BigInteger.ONE);
                batch.append(n == 0 ? "" : ",").append("{\"jsonrpc\":\"2.0\",\"id\":").append(n)
                        .append(",\"method\":\"eth_sendRawTransaction\",\"params\":[\"").append(raw).append("\"]}");
            }
            batch.append("]");
            HttpResponse<String> resp = http.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(batch.toString())).build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(!resp.body().contains("\"error\""), resp.body().substring(0, Math.min(500, resp.body().length())));
        }
    }

    @Test
    void twoThousandPendingTransfersFillBlocksToWithinOneTransfer() throws Exception {
        try (RunningNode node = Main.startNode(args(tmp.resolve("b"), "--builder.gaslimit", "10000000"))) {
            URI uri = URI.create("http://127.0.0.1:" + node.httpPort());
            submitTwoThousandTransfers(uri);
            Web3j web3 = Web3j.build(new HttpService(uri.toString()));
            Thread.sleep(1_000); // let the sequencer read all 2,000 from pending-transactions
            assertEquals("0x7d0", TxpoolAndControlTest.call(new HttpService(uri.toString()), "txpool_status").get("pending"));
            assertEquals(Boolean.TRUE, TxpoolAndControlTest.call(new HttpService(uri.toString()),
                    "rollupNodeAdmin_enableAutomaticSequencing").get("result"));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (web3.ethBlockNumber().send().getBlockNumber().longValue() < 5 && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            int included = 0;
            for (long n = 1; n <= 5; n++) {
                EthBlock.Block b = web3.ethGetBlockByNumber(DefaultBlockParameter.valueOf(BigInteger.valueOf(n)), false).send().getBlock();
                included += b.getTransactions().size();
                if (n < 5) {
                    assertTrue(b.getGasUsed().longValue() > 10_000_000 - 21_000,
                            "block " + n + " filled to within one transfer: " + b.getGasUsed());
                }
            }
            assertEquals(2_000, included, "all 2,000 transfers in 5 blocks (4 full ones of 476 + the rest)");
            web3.shutdown();
        }
    }

    /**
     * The Rust node's {@code can_build_blocks_and_exit_at_time_limit}: with a 42M gas limit all 2,000
     * pending transfers would fit one block, which takes far more than 10 ms to build (~85 ms at
     * the warm JMH fill rate of ~23,500 transfers/s, several times that in a fresh JVM). With
     * {@code --sequencer.payload-building-duration 10} each block is cut short: not full, not empty.
     *
     * <p>Time bounds, chosen for a loaded 2-core machine rather than for tightness: the recorded
     * build time (fill + seal, from the payload) stays under 500 ms, half the 1 s slot, so the
     * block is ready within its slot with room for the Kafka commit; and consecutive blocks are
     * built at most 1.5 slots apart, which holds when every slot yields a block (1 s apart, give or
     * take the build jitter) and fails when one is skipped (about 2 s). What proves the deadline
     * works is the partial fill; the times show it is met on time.
     */
    @Test
    void tenMillisecondBuildsReturnPartialBlocksInTheirSlots() throws Exception {
        long gasLimit = 42_000_000;
        try (RunningNode node = Main.startNode(args(tmp.resolve("c"), "--builder.gaslimit", Long.toString(gasLimit),
                "--sequencer.block-time", "1000", "--sequencer.payload-building-duration", "10"))) {
            URI uri = URI.create("http://127.0.0.1:" + node.httpPort());
            submitTwoThousandTransfers(uri);
            Web3j web3 = Web3j.build(new HttpService(uri.toString()));
            long wait = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!"0x7d0".equals(TxpoolAndControlTest.call(new HttpService(uri.toString()), "txpool_status").get("pending"))
                    && System.nanoTime() < wait) {
                Thread.sleep(100);
            }
            assertEquals("0x7d0", TxpoolAndControlTest.call(new HttpService(uri.toString()), "txpool_status").get("pending"));
            assertEquals(Boolean.TRUE, TxpoolAndControlTest.call(new HttpService(uri.toString()),
                    "rollupNodeAdmin_enableAutomaticSequencing").get("result"));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            // Two blocks: the first is cut by the deadline (the pool still holds transfers), the second
            // comes in the next slot. With warm caches a 10 ms build takes well over a thousand
            // transfers, so the pool may be drained by the second block; that is fine.
            while (web3.ethBlockNumber().send().getBlockNumber().longValue() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            List<org.rollupnode.schemas.BlockPayload> payloads = SignedBlocksGateTest.payloads(node.bootstrapServers());
            assertTrue(payloads.size() >= 2, "2 blocks within 30 s, got " + payloads.size());
            int first = 0;
            for (int i = 0; i < 2; i++) {
                org.rollupnode.schemas.BlockPayload p = payloads.get(i);
                EthBlock.Block b = web3.ethGetBlockByNumber(DefaultBlockParameter.valueOf(BigInteger.valueOf(p.number())), false).send().getBlock();
                assertEquals(p.hash(), b.getHash());
                int txs = b.getTransactions().size();
                if (i == 0) {
                    first = txs;
                }
                assertTrue(txs > 0, "block " + p.number() + " is not empty");
                assertTrue(b.getGasUsed().longValueExact() < gasLimit - 21_000 && txs < 2_000,
                        "block " + p.number() + " is partial: " + txs + " transfers, gas used " + b.getGasUsed());
                assertTrue(p.buildMillis() <= 500, "block " + p.number() + " built in " + p.buildMillis() + " ms");
                if (i > 0) {
                    long gap = p.builtAtMillis() - payloads.get(i - 1).builtAtMillis();
                    assertTrue(gap <= 1_500, "block " + p.number() + " came " + gap + " ms after the previous one: a slot was skipped");
                }
            }
            assertTrue(first < 2_000, "the deadline, not the pool, ended the first block: " + first + " of 2,000 pending");
            web3.shutdown();
        }
    }
}
