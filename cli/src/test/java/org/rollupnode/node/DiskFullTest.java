package org.rollupnode.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.utils.Numeric;

/**
 * The disk under {@code --datadir} fills up while the node runs (a small tmpfs, as root): the node
 * stops taking transactions with an error that says so, never acknowledges one it did not store,
 * and once space is back a restart on the same datadir serves the same chain, includes every
 * acknowledged transaction exactly once and goes on ({@code rollup-node check} agrees).
 */
class DiskFullTest {
    private static final long TMPFS_BYTES = 128L * 1024 * 1024;
    private static final long MARGIN_BYTES = 2L * 1024 * 1024;
    private static final int DATA_BYTES = 60_000;

    @TempDir
    Path tmp;

    @Test
    void aFullDiskStopsAcceptingLosesNothingAndTheChainContinuesOnceSpaceIsBack() throws Exception {
        Path mnt = tmp.resolve("mnt");
        Files.createDirectories(mnt);
        Assumptions.assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=" + TMPFS_BYTES, "tmpfs", mnt.toString()) == 0,
                "cannot mount a tmpfs here (needs root): the full-disk fault is not exercised");
        try {
            Path datadir = mnt.resolve("node");
            Path log = tmp.resolve("node.log");
            int port = ChildNode.freePort();
            String recipient = "0x" + "d15c".repeat(10);
            List<String> acknowledged = new ArrayList<>();
            List<String> refusals = new ArrayList<>();

            Process first = ChildNode.start(datadir, port, log);
            long nonce = 0;
            try {
                Web3j web3 = ChildNode.awaitRpc(port, first, log, Duration.ofSeconds(120));
                String warm = send(web3, nonce, recipient).getTransactionHash();
                DevSequencerEndToEndTest.awaitReceipt(web3, warm, Duration.ofSeconds(30));
                acknowledged.add(warm);
                nonce++;

                // Leave about MARGIN_BYTES free, then write 60 KB transactions until the disk is full.
                long usable = Files.getFileStore(mnt).getUsableSpace();
                Path filler = mnt.resolve("filler");
                writeZeros(filler, usable - MARGIN_BYTES);
                long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                while (System.nanoTime() < deadline && first.isAlive() && refusals.size() < 10) {
                    try {
                        EthSendTransaction r = send(web3, nonce, recipient);
                        if (r.hasError()) {
                            refusals.add(r.getError().getMessage());
                        } else {
                            acknowledged.add(r.getTransactionHash());
                            nonce++;
                        }
                    } catch (IOException connectionGone) {
                        refusals.add(connectionGone.toString());
                    }
                }
                web3.shutdown();
                Files.delete(filler); // space is back
            } finally {
                first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
            String firstRun = Files.readString(log);
            assertTrue(acknowledged.size() > 1, "transactions were acknowledged before the disk filled: " + acknowledged.size());
            assertTrue(!refusals.isEmpty(), "the node stopped taking transactions when the disk was full");
            assertTrue(firstRun.contains("No space left on device"), "the log names the cause");
            assertTrue(firstRun.contains("Free space and start the node again on the same --datadir"), "and says what to do");

            Process second = ChildNode.start(datadir, port, log);
            try {
                afterRestart(second, port, log, datadir, acknowledged, refusals, nonce, recipient);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(e.getMessage() + "\n" + acknowledged.size() + " acknowledged, " + refusals.size()
                        + " refusals " + refusals + "\n--- both runs' node log, last 400 lines ---\n" + tail(log, 400), e);
            } finally {
                second.destroy();
                second.waitFor(30, TimeUnit.SECONDS);
            }
        } finally {
            run("umount", "-l", mnt.toString());
        }
    }

    private void afterRestart(Process second, int port, Path log, Path datadir, List<String> acknowledged, List<String> refusals,
            long nonce, String recipient) throws Exception {
        Web3j web3 = ChildNode.awaitRpc(port, second, log, Duration.ofSeconds(120));
        for (int i = 0; i < acknowledged.size(); i++) {
            String h = acknowledged.get(i);
            try {
                assertTrue(DevSequencerEndToEndTest.awaitReceipt(web3, h, Duration.ofSeconds(60)).isStatusOK(), h);
            } catch (AssertionError e) {
                throw new AssertionError("acknowledged transaction " + i + " (nonce " + i + ") of " + acknowledged.size() + ", head "
                        + web3.ethBlockNumber().send().getBlockNumber() + ": " + e.getMessage(), e);
            }
        }
        String after = send(web3, nonce, recipient).getTransactionHash();
        assertTrue(DevSequencerEndToEndTest.awaitReceipt(web3, after, Duration.ofSeconds(30)).isStatusOK(), "the chain goes on");
        assertEquals(BigInteger.valueOf(acknowledged.size() + 1),
                web3.ethGetBalance(recipient, org.web3j.protocol.core.DefaultBlockParameterName.LATEST).send().getBalance(),
                "every acknowledged transfer applied exactly once");
        long head = web3.ethBlockNumber().send().getBlockNumber().longValue();
        ChildNode.assertParentLinks(web3);
        acknowledged.add(after);
        Path hashes = tmp.resolve("acknowledged.txt");
        Files.write(hashes, acknowledged);
        StringWriter out = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(out, true), "check", "--kafka.bootstrap-servers",
                bootstrap(datadir), "--chain", "dev", "--hashes", hashes.toString(), "--consensus.authorized-signer",
                "0x5dacf18b826a8697f4a7ecb7bcb5effd3e0cbf3c", "--gateway", "http://127.0.0.1:" + port);
        assertEquals(0, code, out.toString());
        System.out.printf("DiskFullTest: %d acknowledged before the disk filled, %d refusals (first: %s), head %d after restart%n",
                acknowledged.size() - 1, refusals.size(), refusals.get(0), head);
        web3.shutdown();
    }

    private static String tail(Path log, int lines) throws IOException {
        List<String> all = Files.readAllLines(log, java.nio.charset.StandardCharsets.ISO_8859_1);
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    private static EthSendTransaction send(Web3j web3, long nonce, String to) throws IOException {
        byte[] data = new byte[DATA_BYTES];
        java.util.Arrays.fill(data, (byte) 0x5a);
        RawTransaction tx = RawTransaction.createTransaction(1337, BigInteger.valueOf(nonce), BigInteger.valueOf(3_000_000), to,
                BigInteger.ONE, Numeric.toHexString(data), BigInteger.valueOf(1_000), BigInteger.valueOf(2_000_000_000L));
        return web3.ethSendRawTransaction(Numeric.toHexString(TransactionEncoder.signMessage(tx, DevSequencerEndToEndTest.DEV0))).send();
    }

    private static void writeZeros(Path file, long bytes) throws IOException {
        byte[] block = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = bytes; left > 0; left -= block.length) {
                out.write(block, 0, (int) Math.min(block.length, left));
            }
        }
    }

    private static String bootstrap(Path datadir) throws IOException {
        Properties p = new Properties();
        try (var in = Files.newInputStream(datadir.resolve("kafka").resolve("broker.properties"))) {
            p.load(in);
        }
        for (String l : p.getProperty("listeners").split(",")) {
            if (l.startsWith("PLAINTEXT://")) {
                return l.substring("PLAINTEXT://".length());
            }
        }
        throw new IllegalStateException("no PLAINTEXT listener in " + p);
    }

    private static int run(String... cmd) throws Exception {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
        } catch (IOException noSuchCommand) {
            return -1;
        }
    }
}
