package org.rollupnode.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rollupnode.chain.store.StateStore;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/**
 * The sequencer's world state under --datadir/state: a restarted node loads its head from the
 * store instead of re-executing the stream, answers the same, and builds on it; a deleted or
 * corrupted store is rebuilt by replay.
 */
class StateStoreRestartTest {
    /** Runtime: SSTORE(calldata[0:32], calldata[32:64]). */
    private static final String INIT = "0x6009600c60003960096000f3602035600035555b00";
    private static final String RECIPIENT = "0x" + "c0de".repeat(10);

    @TempDir
    Path tmp;

    private record Run(String log, long reexecuted, long head) {}

    private interface Body {
        void run(Web3j web3, RunningNode node) throws Exception;
    }

    private static Run run(Path datadir, Body body) throws Exception {
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        PrintStream originalErr = System.err;
        System.setErr(new PrintStream(new DevSequencerEndToEndTest.Tee(originalErr, logs), true));
        long reexecuted;
        long head;
        try (RunningNode node = Main.startNode(DevSequencerEndToEndTest.devArgs(datadir))) {
            Web3j web3 = Web3j.build(new HttpService("http://127.0.0.1:" + node.httpPort()));
            reexecuted = node.sequencer().blocksReexecuted();
            body.run(web3, node);
            head = node.sequencer().headNumber();
            web3.shutdown();
        } finally {
            System.setErr(originalErr);
        }
        return new Run(logs.toString(), reexecuted, head);
    }

    private static String signed(long nonce, String to, String data, long gas) {
        RawTransaction tx = to == null
                ? RawTransaction.createContractTransaction(BigInteger.valueOf(nonce), BigInteger.valueOf(2_000_000_000L),
                        BigInteger.valueOf(gas), BigInteger.ZERO, data)
                : RawTransaction.createTransaction(1337, BigInteger.valueOf(nonce), BigInteger.valueOf(gas), to, BigInteger.ZERO, data,
                        BigInteger.valueOf(1_000), BigInteger.valueOf(2_000_000_000L));
        return Numeric.toHexString(TransactionEncoder.signMessage(tx, 1337, DevSequencerEndToEndTest.DEV0));
    }

    private static TransactionReceipt send(Web3j web3, String raw) throws Exception {
        var sent = web3.ethSendRawTransaction(raw).send();
        assertEquals(null, sent.getError(), () -> sent.getError().getMessage());
        TransactionReceipt r = DevSequencerEndToEndTest.awaitReceipt(web3, sent.getTransactionHash(), Duration.ofSeconds(20));
        assertTrue(r.isStatusOK(), "status of " + sent.getTransactionHash());
        return r;
    }

    private static String slot(long n) {
        return Numeric.toHexStringWithPrefixZeroPadded(BigInteger.valueOf(n), 64);
    }

    private static String storeCall(long slot, long value) {
        return "0x" + Numeric.toHexStringNoPrefixZeroPadded(BigInteger.valueOf(slot), 64)
                + Numeric.toHexStringNoPrefixZeroPadded(BigInteger.valueOf(value), 64);
    }

    @Test
    void restartLoadsTheStoreAndADeletedOrCorruptStoreIsRebuilt() throws Exception {
        Path datadir = tmp.resolve("node");
        String[] contract = new String[1];
        BigInteger[] senderBalance = new BigInteger[1];

        Run first = run(datadir, (web3, node) -> {
            send(web3, DevSequencerEndToEndTest.signedTransfer(DevSequencerEndToEndTest.DEV0, 0, RECIPIENT, BigInteger.valueOf(1000)));
            contract[0] = send(web3, signed(1, null, INIT, 200_000)).getContractAddress();
            send(web3, signed(2, contract[0], storeCall(1, 0xaa), 100_000));
            send(web3, signed(3, contract[0], storeCall(2, 0xbb), 100_000));
            send(web3, DevSequencerEndToEndTest.signedTransfer(DevSequencerEndToEndTest.DEV0, 4, RECIPIENT, BigInteger.valueOf(234)));
            senderBalance[0] = web3.ethGetBalance(DevSequencerEndToEndTest.DEV0.getAddress(), DefaultBlockParameterName.LATEST).send().getBalance();
        });
        assertTrue(first.head() >= 2, "several blocks, head " + first.head());
        assertTrue(first.log().contains("has no checkpoint yet; replaying the topic from offset 0"), "a new store starts empty");
        assertTrue(Files.isDirectory(datadir.resolve("state")), "the store lives under <datadir>/state");

        // (a) loaded from the store: nothing re-executed, and (b) the same answers, and new blocks build on it
        Run second = run(datadir, (web3, node) -> {
            assertEquals(0, node.sequencer().blocksReexecuted(), "no block re-executed by the sequencer");
            assertSameState(web3, contract[0], senderBalance[0], 1234);
            send(web3, signed(5, contract[0], storeCall(1, 0xcc), 100_000));
            send(web3, DevSequencerEndToEndTest.signedTransfer(DevSequencerEndToEndTest.DEV0, 6, RECIPIENT, BigInteger.ONE));
            assertEquals(slot(0xcc), web3.ethGetStorageAt(contract[0], BigInteger.ONE, DefaultBlockParameterName.LATEST).send().getData());
            assertEquals(BigInteger.valueOf(1235), web3.ethGetBalance(RECIPIENT, DefaultBlockParameterName.LATEST).send().getBalance());
            senderBalance[0] = web3.ethGetBalance(DevSequencerEndToEndTest.DEV0.getAddress(), DefaultBlockParameterName.LATEST).send().getBalance();
        });
        Matcher loaded = Pattern.compile("Loaded state at block (\\d+) \\(root 0x[0-9a-f]{64}\\) from (\\S+);").matcher(second.log());
        assertTrue(loaded.find(), "the load is logged");
        assertEquals(first.head(), Long.parseLong(loaded.group(1)), "loaded at the head the first run reached");
        assertEquals(datadir.resolve("state").toAbsolutePath().toString(), loaded.group(2));
        assertEquals(0, second.reexecuted());
        assertTrue(second.log().contains("0 blocks re-executed from the stream"), "ready line reports no re-execution");

        // (c) deleted: rebuilt by replay, same answers
        StateStore.delete(datadir.resolve("state"));
        Run third = run(datadir, (web3, node) -> assertSameAfterSecond(web3, contract[0], senderBalance[0]));
        assertTrue(third.log().contains("has no checkpoint yet; replaying the topic from offset 0"));
        assertEquals(second.head(), third.reexecuted(), "every block re-executed once");

        // (c) corrupted: RocksDB refuses the files, the store is deleted and rebuilt by replay
        Files.writeString(datadir.resolve("state").resolve("CURRENT"), "not-a-manifest\n");
        Run fourth = run(datadir, (web3, node) -> assertSameAfterSecond(web3, contract[0], senderBalance[0]));
        assertTrue(fourth.log().contains("State store unusable"), "the rebuild is announced");
        assertEquals(second.head(), fourth.reexecuted());

        // and the rebuilt store is loaded again on the next start
        Run fifth = run(datadir, (web3, node) -> assertSameAfterSecond(web3, contract[0], senderBalance[0]));
        assertEquals(0, fifth.reexecuted());
    }

    private static void assertSameState(Web3j web3, String contract, BigInteger senderBalance, long recipient) throws Exception {
        assertEquals(BigInteger.valueOf(recipient), web3.ethGetBalance(RECIPIENT, DefaultBlockParameterName.LATEST).send().getBalance());
        assertEquals(senderBalance, web3.ethGetBalance(DevSequencerEndToEndTest.DEV0.getAddress(), DefaultBlockParameterName.LATEST).send().getBalance());
        assertEquals(slot(0xaa), web3.ethGetStorageAt(contract, BigInteger.ONE, DefaultBlockParameterName.LATEST).send().getData());
        assertEquals(slot(0xbb), web3.ethGetStorageAt(contract, BigInteger.TWO, DefaultBlockParameterName.LATEST).send().getData());
    }

    private static void assertSameAfterSecond(Web3j web3, String contract, BigInteger senderBalance) throws Exception {
        assertEquals(BigInteger.valueOf(1235), web3.ethGetBalance(RECIPIENT, DefaultBlockParameterName.LATEST).send().getBalance());
        assertEquals(senderBalance, web3.ethGetBalance(DevSequencerEndToEndTest.DEV0.getAddress(), DefaultBlockParameterName.LATEST).send().getBalance());
        assertEquals(slot(0xcc), web3.ethGetStorageAt(contract, BigInteger.ONE, DefaultBlockParameterName.LATEST).send().getData());
        assertEquals(slot(0xbb), web3.ethGetStorageAt(contract, BigInteger.TWO, DefaultBlockParameterName.LATEST).send().getData());
    }
}
