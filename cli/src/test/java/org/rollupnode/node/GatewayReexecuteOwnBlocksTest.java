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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;

/** --gateway.reexecute-own-blocks: the all-in-one gateway verifies its own sequencer's blocks by executing them again. */
class GatewayReexecuteOwnBlocksTest {
    @TempDir
    Path tmp;

    @Test
    void theGatewayReexecutesEveryBlockWhenAsked() throws Exception {
        String[] base = DevSequencerEndToEndTest.devArgs(tmp.resolve("n"));
        String[] extra = {"--metrics", "127.0.0.1:0", "--gateway.reexecute-own-blocks"};
        String[] args = java.util.Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        try (RunningNode node = Main.startNode(args)) {
            Web3j http = Web3j.build(new HttpService("http://127.0.0.1:" + node.httpPort()));
            String to = "0x" + "53".repeat(20);
            String hash = http.ethSendRawTransaction(DevSequencerEndToEndTest.signedTransfer(DevSequencerEndToEndTest.DEV0, 0, to,
                    BigInteger.valueOf(7))).send().getTransactionHash();
            TransactionReceipt r = DevSequencerEndToEndTest.awaitReceipt(http, hash, Duration.ofSeconds(10));
            assertEquals(BigInteger.valueOf(7), http.ethGetBalance(to, DefaultBlockParameterName.LATEST).send().getBalance());
            String scrape = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.metricsPort()
                    + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(GatewayApiTest.sampleWith(scrape, "gateway_blocks_imported_total{", "execution=\"reexecuted\"")
                    >= r.getBlockNumber().doubleValue(), "every block re-executed by the gateway\n" + scrape);
            assertEquals(0.0, GatewayApiTest.sampleWith(scrape, "gateway_blocks_imported_total{", "execution=\"reused\""),
                    "nothing taken from the sequencer");
        }
    }
}
