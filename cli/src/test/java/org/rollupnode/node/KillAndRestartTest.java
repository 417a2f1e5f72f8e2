package org.rollupnode.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * The node as a child JVM, killed with SIGKILL (no shutdown hook, no clean broker stop) and started
 * again on the same --datadir: same head, nothing accepted lost, no height produced twice.
 */
class KillAndRestartTest {
    @TempDir
    Path tmp;


    @Test
    void sigkillLosesNothingAndTheChainContinues() throws Exception {
        Path datadir = tmp.resolve("node");
        Path log = tmp.resolve("node.log");
        String recipient = "0x" + "b0b0".repeat(10);
        int port = ChildNode.freePort();
        Process first = ChildNode.start(datadir, port, log);
        String lastHash;
        long lastNumber;
        List<String> accepted = new ArrayList<>();
        try {
            Web3j web3 = ChildNode.awaitRpc(port, first, log, Duration.ofSeconds(90));
            for (int n = 0; n < 5; n++) {
                accepted.add(web3.ethSendRawTransaction(DevSequencerEndToEndTest.signedTransfer(DevSequencerEndToEndTest.DEV0, n,
                        recipient, BigInteger.ONE)).send().getTransactionHash());
            }
            DevSequencerEndToEndTest.awaitReceipt(web3, accepted.get(4), Duration.ofSeconds(15));
            // Accepted right before the kill: may or may not be in a block yet, must not be lost.
            for (int n = 5; n < 8; n++) {
                accepted.add(web3.ethSendRawTransaction(DevSequencerEndToEndTest.signedTransfer(DevSequencerEndToEndTest.DEV0, n,
                        recipient, BigInteger.ONE)).send().getTransactionHash());
            }
            lastNumber = web3.ethBlockNumber().send().getBlockNumber().longValue();
            lastHash = web3.ethGetBlockByNumber(DefaultBlockParameter.valueOf(BigInteger.valueOf(lastNumber)), false).send().getBlock().getHash();
            web3.shutdown();
        } finally {
            first.destroyForcibly().waitFor(); // SIGKILL
        }

        Process second = ChildNode.start(datadir, port, log);
        try {
            Web3j web3 = ChildNode.awaitRpc(port, second, log, Duration.ofSeconds(90));
            assertEquals(lastHash, web3.ethGetBlockByNumber(DefaultBlockParameter.valueOf(BigInteger.valueOf(lastNumber)), false)
                    .send().getBlock().getHash(), "blocks from before the kill are unchanged");
            for (String h : accepted) {
                TransactionReceipt r = DevSequencerEndToEndTest.awaitReceipt(web3, h, Duration.ofSeconds(20));
                assertTrue(r.isStatusOK());
            }
            assertEquals(BigInteger.valueOf(8), web3.ethGetBalance(recipient, DefaultBlockParameterName.LATEST).send().getBalance(),
                    "each accepted transfer applied exactly once");
            ChildNode.assertParentLinks(web3);
            web3.shutdown();
        } finally {
            second.destroy();
            second.waitFor();
        }
    }
}
