package org.rollupnode.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.reactivex.disposables.Disposable;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.ContractUtils;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.response.EthSubscribe;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;
import org.web3j.protocol.websocket.WebSocketService;
import org.web3j.protocol.websocket.events.Notification;

/**
 * After a revert ({@code rollupNodeAdmin_revertToL1Block} against a real L1), a web3j WebSocket
 * client sees what it would see from geth after a reorg: the reverted blocks' logs again with
 * {@code removed: true} (oldest first) and the replacement heads from the fork point on; and the
 * gateway's pool shows the reverted L2 transactions as pending (txpool_content, the pending nonce)
 * until a block includes them again. Automatic sequencing is off across the revert so that the
 * pool can be looked at before the transactions are re-included.
 */
class RevertWebSocketAndPoolTest {
    private static final BigInteger ETH = L1InclusionTest.ETH;
    private static final String RECIPIENT = L1InclusionTest.RECIPIENT;

    @TempDir
    Path tmp;

    /** A logs notification as raw JSON, to see {@code removed} (web3j's typed log has no such field). */
    public static final class RawLogNotification extends Notification<Map<String, Object>> {}

    private static String sign(long nonce, String to, String data, long gas) {
        org.web3j.crypto.RawTransaction tx = org.web3j.crypto.RawTransaction.createTransaction(1337, BigInteger.valueOf(nonce),
                BigInteger.valueOf(gas), to, BigInteger.ZERO, data, BigInteger.valueOf(1_000), BigInteger.valueOf(2_000_000_000L));
        return org.web3j.utils.Numeric.toHexString(org.web3j.crypto.TransactionEncoder.signMessage(tx, DevSequencerEndToEndTest.DEV1));
    }

    @Test
    void afterARevertSubscribersGetRemovedLogsAndReplacementHeadsAndThePoolHoldsTheRevertedTransactions() throws Exception {
        L1Anvil l1 = L1Anvil.start();
        // Dev account 1: account 0 sends the L1 messages, which use its L2 nonces.
        String owner = DevSequencerEndToEndTest.DEV1.getAddress();
        try {
            l1.enqueue(RECIPIENT, ETH, 100_000, new byte[0]); // queue index 0, L1 block 2
            l1.enqueue(RECIPIENT, ETH, 100_000, new byte[0]); // queue index 1, L1 block 3
            l1.mine(1);
            List<String> args = new ArrayList<>(List.of(L1InclusionTest.args(tmp.resolve("n"), l1, "depth:1", null)));
            args.addAll(List.of("--ws", "--ws.addr", "127.0.0.1", "--ws.port", "0", "--ws.api", "eth,net,web3"));
            try (RunningNode node = Main.startNode(args.toArray(String[]::new))) {
                int port = node.httpPort();
                Web3j http = Web3j.build(new HttpService("http://127.0.0.1:" + port));
                WebSocketService wsService = new WebSocketService("ws://127.0.0.1:" + node.gateway().webSocketPort(), false);
                wsService.connect();
                Web3j ws = Web3j.build(wsService);
                String h1 = L1InclusionTest.l1MessageHash(1, 100_000, RECIPIENT, ETH, new byte[0]);
                long b1 = DevSequencerEndToEndTest.awaitReceipt(http, h1, Duration.ofSeconds(40)).getBlockNumber().longValueExact();

                String token = ContractUtils.generateContractAddress(owner, BigInteger.ZERO);
                List<Map<String, Object>> logs = new CopyOnWriteArrayList<>();
                List<String[]> heads = new CopyOnWriteArrayList<>(); // {number, hash}
                Disposable logSub = wsService.subscribe(new Request<>("eth_subscribe", List.of("logs", Map.of("address", token)), wsService,
                        EthSubscribe.class), "eth_unsubscribe", RawLogNotification.class).subscribe(n -> logs.add(n.getParams().getResult()));
                Disposable headSub = ws.newHeadsNotifications().subscribe(n -> heads.add(new String[] {
                        Long.toString(Long.decode(n.getParams().getResult().getNumber())), n.getParams().getResult().getHash()}));

                // Two L2 transactions with logs above block b1 (which holds L1 message 1): a deployment and a transfer.
                String deployData = Solc.bytecode("TestToken.sol", "TestToken") + FunctionEncoder.encodeConstructor(List.of(new Uint256(1_000)));
                var deploySent = http.ethSendRawTransaction(sign(0, "", deployData, 1_000_000)).send();
                assertEquals(null, deploySent.getError(), () -> deploySent.getError().getMessage());
                TransactionReceipt deployed = DevSequencerEndToEndTest.awaitReceipt(http, deploySent.getTransactionHash(), Duration.ofSeconds(20));
                String transferData = FunctionEncoder.encode(new Function("transfer", List.of(new Address(RECIPIENT), new Uint256(7)), List.of()));
                TransactionReceipt transferred = DevSequencerEndToEndTest.awaitReceipt(http, http.ethSendRawTransaction(
                        sign(1, token, transferData, 100_000)).send().getTransactionHash(), Duration.ofSeconds(20));
                assertTrue(deployed.getBlockNumber().longValueExact() > b1 && transferred.getBlockNumber().longValueExact() > b1);
                L1InclusionTest.await("both logs over WebSocket", Duration.ofSeconds(10), () -> logs.size(), n -> n >= 2);
                long oldHead = http.ethBlockNumber().send().getBlockNumber().longValueExact();
                String oldHashB1 = http.ethGetBlockByNumber(DefaultBlockParameter.valueOf(BigInteger.valueOf(b1)), false).send().getBlock().getHash();

                assertTrue(L1InclusionTest.rpc(port, "rollupNodeAdmin_disableAutomaticSequencing").asBoolean());
                assertTrue(L1InclusionTest.rpc(port, "rollupNodeAdmin_revertToL1Block", 2).asBoolean());
                JsonNode revert = L1InclusionTest.await("the gateway to apply the revert", Duration.ofSeconds(30),
                        () -> L1InclusionTest.rpc(port, "rollupNode_status").path("lastRevert"), r -> r.has("revertToNumber"));
                assertEquals(b1 - 1, revert.path("revertToNumber").asLong(), revert.toString());
                int headsAtRevert = heads.size();

                // The removed logs, oldest first, each with removed: true.
                L1InclusionTest.await("the removed logs", Duration.ofSeconds(10), () -> logs.size(), n -> n >= 4);
                assertEquals(List.of(false, false, true, true), logs.stream().map(l -> l.get("removed")).toList(), logs.toString());
                assertEquals(List.of(deployed.getTransactionHash(), transferred.getTransactionHash()),
                        logs.subList(2, 4).stream().map(l -> l.get("transactionHash")).toList());
                assertEquals(logs.subList(0, 2).stream().map(l -> l.get("blockHash")).toList(),
                        logs.subList(2, 4).stream().map(l -> l.get("blockHash")).toList(), "the same logs, as they were");

                // The pool holds the reverted L2 transactions again; the latest nonce went back with the chain.
                assertEquals(BigInteger.ZERO, http.ethGetTransactionCount(owner, DefaultBlockParameterName.LATEST).send().getTransactionCount());
                assertEquals(BigInteger.TWO, http.ethGetTransactionCount(owner, DefaultBlockParameterName.PENDING).send().getTransactionCount());
                JsonNode content = L1InclusionTest.rpc(port, "txpool_content").path("pending");
                JsonNode mine = content.path(owner.toLowerCase());
                if (mine.isMissingNode()) {
                    mine = content.path(org.web3j.crypto.Keys.toChecksumAddress(owner));
                }
                assertTrue(mine.has("0") && mine.has("1"), "both reverted transactions are pending: " + content);
                assertEquals(transferred.getTransactionHash(), mine.path("1").path("hash").asText());
                assertTrue(L1InclusionTest.receipt(http, transferred.getTransactionHash()).isEmpty(), "no receipt while reverted");

                // Sequencing on again: both are included again, the pool empties, newHeads announces the new chain from b1 on.
                assertTrue(L1InclusionTest.rpc(port, "rollupNodeAdmin_enableAutomaticSequencing").asBoolean());
                TransactionReceipt again = DevSequencerEndToEndTest.awaitReceipt(http, transferred.getTransactionHash(), Duration.ofSeconds(30));
                assertTrue(again.getBlockNumber().longValueExact() >= b1);
                assertEquals(BigInteger.TWO, http.ethGetTransactionCount(owner, DefaultBlockParameterName.LATEST).send().getTransactionCount());
                assertEquals(BigInteger.TWO, http.ethGetTransactionCount(owner, DefaultBlockParameterName.PENDING).send().getTransactionCount());
                JsonNode after = L1InclusionTest.rpc(port, "txpool_content").path("pending");
                assertTrue(after.path(owner.toLowerCase()).isMissingNode() || after.path(owner.toLowerCase()).isEmpty(), after.toString());
                long newTip = again.getBlockNumber().longValueExact();
                L1InclusionTest.await("newHeads up to the re-included transfer", Duration.ofSeconds(10), () -> heads.size(),
                        n -> n > headsAtRevert && Long.parseLong(heads.get(n - 1)[0]) >= newTip);
                List<String[]> replacement = heads.subList(headsAtRevert, heads.size());
                assertEquals(b1, Long.parseLong(replacement.get(0)[0]), "the first replacement head is at the fork point + 1");
                assertNotEquals(oldHashB1, replacement.get(0)[1]);
                for (int i = 0; i < replacement.size(); i++) {
                    long n = Long.parseLong(replacement.get(i)[0]);
                    assertEquals(b1 + i, n, "consecutive heads");
                    assertEquals(http.ethGetBlockByNumber(DefaultBlockParameter.valueOf(BigInteger.valueOf(n)), false).send().getBlock().getHash(),
                            replacement.get(i)[1], "head " + n + " is the new chain's");
                }
                assertTrue(oldHead >= b1);
                logSub.dispose();
                headSub.dispose();
                wsService.close();
                http.shutdown();
            }
        } finally {
            l1.close();
        }
    }
}
