package org.rollupnode.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.rollupnode.execution.chain.ChainSpecs;
import org.rollupnode.execution.crypto.Keccak;
import org.rollupnode.execution.tx.Transaction;
import org.rollupnode.execution.types.Hex;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;

/**
 * Closed-loop read load: N clients, each sending one JSON-RPC request and waiting for its answer
 * before the next, for a fixed time. {@code balance} asks {@code eth_getBalance} of a rotating set
 * of accounts; {@code call} deploys the benchmark ERC-20 (same bytecode on every endpoint, so
 * the node and anvil run the same contract code) and asks {@code balanceOf} through
 * {@code eth_call}. An answer without a well-formed result counts as an error, not as throughput.
 * Every request started within the measured window counts, and the window ends when the last of
 * them is answered, so each client contributes at least one request however slow the endpoint.
 */
public final class ReadLoadGenerator {
    public enum Mode { BALANCE, CALL }

    public record Settings(URI rpc, Mode mode, int clients, int durationSeconds, int warmupSeconds, BigInteger deployerKey,
                           String token) {}

    public record Result(Mode mode, int clients, long requests, long errors, double seconds, double perSecond, double[] latencyMillisP50P90P99,
                         String token, String firstError) {
        public String summary() {
            return String.format("mode %s: %d clients, %.1f s: %d requests (%.0f req/s), errors %d; latency p50/p90/p99 %.2f/%.2f/%.2f ms%s%s",
                    mode.name().toLowerCase(), clients, seconds, requests, perSecond, errors, latencyMillisP50P90P99[0],
                    latencyMillisP50P90P99[1], latencyMillisP50P90P99[2], token == null ? "" : "; token " + token,
                    firstError == null ? "" : "; first error: " + firstError);
        }
    }

    /** balanceOf(address) selector. */
    static final String BALANCE_OF = "0x70a08231";
    static final int ADDRESSES = 256;

    private final Settings s;
    private final RpcClient rpc;
    private final PrintStream log;

    public ReadLoadGenerator(Settings settings, PrintStream log) {
        this.s = settings;
        this.rpc = new RpcClient(settings.rpc());
        this.log = log;
    }

    public Result run() throws Exception {
        // The 20 funded dev accounts, then addresses nobody holds a key for (absent accounts: a trie miss each).
        List<String> addresses = new ArrayList<>(ADDRESSES);
        for (BigInteger k : ChainSpecs.devPrivateKeys()) {
            addresses.add("0x" + Keys.getAddress(ECKeyPair.create(k)));
        }
        for (int i = addresses.size(); i < ADDRESSES; i++) {
            addresses.add(Hex.encode(Arrays.copyOfRange(Keccak.hash256(("rollup-node loadgen read " + i).getBytes(StandardCharsets.UTF_8)), 12, 32)));
        }
        String token = null;
        List<Object[]> requests = new ArrayList<>(ADDRESSES);
        String method;
        if (s.mode() == Mode.CALL) {
            token = s.token() != null ? s.token() : deployToken();
            method = "eth_call";
            for (String a : addresses) {
                String data = BALANCE_OF + "0".repeat(24) + a.substring(2);
                requests.add(new Object[] {Map.of("to", token, "data", data), "latest"});
            }
        } else {
            method = "eth_getBalance";
            for (String a : addresses) {
                requests.add(new Object[] {a, "latest"});
            }
        }
        long start = System.nanoTime();
        long measureFrom = start + s.warmupSeconds() * 1_000_000_000L;
        long end = measureFrom + s.durationSeconds() * 1_000_000_000L;
        if (s.warmupSeconds() > 0) {
            log.printf("warm-up: %d s, not counted...%n", s.warmupSeconds());
        }
        AtomicLong errors = new AtomicLong();
        AtomicLong lastDone = new AtomicLong(measureFrom);
        AtomicReference<String> firstError = new AtomicReference<>();
        long[][] latencies = new long[s.clients()][];
        int[] counts = new int[s.clients()];
        Thread[] threads = new Thread[s.clients()];
        for (int c = 0; c < s.clients(); c++) {
            int client = c;
            threads[c] = new Thread(() -> {
                long[] mine = new long[1 << 16];
                int n = 0;
                int next = client * 7;
                RpcClient own = new RpcClient(s.rpc()); // one connection per client, as separate dapps would have
                while (true) {
                    long t = System.nanoTime();
                    if (t >= end) {
                        break;
                    }
                    Object[] params = requests.get(next++ % requests.size());
                    boolean ok;
                    try {
                        ok = wellFormed(own.call(method, params));
                        if (!ok) {
                            firstError.compareAndSet(null, "malformed result for " + method + " " + Arrays.toString(params));
                        }
                    } catch (IOException e) {
                        ok = false;
                        firstError.compareAndSet(null, e.getMessage());
                    } catch (InterruptedException e) {
                        return;
                    }
                    long done = System.nanoTime();
                    if (t < measureFrom) {
                        continue;
                    }
                    lastDone.accumulateAndGet(done, Math::max);
                    if (!ok) {
                        errors.incrementAndGet();
                        continue;
                    }
                    if (n == mine.length) {
                        mine = Arrays.copyOf(mine, n * 2);
                    }
                    mine[n++] = done - t;
                }
                latencies[client] = mine;
                counts[client] = n;
            }, "read-client-" + c);
            threads[c].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        long total = 0;
        for (int n : counts) {
            total += n;
        }
        long[] all = new long[(int) total];
        int at = 0;
        for (int c = 0; c < s.clients(); c++) {
            System.arraycopy(latencies[c], 0, all, at, counts[c]);
            at += counts[c];
        }
        Arrays.sort(all);
        // Every request started in the window counts, so the window closes when the last of them answered.
        double seconds = Math.max(1e-3, (lastDone.get() - measureFrom) / 1e9);
        return new Result(s.mode(), s.clients(), total, errors.get(), seconds, total / seconds,
                new double[] {percentile(all, 0.50), percentile(all, 0.90), percentile(all, 0.99)}, token, firstError.get());
    }

    private static double percentile(long[] sortedNanos, double q) {
        if (sortedNanos.length == 0) {
            return 0;
        }
        return sortedNanos[Math.min(sortedNanos.length - 1, (int) (sortedNanos.length * q))] / 1e6;
    }

    /** A quantity for eth_getBalance, a 32-byte word for balanceOf. */
    private boolean wellFormed(JsonNode result) {
        if (result == null || !result.isTextual() || !result.asText().startsWith("0x")) {
            return false;
        }
        return s.mode() == Mode.BALANCE ? result.asText().length() > 2 : result.asText().length() == 66;
    }

    /** Deploys BenchToken (1,000,000 units to the deployer) with the deployer's next nonce and waits for its receipt. */
    private String deployToken() throws Exception {
        byte[] code = Contracts.tokenInitCode(BigInteger.valueOf(1_000_000));
        long chainId = Long.decode(rpc.call("eth_chainId").asText());
        BigInteger gasPrice = new BigInteger(rpc.call("eth_gasPrice").asText().substring(2), 16);
        String deployer = "0x" + Keys.getAddress(ECKeyPair.create(s.deployerKey()));
        long nonce = Long.decode(rpc.call("eth_getTransactionCount", deployer, "pending").asText());
        Transaction tx = Transaction.eip1559(chainId).nonce(nonce).maxPriorityFeePerGas(BigInteger.valueOf(100))
                .maxFeePerGas(gasPrice.multiply(BigInteger.valueOf(4)).add(BigInteger.valueOf(1_000_000_000L))).gasLimit(1_000_000).to(null)
                .value(BigInteger.ZERO).data(code).sign(s.deployerKey());
        String hash = rpc.call("eth_sendRawTransaction", Hex.encode(tx.encoded())).asText();
        long deadline = System.currentTimeMillis() + 60_000;
        JsonNode receipt;
        while ((receipt = rpc.call("eth_getTransactionReceipt", hash)).isNull()) {
            if (System.currentTimeMillis() > deadline) {
                throw new IOException("the token deployment " + hash + " was not included within 60 s");
            }
            Thread.sleep(100);
        }
        if (!"0x1".equals(receipt.path("status").asText())) {
            throw new IOException("the token deployment " + hash + " failed: " + receipt);
        }
        String token = receipt.get("contractAddress").asText();
        log.printf("deployed BenchToken at %s (transaction %s)%n", token, hash);
        return token;
    }
}
