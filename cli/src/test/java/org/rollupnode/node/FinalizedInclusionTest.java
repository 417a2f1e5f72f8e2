package org.rollupnode.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;

/**
 * {@code --sequencer.l1-inclusion-mode finalized:N} end to end against anvil, whose
 * {@code --slots-in-an-epoch 1} makes L1's finalized block trail its head by 2: an L1 message enters
 * L2 only once its L1 block is at or below finalized − N, and an L1 reorg of blocks that are not
 * final never makes L2 revert (the replacement message is included, no revert record is written).
 */
class FinalizedInclusionTest {
    private static final BigInteger ETH = L1InclusionTest.ETH;
    private static final String RECIPIENT = L1InclusionTest.RECIPIENT;

    @TempDir
    Path tmp;

    private static long finalizedL1(int port) throws Exception {
        return L1InclusionTest.rpc(port, "rollupNode_status").path("l1").path("finalized").asLong();
    }

    @Test
    void messagesWaitForFinalizedMinusNAndANonFinalReorgNeverRevertsL2() throws Exception {
        L1Anvil l1 = L1Anvil.start(); // the queue contract is L1 block 1
        try (RunningNode node = Main.startNode(L1InclusionTest.args(tmp.resolve("f"), l1, "finalized:1", null))) {
            int port = node.httpPort();
            Web3j web3 = Web3j.build(new HttpService("http://127.0.0.1:" + port));
            l1.enqueue(RECIPIENT, ETH, 100_000, new byte[0]); // queue index 0, L1 block 2
            String h0 = L1InclusionTest.l1MessageHash(0, 100_000, RECIPIENT, ETH, new byte[0]);
            // Block 2 is eligible once finalized - 1 >= 2, i.e. finalized 3, i.e. L1 head 5.
            long nonce = 0;
            for (long head = 2; head <= 4; head++) {
                final long fin = head - 2;
                L1InclusionTest.await("the node to see L1 finalized block " + fin, Duration.ofSeconds(20), () -> finalizedL1(port),
                        f -> f >= fin);
                L1InclusionTest.l2Transfer(web3, nonce++);
                L1InclusionTest.l2Transfer(web3, nonce++); // two L2 blocks built after the sequencer could see it
                assertFalse(L1InclusionTest.receipt(web3, h0).isPresent(), "message 0 (L1 block 2) is not final enough at finalized " + fin);
                l1.mine(1);
            }
            TransactionReceipt r0 = DevSequencerEndToEndTest.awaitReceipt(web3, h0, Duration.ofSeconds(20));
            assertEquals(0, r0.getTransactionIndex().longValueExact());
            assertEquals(ETH, L1InclusionTest.balance(web3, RECIPIENT));

            // A reorg of the (not final) last L1 block swaps message 1 before it can be included: no L2 revert.
            l1.enqueue(RECIPIENT, ETH.multiply(BigInteger.TWO), 100_000, new byte[0]); // queue index 1
            L1InclusionTest.await("l1-events to carry message 1", Duration.ofSeconds(20),
                    () -> L1InclusionTest.rpc(port, "rollupNode_getL1MessageByIndex", 1), e -> !e.isNull());
            l1.reorgWithMessage(1, RECIPIENT, ETH.multiply(BigInteger.valueOf(5)), 100_000, new byte[0]);
            l1.mine(3);
            String h1 = L1InclusionTest.l1MessageHash(1, 100_000, RECIPIENT, ETH.multiply(BigInteger.TWO), new byte[0]);
            String h1b = L1InclusionTest.l1MessageHash(1, 100_000, RECIPIENT, ETH.multiply(BigInteger.valueOf(5)), new byte[0]);
            DevSequencerEndToEndTest.awaitReceipt(web3, h1b, Duration.ofSeconds(30));
            assertFalse(L1InclusionTest.receipt(web3, h1).isPresent(), "the reorged-away message never entered L2");
            assertEquals(ETH.multiply(BigInteger.valueOf(6)), L1InclusionTest.balance(web3, RECIPIENT));
            assertEquals(0, RevertToL1BlockTest.reverts(node.bootstrapServers()).size(), "finalized inclusion never reverts L2");
            assertEquals(0, L1InclusionTest.rpc(port, "rollupNode_status").path("lastRevert").size());
            web3.shutdown();
        } finally {
            l1.close();
        }
    }
}
