package org.rollupnode.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/** The mempool as clients see it: txpool views, pending nonces, replacement outcomes, admin control. */
class TxpoolAndControlTest {
    static final Credentials DEV2 = Credentials.create("0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a");

    @TempDir
    Path tmp;

    static String transfer(long nonce, long tip, long maxFee) {
        RawTransaction tx = RawTransaction.createTransaction(1337, BigInteger.valueOf(nonce), BigInteger.valueOf(21_000),
                "0x" + "ab".repeat(20), BigInteger.TEN, "", BigInteger.valueOf(tip), BigInteger.valueOf(maxFee));
        return Numeric.toHexString(TransactionEncoder.signMessage(tx, DEV2));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> call(HttpService http, String method, Object... params) throws Exception {
        Object r = new Request<>(method, List.of(params), http, DevSequencerEndToEndTest.RawResponse.class).send().getResult();
        return r instanceof Map ? (Map<String, Object>) r : Map.of("result", r);
    }

    static Map<String, Object> awaitStatus(HttpService http, String hash, String status) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        Map<String, Object> s = Map.of();
        while (System.nanoTime() < deadline) {
            s = call(http, "rollupNode_transactionStatus", hash);
            if (status.equals(s.get("status"))) {
                return s;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("status of " + hash + " is " + s + ", expected " + status);
    }

    @Test
    void poolViewsReplacementOutcomesAndAdminControl() throws Exception {
        List<String> args = new ArrayList<>(List.of(DevSequencerEndToEndTest.devArgs(tmp.resolve("n"))));
        args.remove("--sequencer.auto-start"); // sequencing starts only when an operator asks
        try (RunningNode node = Main.startNode(args.toArray(new String[0]))) {
            HttpService http = new HttpService("http://127.0.0.1:" + node.httpPort());
            Web3j web3 = Web3j.build(http);
            String first = web3.ethSendRawTransaction(transfer(0, 1_000, 2_000_000_000L)).send().getTransactionHash();
            String gapped = web3.ethSendRawTransaction(transfer(2, 1_000, 2_000_000_000L)).send().getTransactionHash();
            assertEquals("pending", awaitStatus(http, first, "pending").get("status"));
            assertEquals("queued", awaitStatus(http, gapped, "queued").get("status"));
            assertEquals(Map.of("pending", "0x1", "queued", "0x1"), call(http, "txpool_status"));
            assertEquals(BigInteger.ONE, web3.ethGetTransactionCount(DEV2.getAddress(), DefaultBlockParameterName.PENDING).send().getTransactionCount());
            assertEquals(BigInteger.ZERO, web3.ethGetTransactionCount(DEV2.getAddress(), DefaultBlockParameterName.LATEST).send().getTransactionCount());
            @SuppressWarnings("unchecked")
            Map<String, Object> content = (Map<String, Object>) call(http, "txpool_content").get("queued");
            assertTrue(content.containsKey(DEV2.getAddress()), content.toString());

            // +5 % is not enough to replace; +10 % is. Both leave a recorded outcome.
            String underpriced = web3.ethSendRawTransaction(transfer(0, 1_050, 2_100_000_000L)).send().getTransactionHash();
            Map<String, Object> rejected = awaitStatus(http, underpriced, "rejected");
            assertTrue(rejected.get("reason").toString().contains("replacement transaction underpriced"), rejected.toString());
            String replacement = web3.ethSendRawTransaction(transfer(0, 1_100, 2_200_000_000L)).send().getTransactionHash();
            Map<String, Object> replaced = awaitStatus(http, first, "replaced");
            assertEquals(replacement, replaced.get("replacedBy"));

            Thread.sleep(1_500);
            assertEquals(BigInteger.ZERO, web3.ethBlockNumber().send().getBlockNumber(), "no blocks before enableAutomaticSequencing");
            assertEquals(Boolean.TRUE, call(http, "rollupNodeAdmin_enableAutomaticSequencing").get("result"));
            awaitStatus(http, replacement, "included");
            assertEquals("queued", call(http, "rollupNode_transactionStatus", gapped).get("status"), "the gap holds nonce 2 back");
            String filler = web3.ethSendRawTransaction(transfer(1, 1_000, 2_000_000_000L)).send().getTransactionHash();
            awaitStatus(http, filler, "included");
            awaitStatus(http, gapped, "included");
            assertEquals(Map.of("pending", "0x0", "queued", "0x0"), call(http, "txpool_status"));
            @SuppressWarnings("unchecked")
            Map<String, Object> seq = (Map<String, Object>) call(http, "rollupNode_status").get("sequencer");
            assertEquals("enabled", seq.get("automaticSequencing"));
            assertTrue(seq.get("leader").toString().startsWith("sequencer-"), seq.toString());
            assertEquals("unknown", call(http, "rollupNode_transactionStatus", "0x" + "00".repeat(32)).get("status"));
            web3.shutdown();
        }
    }
}
