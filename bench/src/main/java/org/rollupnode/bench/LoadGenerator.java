package org.rollupnode.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.IntStream;
import org.rollupnode.execution.crypto.Keccak;
import org.rollupnode.execution.tx.Transaction;
import org.rollupnode.execution.types.Address;
import org.rollupnode.execution.types.Hex;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;

/**
 * Open-loop load against any Ethereum JSON-RPC endpoint: funds N accounts, pre-signs value
 * transfers, submits them at a target rate in batches, and watches blocks to time inclusion.
 * Reports accepted and included tx/s, RPC latency and submit-to-inclusion latency percentiles,
 * and a per-second CSV.
 */
public final class LoadGenerator {
    /** {@code warmupSeconds} of load go first at the same rate (JIT, pools, caches) and count in no figure. */
    public record Settings(URI rpc, int accounts, int rate, int durationSeconds, List<BigInteger> funderKeys, Path csv, int batchSize,
                           int warmupSeconds) {
        public Settings(URI rpc, int accounts, int rate, int durationSeconds, List<BigInteger> funderKeys, Path csv, int batchSize) {
            this(rpc, accounts, rate, durationSeconds, funderKeys, csv, batchSize, 0);
        }
    }

    public record Result(long submitted, long accepted, long included, double acceptedPerSecond, double includedPerSecond,
                         long[] rpcLatencyMillisP50P90P99, long[] inclusionLatencyMillisP50P90P99, long rejected, String firstError) {
        public String summary() {
            return String.format("submitted %d, accepted %d (%.0f tx/s), included %d (%.0f tx/s), rejected %d; "
                            + "RPC batch latency p50/p90/p99 %d/%d/%d ms; submit-to-inclusion p50/p90/p99 %d/%d/%d ms%s",
                    submitted, accepted, acceptedPerSecond, included, includedPerSecond, rejected,
                    rpcLatencyMillisP50P90P99[0], rpcLatencyMillisP50P90P99[1], rpcLatencyMillisP50P90P99[2],
                    inclusionLatencyMillisP50P90P99[0], inclusionLatencyMillisP50P90P99[1], inclusionLatencyMillisP50P90P99[2],
                    firstError == null ? "" : "; first error: " + firstError);
        }
    }

    private final Settings s;
    private final RpcClient rpc;
    private final PrintStream log;

    public LoadGenerator(Settings settings, PrintStream log) {
        this.s = settings;
        this.rpc = new RpcClient(settings.rpc());
        this.log = log;
    }

    public Result run() throws Exception {
        long chainId = Long.decode(rpc.call("eth_chainId").asText());
        BigInteger gasPrice = new BigInteger(rpc.call("eth_gasPrice").asText().substring(2), 16);
        BigInteger maxFee = gasPrice.multiply(BigInteger.valueOf(4)).add(BigInteger.valueOf(1_000_000_000L));
        BigInteger tip = BigInteger.valueOf(100);
        List<BigInteger> keys = accounts(s.accounts());
        fund(chainId, keys, maxFee, tip);

        int warm = s.rate() * s.warmupSeconds();
        int total = warm + s.rate() * s.durationSeconds();
        int measured = total - warm;
        log.printf("pre-signing %d transfers from %d accounts...%n", total, keys.size());
        String[] raw = new String[total];
        String[] hashes = new String[total];
        Address sink = Address.fromHex("0x" + "5e".repeat(20));
        IntStream.range(0, total).parallel().forEach(i -> {
            int a = i % keys.size();
            long nonce = i / keys.size();
            Transaction tx = Transaction.eip1559(chainId).nonce(nonce).maxPriorityFeePerGas(tip).maxFeePerGas(maxFee).gasLimit(21_000)
                    .to(sink).value(BigInteger.ONE).data(new byte[0]).sign(keys.get(a));
            raw[i] = Hex.encode(tx.encoded());
            hashes[i] = tx.hash().toHex();
        });

        Map<String, Long> submittedAt = new ConcurrentHashMap<>(total * 2);
        ConcurrentLinkedQueue<Long> rpcLatencies = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Long> inclusionLatencies = new ConcurrentLinkedQueue<>();
        AtomicLong accepted = new AtomicLong();
        AtomicLong rejected = new AtomicLong();
        AtomicLong included = new AtomicLong();
        String[] firstError = {null};
        int seconds = s.durationSeconds() + 30;
        AtomicLongArray perSecondSubmitted = new AtomicLongArray(seconds);
        AtomicLongArray perSecondAccepted = new AtomicLongArray(seconds);
        AtomicLongArray perSecondIncluded = new AtomicLongArray(seconds);

        long startBlock = Long.decode(rpc.call("eth_blockNumber").asText());
        long loadStart = System.currentTimeMillis();
        long t0 = loadStart + s.warmupSeconds() * 1000L; // figures count from the end of the warm-up
        if (warm > 0) {
            log.printf("warm-up: %d transfers in %d s, not counted...%n", warm, s.warmupSeconds());
        }
        Thread watcher = new Thread(() -> watchBlocks(startBlock, t0, submittedAt, inclusionLatencies, included, perSecondIncluded, measured));
        watcher.setDaemon(true);
        watcher.start();

        // Open loop: every 10 ms send what the schedule says is due, whatever the answers.
        int sent = 0;
        List<java.util.concurrent.CompletableFuture<?>> inflight = new ArrayList<>();
        while (sent < total) {
            long elapsed = System.currentTimeMillis() - loadStart;
            int due = (int) Math.min(total, elapsed * s.rate() / 1000);
            while (sent < due) {
                int n = Math.min(s.batchSize(), due - sent);
                List<Object[]> params = new ArrayList<>(n);
                long now = System.currentTimeMillis();
                int first = sent;
                boolean counted = first >= warm;
                for (int i = 0; i < n; i++) {
                    params.add(new Object[] {raw[sent + i]});
                    if (counted) {
                        submittedAt.put(hashes[sent + i], now);
                    }
                }
                sent += n;
                if (!counted) {
                    inflight.add(rpc.batchAsync("eth_sendRawTransaction", params)); // warm-up: no figure
                    continue;
                }
                int sec = (int) ((now - t0) / 1000);
                perSecondSubmitted.addAndGet(Math.max(0, Math.min(sec, seconds - 1)), n);
                inflight.add(rpc.batchAsync("eth_sendRawTransaction", params).whenComplete((res, err) -> {
                    long done = System.currentTimeMillis();
                    rpcLatencies.add(done - now);
                    if (err != null) {
                        rejected.addAndGet(n);
                        if (firstError[0] == null) {
                            firstError[0] = err.toString();
                        }
                        return;
                    }
                    for (JsonNode r : res) {
                        if (r.has("result")) {
                            accepted.incrementAndGet();
                            perSecondAccepted.incrementAndGet(Math.min((int) ((done - t0) / 1000), seconds - 1));
                        } else {
                            rejected.incrementAndGet();
                            if (firstError[0] == null) {
                                firstError[0] = r.path("error").toString() + " (tx " + (first + r.path("id").asInt()) + ")";
                            }
                        }
                    }
                }));
            }
            Thread.sleep(10);
        }
        for (var f : inflight) {
            try {
                f.join();
            } catch (RuntimeException ignored) {
                // counted as rejected
            }
        }
        long sendEnd = System.currentTimeMillis();
        watcher.join(30_000);
        long includeEnd = System.currentTimeMillis();
        long[] rpcP = percentiles(rpcLatencies);
        long[] incP = percentiles(inclusionLatencies);
        if (s.csv() != null) {
            try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(s.csv()))) {
                w.println("second,submitted,accepted,included");
                for (int i = 0; i < seconds; i++) {
                    w.printf("%d,%d,%d,%d%n", i, perSecondSubmitted.get(i), perSecondAccepted.get(i), perSecondIncluded.get(i));
                }
            }
        }
        double sendSeconds = (sendEnd - t0) / 1000.0;
        double includeSeconds = Math.max(sendSeconds, (Math.min(includeEnd, lastInclusion.get() == 0 ? includeEnd : lastInclusion.get()) - t0) / 1000.0);
        return new Result(measured, accepted.get(), included.get(), accepted.get() / sendSeconds, included.get() / includeSeconds,
                rpcP, incP, rejected.get(), firstError[0]);
    }

    private final AtomicLong lastInclusion = new AtomicLong();

    private void watchBlocks(long startBlock, long t0, Map<String, Long> submittedAt, ConcurrentLinkedQueue<Long> latencies,
                             AtomicLong included, AtomicLongArray perSecond, int total) {
        long next = startBlock + 1;
        // The warm-up is not idleness; a saturated node may take a while to include the first counted one.
        long idleSince = Math.max(System.currentTimeMillis(), t0);
        while (included.get() < total && System.currentTimeMillis() - idleSince < 60_000) {
            try {
                long head = Long.decode(rpc.call("eth_blockNumber").asText());
                for (; next <= head; next++) {
                    JsonNode b = rpc.call("eth_getBlockByNumber", "0x" + Long.toHexString(next), false);
                    long now = System.currentTimeMillis();
                    for (JsonNode h : b.get("transactions")) {
                        Long at = submittedAt.remove(h.asText());
                        if (at != null) {
                            latencies.add(now - at);
                            included.incrementAndGet();
                            perSecond.incrementAndGet((int) Math.min(perSecond.length() - 1, (now - t0) / 1000));
                            lastInclusion.set(now);
                            idleSince = now;
                        }
                    }
                }
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            } catch (IOException e) {
                // the node may be busy; keep watching
            }
        }
    }

    private static long[] percentiles(ConcurrentLinkedQueue<Long> values) {
        long[] v = values.stream().mapToLong(Long::longValue).sorted().toArray();
        if (v.length == 0) {
            return new long[] {0, 0, 0};
        }
        return new long[] {v[(int) (v.length * 0.50)], v[Math.min(v.length - 1, (int) (v.length * 0.90))],
            v[Math.min(v.length - 1, (int) (v.length * 0.99))]};
    }

    /** Deterministic load accounts, so a rerun reuses funded accounts. */
    static List<BigInteger> accounts(int n) {
        List<BigInteger> keys = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            keys.add(new BigInteger(1, Keccak.hash256(("rollup-node loadgen account " + i).getBytes())));
        }
        return keys;
    }

    private void fund(long chainId, List<BigInteger> keys, BigInteger maxFee, BigInteger tip) throws Exception {
        // 100 ETH each: Scroll charges an L1 data fee per transaction (about 0.004 ETH with the dev oracle values).
        BigInteger amount = BigInteger.TEN.pow(20);
        List<BigInteger> funders = s.funderKeys();
        long[] nonces = new long[funders.size()];
        for (int f = 0; f < funders.size(); f++) {
            String addr = "0x" + Keys.getAddress(ECKeyPair.create(funders.get(f)));
            nonces[f] = Long.decode(rpc.call("eth_getTransactionCount", addr, "pending").asText());
        }
        List<String> last = new ArrayList<>();
        List<Object[]> batch = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            int f = i % funders.size();
            Address to = Address.fromHex("0x" + Keys.getAddress(ECKeyPair.create(keys.get(i))));
            Transaction tx = Transaction.eip1559(chainId).nonce(nonces[f]++).maxPriorityFeePerGas(tip).maxFeePerGas(maxFee)
                    .gasLimit(21_000).to(to).value(amount).data(new byte[0]).sign(funders.get(f));
            batch.add(new Object[] {Hex.encode(tx.encoded())});
            if (i >= keys.size() - funders.size()) {
                last.add(tx.hash().toHex());
            }
        }
        log.printf("funding %d accounts...%n", keys.size());
        for (int i = 0; i < batch.size(); i += 200) {
            JsonNode res = rpc.batchAsync("eth_sendRawTransaction", batch.subList(i, Math.min(batch.size(), i + 200))).join();
            for (JsonNode r : res) {
                if (r.has("error")) {
                    throw new IOException("funding transaction refused: " + r.get("error"));
                }
            }
        }
        long deadline = System.currentTimeMillis() + 120_000;
        for (String h : last) {
            while (rpc.call("eth_getTransactionReceipt", h).isNull()) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IOException("funding transactions were not included within 120 s");
                }
                Thread.sleep(100);
            }
        }
    }
}
