package org.rollupnode.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rollupnode.kafka.BrokerMain;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

/**
 * Issue 10: the Kafka broker (its own JVM) is SIGKILLed while transfers are submitted and stays
 * away for many block times. While it is down a submission gets a JSON-RPC error, never a hash;
 * after it is back the sequencer resumes on the same chain and {@code rollup-node check} proves
 * heights are contiguous, there is one payload per height, and every acknowledged transaction is
 * included exactly once.
 */
class BrokerOutageTest {
    static final List<Credentials> SENDERS = DistributedDeploymentTest.SENDERS;
    static final long BLOCK_MS = 500;

    @TempDir
    Path tmp;
    private Process broker;
    private int seenLogLength;

    private String startBroker() throws Exception {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-XX:-ReduceBulkZeroing", "-cp",
                System.getProperty("java.class.path"), BrokerMain.class.getName(), tmp.resolve("kafka").toString());
        broker = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(tmp.resolve("broker.log").toFile())).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            String log = Files.readString(tmp.resolve("broker.log"));
            int i = log.lastIndexOf("BROKER_READY ");
            if (i >= seenLogLength && log.indexOf('\n', i) > 0) {
                seenLogLength = log.length();
                return log.substring(i + "BROKER_READY ".length(), log.indexOf('\n', i)).strip();
            }
            assertTrue(broker.isAlive(), log);
            Thread.sleep(100);
        }
        throw new AssertionError("broker did not start");
    }

    @Test
    void theSequencerPausesWhileTheBrokerIsDownAndResumesWithoutLosingOrForking() throws Exception {
        String bootstrap = startBroker();
        List<String> args = new ArrayList<>(List.of(DevSequencerEndToEndTest.devArgs(tmp.resolve("node"))));
        args.set(args.indexOf("--sequencer.block-time") + 1, Long.toString(BLOCK_MS));
        args.addAll(List.of("--kafka.bootstrap-servers", bootstrap, "--sequencer.payload-building-duration", "300"));
        List<String> accepted = Collections.synchronizedList(new ArrayList<>());
        List<String> errorsWhileDown = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean down = new AtomicBoolean();
        AtomicLong acceptedWhileDown = new AtomicLong();
        try (RunningNode node = Main.startNode(args.toArray(new String[0]))) {
            String rpc = "http://127.0.0.1:" + node.httpPort();
            Web3j web3 = Web3j.build(new HttpService(rpc));
            AtomicBoolean load = new AtomicBoolean(true);
            List<Thread> loaders = new ArrayList<>();
            for (Credentials sender : SENDERS) {
                Thread t = new Thread(() -> {
                    // The gateway waits up to 15 s for acks=all; the client waits longer so it sees the gateway's answer.
                    Web3j client = Web3j.build(new HttpService(rpc, new okhttp3.OkHttpClient.Builder()
                            .readTimeout(Duration.ofSeconds(40)).build()));
                    long nonce = 0;
                    while (load.get()) {
                        try {
                            boolean downWhenSent = down.get();
                            var r = client.ethSendRawTransaction(
                                    DevSequencerEndToEndTest.signedTransfer(sender, nonce, "0x" + "dd".repeat(20), BigInteger.ONE)).send();
                            boolean downWhenAnswered = down.get();
                            if (r.getError() == null) {
                                accepted.add(r.getTransactionHash());
                                nonce++;
                                if (downWhenSent && downWhenAnswered) {
                                    acceptedWhileDown.incrementAndGet(); // sent and answered while no broker process existed
                                }
                            } else if (r.getError().getMessage().contains("nonce too low") || r.getError().getMessage().contains("already known")) {
                                nonce++; // an earlier attempt reached Kafka although its answer was an error
                            } else if (downWhenSent || downWhenAnswered) {
                                errorsWhileDown.add(r.getError().getCode() + " " + r.getError().getMessage());
                            }
                            Thread.sleep(100);
                        } catch (IOException e) {
                            throw new IllegalStateException("the gateway must keep answering while the broker is down", e);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }, "load-" + sender.getAddress());
                t.start();
                loaders.add(t);
            }

            long before = awaitHeight(web3, 5, "blocks before the outage");
            broker.destroyForcibly().waitFor(); // SIGKILL: no clean shutdown of the broker
            long downAt = System.nanoTime();
            down.set(true);
            // Down for as long as it takes a submission to come back with an error (the gateway waits up to 15 s for acks=all).
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (errorsWhileDown.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            long headWhileDown = web3.ethBlockNumber().send().getBlockNumber().longValue();
            // Cleared before the restart: a request buffered during the outage may be acknowledged as
            // soon as the new broker process accepts it, which is a real acknowledgement.
            down.set(false);
            startBroker();
            assertTrue(!errorsWhileDown.isEmpty(), "a submission while the broker was down got a JSON-RPC error");
            assertEquals(0, acceptedWhileDown.get(), "a hash was returned while the broker was down");
            for (String e : errorsWhileDown) {
                assertTrue(e.contains("transaction not accepted, retry"), e);
            }

            long outageMillis = (System.nanoTime() - downAt) / 1_000_000;
            awaitHeight(web3, headWhileDown + 5, "blocks after the broker came back");
            load.set(false);
            for (Thread t : loaders) {
                t.join();
            }
            assertTrue(accepted.size() > 20, "steady load around the outage: " + accepted.size());

            Path hashes = tmp.resolve("acknowledged.txt");
            Files.write(hashes, new ArrayList<>(accepted));
            StringWriter out = new StringWriter();
            int code = 1;
            long checkDeadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < checkDeadline) {
                out = new StringWriter();
                code = Main.run(new PrintWriter(out, true), new PrintWriter(out, true), "check", "--kafka.bootstrap-servers", bootstrap,
                        "--chain", "dev", "--hashes", hashes.toString(), "--consensus.authorized-signer",
                        "0x5dacf18b826a8697f4a7ecb7bcb5effd3e0cbf3c", "--gateway", rpc);
                if (code == 0) {
                    break;
                }
                Thread.sleep(1_000); // the last acknowledged transactions may still be on their way into a block
            }
            assertEquals(0, code, out.toString());
            assertTrue(out.toString().contains("all invariants hold"), out.toString());
            System.out.printf("BrokerOutageTest: broker down %d ms (block time %d ms), %d acknowledged, %d JSON-RPC errors while down, "
                    + "head %d before, %d while down, %d at the end%n", outageMillis, BLOCK_MS, accepted.size(), errorsWhileDown.size(),
                    before, headWhileDown, web3.ethBlockNumber().send().getBlockNumber().longValue());
            assertTrue(web3.ethBlockNumber().send().getBlockNumber().longValue() > before);
            web3.shutdown();
        } finally {
            broker.destroyForcibly();
        }
    }

    private static long awaitHeight(Web3j web3, long height, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            long n = web3.ethBlockNumber().send().getBlockNumber().longValue();
            if (n >= height) {
                return n;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no " + what + " (wanted height " + height + ")");
    }
}
