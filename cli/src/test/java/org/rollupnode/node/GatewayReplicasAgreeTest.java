package org.rollupnode.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.ContractUtils;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/**
 * Two rpc-gateway replicas (separate `rollup-node rpc-gateway` services, each folding
 * `signed-blocks` on its own) against one broker answer identically, compared as JSON trees: every
 * block in full, every receipt and transaction, account state at every height for a sample of
 * accounts, ERC-20 storage and eth_call, logs, fee history and the pool, after load with transfers
 * and a contract submitted through both replicas.
 */
class GatewayReplicasAgreeTest {
    static final String SIGNER = "0x5dacf18b826a8697f4a7ecb7bcb5effd3e0cbf3c";

    @TempDir
    Path tmp;

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private int compared;

    JsonNode rpc(int port, String method, Object... params) throws Exception {
        ObjectNode req = json.createObjectNode().put("jsonrpc", "2.0").put("id", 7).put("method", method);
        req.set("params", json.valueToTree(List.of(params)));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(req))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return json.readTree(r.body());
    }

    /** The same request to both replicas; the whole responses must be equal JSON trees and carry a result. */
    JsonNode same(int a, int b, String method, Object... params) throws Exception {
        JsonNode ra = rpc(a, method, params);
        JsonNode rb = rpc(b, method, params);
        assertEquals(ra, rb, () -> method + " " + List.of(params) + " differs:\nreplica A: " + ra + "\nreplica B: " + rb);
        assertFalse(ra.has("error"), () -> method + " " + List.of(params) + " failed: " + ra);
        compared++;
        return ra.get("result");
    }

    static String raw(Credentials from, long nonce, String to, BigInteger value, String data, long gas) {
        return Numeric.toHexString(org.web3j.crypto.TransactionEncoder.signMessage(org.web3j.crypto.RawTransaction.createTransaction(1337,
                BigInteger.valueOf(nonce), BigInteger.valueOf(gas), to, value, data, BigInteger.valueOf(1_000),
                BigInteger.valueOf(2_000_000_000L)), from));
    }

    @Test
    void twoReplicasAnswerEveryMethodIdentically() throws Exception {
        Credentials dev0 = DevSequencerEndToEndTest.DEV0;
        Credentials dev1 = DevSequencerEndToEndTest.DEV1;
        Credentials dev2 = DistributedDeploymentTest.SENDERS.get(0);
        List<String> recipients = List.of("0x" + "ab".repeat(20), "0x" + "cd".repeat(20), "0x" + "ef".repeat(20));
        String deployData = Solc.bytecode("TestToken.sol", "TestToken") + FunctionEncoder.encodeConstructor(List.of(new Uint256(1_000_000)));
        String token = ContractUtils.generateContractAddress(dev0.getAddress(), BigInteger.ZERO);
        try (RunningNode node = Main.startNode(DevSequencerEndToEndTest.devArgs(tmp.resolve("node")));
             RunningNode replicaA = Main.startService("rpc-gateway", replicaArgs(node, "a"));
             RunningNode replicaB = Main.startService("rpc-gateway", replicaArgs(node, "b"))) {
            int a = replicaA.httpPort();
            int b = replicaB.httpPort();
            Web3j web3a = Web3j.build(new HttpService("http://127.0.0.1:" + a));
            Web3j web3b = Web3j.build(new HttpService("http://127.0.0.1:" + b));
            List<String> hashes = new ArrayList<>();
            hashes.add(web3a.ethSendRawTransaction(raw(dev0, 0, "", BigInteger.ZERO, deployData, 1_500_000)).send().getTransactionHash());
            for (int wave = 0; wave < 3; wave++) {
                Web3j via = wave % 2 == 0 ? web3a : web3b; // both replicas accept into the same topic
                for (int i = 0; i < recipients.size(); i++) {
                    Function transfer = new Function("transfer", List.of(new Address(recipients.get(i)), new Uint256(10 * wave + i + 1)), List.of());
                    long nonce = 1 + wave * recipients.size() + i;
                    hashes.add(send(via, raw(dev0, nonce, token, BigInteger.ZERO, FunctionEncoder.encode(transfer), 100_000)));
                    hashes.add(send(via, raw(dev1, wave * recipients.size() + i, recipients.get(i), BigInteger.valueOf(1_000 + wave), "", 21_000)));
                    hashes.add(send(via, raw(dev2, wave * recipients.size() + i, recipients.get((i + 1) % 3), BigInteger.TEN.pow(15), "", 21_000)));
                }
                for (String h : hashes) {
                    assertTrue(DevSequencerEndToEndTest.awaitReceipt(via, h, Duration.ofSeconds(30)).isStatusOK(), h);
                }
            }
            // A transaction with a nonce gap stays queued: the pool views must agree on it too.
            send(web3b, raw(dev1, 100, recipients.get(0), BigInteger.ONE, "", 21_000));

            long head = awaitSameHead(a, b);
            assertTrue(head >= 3, "load spread over several blocks: " + head);
            Set<String> txs = new LinkedHashSet<>();
            for (long n = 0; n <= head; n++) {
                JsonNode block = same(a, b, "eth_getBlockByNumber", hex(n), true);
                assertEquals(hex(n), block.get("number").asText());
                same(a, b, "eth_getBlockByNumber", hex(n), false);
                same(a, b, "eth_getBlockByHash", block.get("hash").asText(), true);
                same(a, b, "eth_getBlockReceipts", hex(n));
                for (JsonNode tx : block.get("transactions")) {
                    txs.add(tx.get("hash").asText());
                }
            }
            assertTrue(txs.containsAll(hashes), "every load transaction is in a served block");
            for (String h : txs) {
                JsonNode receipt = same(a, b, "eth_getTransactionReceipt", h);
                assertEquals("0x1", receipt.get("status").asText(), receipt.toString());
                same(a, b, "eth_getTransactionByHash", h);
            }
            List<String> accounts = new ArrayList<>(List.of(dev0.getAddress(), dev1.getAddress(), dev2.getAddress(), token,
                    "0x5300000000000000000000000000000000000005", "0x" + "77".repeat(20)));
            accounts.addAll(recipients);
            List<String> tags = new ArrayList<>(List.of("latest", "earliest", "pending", "safe", "finalized"));
            for (long n = 0; n <= head; n++) {
                tags.add(hex(n));
            }
            Function totalSupply = new Function("totalSupply", List.of(), List.of(new TypeReference<Uint256>() {}));
            for (String tag : tags) {
                for (String acct : accounts) {
                    same(a, b, "eth_getBalance", acct, tag);
                    same(a, b, "eth_getTransactionCount", acct, tag);
                    same(a, b, "eth_getCode", acct, tag);
                    Function balanceOf = new Function("balanceOf", List.of(new Address(acct)), List.of(new TypeReference<Uint256>() {}));
                    same(a, b, "eth_call", java.util.Map.of("from", dev0.getAddress(), "to", token, "data", FunctionEncoder.encode(balanceOf)), tag);
                    String slot = Numeric.toHexString(Hash.sha3(Numeric.hexStringToByteArray(
                            Numeric.toHexStringNoPrefixZeroPadded(Numeric.toBigInt(acct), 64) + "0".repeat(64))));
                    same(a, b, "eth_getStorageAt", token, slot, tag);
                }
                same(a, b, "eth_getStorageAt", token, "0x1", tag);
                same(a, b, "eth_call", java.util.Map.of("to", token, "data", FunctionEncoder.encode(totalSupply)), tag);
            }
            JsonNode latestSupply = same(a, b, "eth_call", java.util.Map.of("to", token, "data", FunctionEncoder.encode(totalSupply)), "latest");
            assertEquals(BigInteger.valueOf(1_000_000), Numeric.toBigInt(latestSupply.asText()), "the token is really there");

            String transferTopic = EventEncoder.encode(ContractsEndToEndTest.TRANSFER);
            JsonNode logs = same(a, b, "eth_getLogs", java.util.Map.of("fromBlock", "0x0", "toBlock", "latest"));
            assertEquals(10, logs.size(), "mint and nine transfers: " + logs);
            same(a, b, "eth_getLogs", java.util.Map.of("fromBlock", "earliest", "toBlock", hex(head), "address", token,
                    "topics", List.of(transferTopic)));
            same(a, b, "eth_getLogs", java.util.Map.of("fromBlock", "0x0", "toBlock", "latest", "topics",
                    List.of(transferTopic, Numeric.toHexStringWithPrefixZeroPadded(Numeric.toBigInt(dev0.getAddress()), 64))));
            for (long n = 1; n <= head; n++) {
                JsonNode blockHash = rpc(a, "eth_getBlockByNumber", hex(n), false).get("result").get("hash");
                same(a, b, "eth_getLogs", java.util.Map.of("blockHash", blockHash.asText()));
            }
            same(a, b, "eth_feeHistory", hex(head + 1), "latest", List.of(10, 50, 90));
            same(a, b, "eth_feeHistory", "0x2", hex(head), List.of());
            same(a, b, "eth_blockNumber");
            same(a, b, "eth_gasPrice");
            same(a, b, "eth_chainId");
            JsonNode pool = awaitSame(a, b, "txpool_status");
            assertEquals("0x1", pool.get("queued").asText(), pool.toString());
            assertEquals("0x0", pool.get("pending").asText(), pool.toString());
            same(a, b, "txpool_content");
            same(a, b, "eth_getTransactionCount", dev1.getAddress(), "pending");
            System.out.println("GatewayReplicasAgreeTest: " + compared + " identical responses over " + (head + 1) + " blocks and "
                    + txs.size() + " transactions");
            web3a.shutdown();
            web3b.shutdown();
        }
    }

    private static String send(Web3j via, String raw) throws Exception {
        var r = via.ethSendRawTransaction(raw).send();
        assertTrue(r.getError() == null, () -> r.getError().getMessage());
        return r.getTransactionHash();
    }

    static String hex(long n) {
        return "0x" + Long.toHexString(n);
    }

    private String[] replicaArgs(RunningNode node, String name) {
        return new String[] {"--kafka.bootstrap-servers", node.bootstrapServers(), "--chain", "dev", "--datadir",
            tmp.resolve(name).toString(), "--http.addr", "127.0.0.1", "--http.port", "0", "--http.api", "eth,net,web3,txpool",
            "--gateway.id", "replica-" + name, "--consensus.authorized-signer", SIGNER};
    }

    /** Both replicas at one head with one hash (each folds on its own; no empty blocks follow the load). */
    private long awaitSameHead(int a, int b) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            JsonNode ha = rpc(a, "eth_getBlockByNumber", "latest", false).get("result");
            JsonNode hb = rpc(b, "eth_getBlockByNumber", "latest", false).get("result");
            if (ha.get("hash").equals(hb.get("hash"))) {
                return Numeric.toBigInt(ha.get("number").asText()).longValue();
            }
            assertTrue(System.nanoTime() < deadline, "replicas never reached one head: " + ha + " / " + hb);
            Thread.sleep(50);
        }
    }

    /** The pool is folded from pending-transactions by each replica on its own: wait until both have the last one. */
    private JsonNode awaitSame(int a, int b, String method) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            JsonNode ra = rpc(a, method).get("result");
            JsonNode rb = rpc(b, method).get("result");
            if (ra.equals(rb) && "0x1".equals(ra.path("queued").asText())) {
                return same(a, b, method);
            }
            assertTrue(System.nanoTime() < deadline, method + " never agreed: " + ra + " / " + rb);
            Thread.sleep(50);
        }
    }
}
