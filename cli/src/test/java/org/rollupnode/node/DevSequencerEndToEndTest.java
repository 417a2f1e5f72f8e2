package org.rollupnode.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;
import org.web3j.rlp.RlpEncoder;
import org.web3j.rlp.RlpList;
import org.web3j.rlp.RlpString;
import org.web3j.rlp.RlpType;
import org.web3j.utils.Numeric;

/**
 * The walking skeleton through its real entry point: {@code node --chain dev --test} in this JVM
 * with its embedded KRaft broker, driven by web3j exactly as a wallet would. Expected values come
 * from web3j's own encoders and the well-known Hardhat dev keys, never from the code under test.
 */
class DevSequencerEndToEndTest {
    /** Hardhat/anvil dev account #0 of "test test ... junk" (public knowledge, independent of our derivation). */
    static final Credentials DEV0 = Credentials.create("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
    static final Credentials DEV1 = Credentials.create("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
    static final BigInteger GENESIS_BALANCE = new BigInteger("D3C21BCECCEDA1000000", 16);
    static final BigInteger ONE_ETH = BigInteger.TEN.pow(18);

    @TempDir
    Path tmp;

    static String[] devArgs(Path datadir) {
        return new String[] {"--chain", "dev", "--datadir", datadir.toString(), "--test", "--sequencer.enabled",
            "--sequencer.auto-start", "--sequencer.block-time", "1000", "--http", "--http.addr", "127.0.0.1", "--http.port", "0",
            "--http.api", "eth,net,web3,txpool,rollupNode,rollupNodeAdmin"};
    }

    static String signedTransfer(Credentials from, long nonce, String to, BigInteger value) {
        RawTransaction tx = RawTransaction.createTransaction(1337, BigInteger.valueOf(nonce), BigInteger.valueOf(21_000), to, value,
                "", BigInteger.valueOf(1_000), BigInteger.valueOf(2_000_000_000L));
        return Numeric.toHexString(TransactionEncoder.signMessage(tx, from));
    }

    static TransactionReceipt awaitReceipt(Web3j web3, String hash, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<TransactionReceipt> r = web3.ethGetTransactionReceipt(hash).send().getTransactionReceipt();
            if (r.isPresent()) {
                return r.get();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no receipt for " + hash + " within " + timeout);
    }

    /** keccak(rlp(header)) computed with web3j's RLP encoder from the JSON fields, Scroll/London layout. */
    static String independentHeaderHash(EthBlock.Block b) {
        List<RlpType> f = new ArrayList<>();
        f.add(RlpString.create(Numeric.hexStringToByteArray(b.getParentHash())));
        f.add(RlpString.create(Numeric.hexStringToByteArray(b.getSha3Uncles())));
        f.add(RlpString.create(Numeric.hexStringToByteArray(b.getMiner())));
        f.add(RlpString.create(Numeric.hexStringToByteArray(b.getStateRoot())));
        f.add(RlpString.create(Numeric.hexStringToByteArray(b.getTransactionsRoot())));
        f.add(RlpString.create(Numeric.hexStringToByteArray(b.getReceiptsRoot())));
        f.add(RlpString.create(Numeric.hexStringToByteArray(b.getLogsBloom())));
        f.add(RlpString.create(b.getDifficulty()));
        f.add(RlpString.create(b.getNumber()));
        f.add(RlpString.create(b.getGasLimit()));
        f.add(RlpString.create(b.getGasUsed()));
        f.add(RlpString.create(b.getTimestamp()));
        f.add(RlpString.create(Numeric.hexStringToByteArray(b.getExtraData())));
        f.add(RlpString.create(Numeric.hexStringToByteArray(b.getMixHash())));
        f.add(RlpString.create(Numeric.hexStringToByteArray(b.getNonceRaw())));
        f.add(RlpString.create(b.getBaseFeePerGas()));
        return Hash.sha3(Numeric.toHexString(RlpEncoder.encode(new RlpList(f))));
    }

    /** Root of a trie holding one value under key rlp(0) = 0x80: a single leaf node. */
    static String singleEntryOrderedRoot(byte[] value) {
        byte[] leaf = RlpEncoder.encode(new RlpList(RlpString.create(new byte[] {0x20, (byte) 0x80}), RlpString.create(value)));
        return Hash.sha3(Numeric.toHexString(leaf));
    }

    @Test
    void aTransferGoesThroughKafkaIntoASignedBlockAndSurvivesARestart() throws Exception {
        Path datadir = tmp.resolve("sequencer");
        String recipient = "0x" + "7e57".repeat(10);
        long firstBlock;
        String firstHash;
        String queuedHash;
        java.io.ByteArrayOutputStream logs = new java.io.ByteArrayOutputStream();
        java.io.PrintStream originalErr = System.err;
        System.setErr(new java.io.PrintStream(new Tee(originalErr, logs), true));
        try (RunningNode node = Main.startNode(devArgs(datadir))) {
            HttpService http = new HttpService("http://127.0.0.1:" + node.httpPort());
            Web3j web3 = Web3j.build(http);
            assertEquals(1337L, web3.ethChainId().send().getChainId().longValue());
            assertEquals("1337", web3.netVersion().send().getNetVersion());
            assertEquals(0L, web3.ethBlockNumber().send().getBlockNumber().longValue(), "no empty blocks without transactions");

            String raw = signedTransfer(DEV0, 0, recipient, ONE_ETH);
            EthSendTransaction sent = web3.ethSendRawTransaction(raw).send();
            assertEquals(null, sent.getError(), () -> sent.getError().getMessage());
            assertEquals(Hash.sha3(raw), sent.getTransactionHash());

            long t0 = System.nanoTime();
            TransactionReceipt receipt = awaitReceipt(web3, sent.getTransactionHash(), Duration.ofSeconds(10));
            long latencyMs = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(latencyMs < 3_000, "receipt within about one block time, took " + latencyMs + " ms");
            assertTrue(receipt.isStatusOK());
            assertEquals(21_000L, receipt.getGasUsed().longValue());
            assertEquals(DEV0.getAddress(), receipt.getFrom());

            EthBlock.Block block = web3.ethGetBlockByNumber(DefaultBlockParameter.valueOf(receipt.getBlockNumber()), true).send().getBlock();
            assertEquals(receipt.getBlockHash(), block.getHash());
            BigInteger baseFee = block.getBaseFeePerGas();
            BigInteger expectedPrice = baseFee.add(BigInteger.valueOf(1_000)).min(BigInteger.valueOf(2_000_000_000L));
            assertEquals(expectedPrice, Numeric.decodeQuantity(receipt.getEffectiveGasPrice()));
            assertEquals(1, block.getTransactions().size());
            assertEquals(sent.getTransactionHash(), ((EthBlock.TransactionObject) block.getTransactions().get(0)).getHash());
            assertEquals(independentHeaderHash(block), block.getHash(), "block hash is keccak of the header RLP");
            assertEquals(singleEntryOrderedRoot(Numeric.hexStringToByteArray(raw)), block.getTransactionsRoot());
            byte[] receiptRlp = RlpEncoder.encode(new RlpList(RlpString.create(1), RlpString.create(21_000),
                    RlpString.create(new byte[256]), new RlpList()));
            byte[] typedReceipt = new byte[receiptRlp.length + 1];
            typedReceipt[0] = 2;
            System.arraycopy(receiptRlp, 0, typedReceipt, 1, receiptRlp.length);
            assertEquals(singleEntryOrderedRoot(typedReceipt), block.getReceiptsRoot());
            assertEquals("0x" + "00".repeat(256), block.getLogsBloom());
            EthBlock.Block parent = web3.ethGetBlockByNumber(DefaultBlockParameter.valueOf(receipt.getBlockNumber().subtract(BigInteger.ONE)), false).send().getBlock();
            assertEquals(parent.getHash(), block.getParentHash());
            assertTrue(!block.getStateRoot().equals(parent.getStateRoot()), "state root moves with the transfer");

            assertEquals(ONE_ETH, web3.ethGetBalance(recipient, DefaultBlockParameterName.LATEST).send().getBalance());
            // Scroll charges an L1 data fee on top (from the L1GasPriceOracle slots), reported on the receipt.
            java.util.Map<?, ?> rawReceipt = (java.util.Map<?, ?>) new Request<>("eth_getTransactionReceipt", List.of(sent.getTransactionHash()),
                    http, RawResponse.class).send().getResult();
            BigInteger l1Fee = Numeric.decodeQuantity((String) rawReceipt.get("l1Fee"));
            assertTrue(l1Fee.signum() > 0, "the dev oracle makes the L1 data fee positive");
            BigInteger fee = expectedPrice.multiply(BigInteger.valueOf(21_000)).add(l1Fee);
            assertEquals(GENESIS_BALANCE.subtract(ONE_ETH).subtract(fee),
                    web3.ethGetBalance(DEV0.getAddress(), DefaultBlockParameterName.LATEST).send().getBalance());
            assertEquals(fee, web3.ethGetBalance("0x5300000000000000000000000000000000000005", DefaultBlockParameterName.LATEST)
                    .send().getBalance(), "Scroll pays the whole fee, base fee included, to the fee vault");
            assertEquals(BigInteger.ONE, web3.ethGetTransactionCount(DEV0.getAddress(), DefaultBlockParameterName.LATEST).send().getTransactionCount());

            // Rejections are specific JSON-RPC errors and nothing reaches Kafka.
            assertError(web3.ethSendRawTransaction(raw).send(), "already known");
            assertError(web3.ethSendRawTransaction(signedTransfer(DEV0, 0, recipient, BigInteger.ONE)).send(), "nonce too low");
            assertError(web3.ethSendRawTransaction("0x02deadbeef").send(), "");
            RawTransaction otherChain = RawTransaction.createTransaction(1, BigInteger.ONE, BigInteger.valueOf(21_000), recipient,
                    BigInteger.ONE, "", BigInteger.ONE, BigInteger.valueOf(2_000_000_000L));
            assertError(web3.ethSendRawTransaction(Numeric.toHexString(TransactionEncoder.signMessage(otherChain, DEV0))).send(), "chain id mismatch");

            // A second transfer: the chain grows, block numbers increase.
            String second = web3.ethSendRawTransaction(signedTransfer(DEV0, 1, recipient, ONE_ETH)).send().getTransactionHash();
            TransactionReceipt r2 = awaitReceipt(web3, second, Duration.ofSeconds(10));
            assertTrue(r2.getBlockNumber().compareTo(receipt.getBlockNumber()) > 0);
            firstBlock = web3.ethBlockNumber().send().getBlockNumber().longValue();
            firstHash = web3.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false).send().getBlock().getHash();

            // A second gateway replica as its own service against the same broker serves the same chain
            // and its accepted transactions reach the same sequencer.
            try (RunningNode replica = Main.startService("rpc-gateway", "--kafka.bootstrap-servers", node.bootstrapServers(),
                    "--chain", "dev", "--datadir", tmp.resolve("gw2").toString(), "--http.port", "0",
                    "--consensus.authorized-signer", "0x5dacf18b826a8697f4a7ecb7bcb5effd3e0cbf3c")) {
                Web3j web3b = Web3j.build(new HttpService("http://127.0.0.1:" + replica.httpPort()));
                assertEquals(firstHash, web3b.ethGetBlockByNumber(DefaultBlockParameter.valueOf(BigInteger.valueOf(firstBlock)), false)
                        .send().getBlock().getHash());
                String viaReplica = web3b.ethSendRawTransaction(signedTransfer(DEV0, 2, recipient, ONE_ETH)).send().getTransactionHash();
                TransactionReceipt r3 = awaitReceipt(web3, viaReplica, Duration.ofSeconds(10));
                assertEquals(r3.getBlockHash(), awaitReceipt(web3b, viaReplica, Duration.ofSeconds(10)).getBlockHash());
                web3b.shutdown();
            }
            firstBlock = web3.ethBlockNumber().send().getBlockNumber().longValue();
            firstHash = web3.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false).send().getBlock().getHash();

            // Accepted while sequencing is off, then the process stops: it must not be lost.
            assertEquals(Boolean.TRUE, call(http, "rollupNodeAdmin_disableAutomaticSequencing").getResult());
            Thread.sleep(1_500);
            queuedHash = web3.ethSendRawTransaction(signedTransfer(DEV1, 0, recipient, ONE_ETH)).send().getTransactionHash();
            assertNotNull(queuedHash);
            Thread.sleep(1_500);
            assertTrue(web3.ethGetTransactionReceipt(queuedHash).send().getTransactionReceipt().isEmpty(), "sequencing is disabled");
            assertEquals(firstBlock, web3.ethBlockNumber().send().getBlockNumber().longValue());
            web3.shutdown();
        } finally {
            System.setErr(originalErr);
        }
        String log = logs.toString();
        // The guide's expected log patterns, under its targets.
        assertTrue(log.contains("rollup_node::sequencer - Built payload with id"), "Built payload");
        assertTrue(log.contains("rollup_node::signer - Signed block"), "Signed block");
        assertTrue(log.contains("rollup_node::signer - Broadcast block"), "Broadcast block");
        assertTrue(log.contains("Automatic sequencing disabled"), "admin action logged");

        try (RunningNode node = Main.startNode(devArgs(datadir))) {
            Web3j web3 = Web3j.build(new HttpService("http://127.0.0.1:" + node.httpPort()));
            EthBlock.Block head = web3.ethGetBlockByNumber(DefaultBlockParameter.valueOf(BigInteger.valueOf(firstBlock)), false).send().getBlock();
            assertEquals(firstHash, head.getHash(), "the chain continues from the same head");
            Thread.sleep(2_000);
            assertTrue(web3.ethGetTransactionReceipt(queuedHash).send().getTransactionReceipt().isEmpty(),
                    "the admin's disable survives a restart, even with --sequencer.auto-start");
            HttpService http2 = new HttpService("http://127.0.0.1:" + node.httpPort());
            assertEquals(Boolean.TRUE, call(http2, "rollupNodeAdmin_enableAutomaticSequencing").getResult());
            TransactionReceipt queued = awaitReceipt(web3, queuedHash, Duration.ofSeconds(10));
            assertEquals(firstBlock + 1, queued.getBlockNumber().longValue(), "next height, none produced twice");
            EthBlock.Block next = web3.ethGetBlockByNumber(DefaultBlockParameter.valueOf(queued.getBlockNumber()), false).send().getBlock();
            assertEquals(firstHash, next.getParentHash());
            assertEquals(ONE_ETH.multiply(BigInteger.valueOf(4)), web3.ethGetBalance(recipient, DefaultBlockParameterName.LATEST).send().getBalance());
            web3.shutdown();
        }
    }

    static void assertError(Response<?> r, String messagePart) {
        assertNotNull(r.getError(), "expected an error containing '" + messagePart + "'");
        assertTrue(r.getError().getMessage().contains(messagePart), r.getError().getMessage());
    }

    static Response<Object> call(HttpService http, String method) throws Exception {
        return new Request<>(method, List.of(), http, RawResponse.class).send();
    }

    public static final class RawResponse extends Response<Object> {}

    /** Copies the log output to a buffer while still printing it. */
    static final class Tee extends java.io.OutputStream {
        private final java.io.OutputStream a;
        private final java.io.OutputStream b;

        Tee(java.io.OutputStream a, java.io.OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public synchronized void write(int x) throws java.io.IOException {
            a.write(x);
            b.write(x);
        }

        @Override
        public synchronized void write(byte[] buf, int off, int len) throws java.io.IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }
    }
}
