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
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.IntStream;
import org.rollupnode.bench.WriteMix.Kind;
import org.rollupnode.execution.crypto.Keccak;
import org.rollupnode.execution.tx.Transaction;
import org.rollupnode.execution.types.Address;
import org.rollupnode.execution.types.Hex;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;

/**
 * Open-loop load against any Ethereum JSON-RPC endpoint: funds N accounts, pre-signs a mix of
 * value transfers, ERC-20 transfers and storage-heavy contract calls ({@link WriteMix}), submits
 * them at a target rate in batches, and watches blocks to time inclusion.
 * Reports accepted and included tx/s, RPC latency and submit-to-inclusion latency percentiles,
 * and a per-second CSV.
 */
public final class LoadGenerator {
    /** {@code warmupSeconds} of load go first at the same rate (JIT, pools, caches) and count in no figure. */
    public record Settings(URI rpc, int accounts, int rate, int durationSeconds, List<BigInteger> funderKeys, Path csv, int batchSize,
                           int warmupSeconds, WriteMix mix) {
        public Settings(URI rpc, int accounts, int rate, int durationSeconds, List<BigInteger> funderKeys, Path csv, int batchSize) {
            this(rpc, accounts, rate, durationSeconds, funderKeys, csv, batchSize, 0);
        }

        public Settings(URI rpc, int accounts, int rate, int durationSeconds, List<BigInteger> funderKeys, Path csv, int batchSize,
                        int warmupSeconds) {
            this(rpc, accounts, rate, durationSeconds, funderKeys, csv, batchSize, warmupSeconds, WriteMix.TRANSFERS_ONLY);
        }
    }

    /**
     * Counts for one kind of the mix (measured window only). {@code receiptsChecked} receipts of
     * included transactions, a sample spread over the run (contract kinds only: an included call
     * may still have reverted), of which {@code receiptsFailed} had status 0.
     */
    public record KindCounts(long submitted, long accepted, long included, int receiptsChecked, int receiptsFailed, long meanGasUsed) {}

    public record Result(long submitted, long accepted, long included, double acceptedPerSecond, double includedPerSecond,
                         long[] rpcLatencyMillisP50P90P99, long[] inclusionLatencyMillisP50P90P99, long rejected, String firstError,
                         Map<Kind, KindCounts> perKind, String firstFailedReceipt) {
        public String summary() {
            return String.format("submitted %d, accepted %d (%.0f tx/s), included %d (%.0f tx/s), rejected %d; "
                            + "RPC batch latency p50/p90/p99 %d/%d/%d ms; submit-to-inclusion p50/p90/p99 %d/%d/%d ms%s%s",
                    submitted, accepted, acceptedPerSecond, included, includedPerSecond, rejected,
                    rpcLatencyMillisP50P90P99[0], rpcLatencyMillisP50P90P99[1], rpcLatencyMillisP50P90P99[2],
                    inclusionLatencyMillisP50P90P99[0], inclusionLatencyMillisP50P90P99[1], inclusionLatencyMillisP50P90P99[2],
                    perKindSummary(), firstError == null ? "" : "; first error: " + firstError);
        }

        /** Status-0 receipts among those sampled; a reverted call is included but did not do its work. */
        public int failedReceipts() {
            return perKind.values().stream().mapToInt(KindCounts::receiptsFailed).sum();
        }

        private String perKindSummary() {
            StringBuilder counts = new StringBuilder();
            StringBuilder receipts = new StringBuilder();
            perKind.forEach((k, c) -> {
                counts.append(counts.length() == 0 ? "" : ", ").append(k.label()).append(' ')
                        .append(c.submitted()).append('/').append(c.accepted()).append('/').append(c.included());
                if (c.receiptsChecked() > 0) {
                    receipts.append(receipts.length() == 0 ? "" : ", ").append(k.label()).append(' ').append(c.receiptsChecked())
                            .append(" (status 0: ").append(c.receiptsFailed()).append(", mean gas used ").append(c.meanGasUsed()).append(')');
                }
            });
            return "; per kind submitted/accepted/included: " + counts
                    + (receipts.length() == 0 ? "" : "; receipts checked: " + receipts)
                    + (firstFailedReceipt == null ? "" : "; first failed receipt: " + firstFailedReceipt);
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

    /** Rounds of KECCAK256 + fresh SSTORE per {@code store} call. */
    static final int STORE_ROUNDS = 10;
    /** Token units each load account gets, and each funder to hand out; every erc20 call moves 1. */
    static final BigInteger TOKENS_PER_ACCOUNT = BigInteger.TEN.pow(24);
    static final BigInteger TOKEN_SUPPLY = BigInteger.TEN.pow(36);
    private static final Address SINK = Address.fromHex("0x" + "5e".repeat(20));

    /** What the setup put on chain for the contract kinds, and the gas limit each kind's calls carry. */
    private record Setup(Address token, Address store, long[] gasLimits) {}

    public Result run() throws Exception {
        long chainId = Long.decode(rpc.call("eth_chainId").asText());
        BigInteger gasPrice = new BigInteger(rpc.call("eth_gasPrice").asText().substring(2), 16);
        BigInteger maxFee = gasPrice.multiply(BigInteger.valueOf(4)).add(BigInteger.valueOf(1_000_000_000L));
        BigInteger tip = BigInteger.valueOf(100);
        List<BigInteger> keys = accounts(s.accounts());
        // Each run writes its own HashStore slots: bases start at a per-run offset, STORE_ROUNDS apart.
        BigInteger storeBase = BigInteger.valueOf(System.currentTimeMillis()).shiftLeft(64);
        Setup setup = prepare(chainId, keys, maxFee, tip, storeBase);

        int warm = s.rate() * s.warmupSeconds();
        int total = warm + s.rate() * s.durationSeconds();
        int measured = total - warm;
        WriteMix.Kind[] pattern = s.mix().pattern();
        int kindCount = Kind.values().length;
        log.printf("pre-signing %d transactions (mix %s) from %d accounts...%n", total, s.mix(), keys.size());
        String[] raw = new String[total];
        String[] hashes = new String[total];
        byte[] kinds = new byte[total];
        IntStream.range(0, total).parallel().forEach(i -> {
            int a = i % keys.size();
            long nonce = i / keys.size();
            Kind kind = pattern[i % pattern.length];
            kinds[i] = (byte) kind.ordinal();
            Transaction.Builder b = Transaction.eip1559(chainId).nonce(nonce).maxPriorityFeePerGas(tip).maxFeePerGas(maxFee)
                    .gasLimit(setup.gasLimits()[kind.ordinal()]);
            Transaction tx = switch (kind) {
                case TRANSFER -> b.to(SINK).value(BigInteger.ONE).data(new byte[0]).sign(keys.get(a));
                case ERC20 -> b.to(setup.token()).value(BigInteger.ZERO).data(Contracts.erc20Transfer(SINK, BigInteger.ONE)).sign(keys.get(a));
                case STORE -> b.to(setup.store()).value(BigInteger.ZERO)
                        .data(Contracts.hashStoreWork(STORE_ROUNDS, storeBase.add(BigInteger.valueOf((long) i * STORE_ROUNDS)))).sign(keys.get(a));
            };
            raw[i] = Hex.encode(tx.encoded());
            hashes[i] = tx.hash().toHex();
        });
        Map<String, Integer> indexOf = new HashMap<>(total * 2);
        for (int i = warm; i < total; i++) {
            indexOf.put(hashes[i], i);
        }

        Map<String, Long> submittedAt = new ConcurrentHashMap<>(total * 2);
        ConcurrentLinkedQueue<Long> rpcLatencies = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Long> inclusionLatencies = new ConcurrentLinkedQueue<>();
        AtomicLong accepted = new AtomicLong();
        AtomicLong rejected = new AtomicLong();
        AtomicLong included = new AtomicLong();
        AtomicLongArray submittedByKind = new AtomicLongArray(kindCount);
        AtomicLongArray acceptedByKind = new AtomicLongArray(kindCount);
        AtomicLongArray includedByKind = new AtomicLongArray(kindCount);
        boolean[] includedFlags = new boolean[total];
        String[] firstError = {null};
        int seconds = s.durationSeconds() + 30;
        AtomicLongArray perSecondSubmitted = new AtomicLongArray(seconds);
        AtomicLongArray perSecondAccepted = new AtomicLongArray(seconds);
        AtomicLongArray perSecondIncluded = new AtomicLongArray(seconds);
        AtomicLongArray[] perSecondIncludedByKind = new AtomicLongArray[kindCount];
        for (int k = 0; k < kindCount; k++) {
            perSecondIncludedByKind[k] = new AtomicLongArray(seconds);
        }
        Inclusions inclusions = new Inclusions(submittedAt, indexOf, kinds, inclusionLatencies, included, includedByKind, includedFlags,
                perSecondIncluded, perSecondIncludedByKind);

        long startBlock = Long.decode(rpc.call("eth_blockNumber").asText());
        long loadStart = System.currentTimeMillis();
        long t0 = loadStart + s.warmupSeconds() * 1000L; // figures count from the end of the warm-up
        if (warm > 0) {
            log.printf("warm-up: %d transactions in %d s, not counted...%n", warm, s.warmupSeconds());
        }
        Thread watcher = new Thread(() -> watchBlocks(startBlock, t0, inclusions, measured));
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
                        submittedByKind.incrementAndGet(kinds[sent + i]);
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
                            int id = r.path("id").asInt(-1);
                            if (id >= 0 && id < n) {
                                acceptedByKind.incrementAndGet(kinds[first + id]);
                            }
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
        watcher.interrupt();
        watcher.join(5_000);
        long includeEnd = System.currentTimeMillis();
        long[] rpcP = percentiles(rpcLatencies);
        long[] incP = percentiles(inclusionLatencies);
        if (s.csv() != null) {
            try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(s.csv()))) {
                StringBuilder header = new StringBuilder("second,submitted,accepted,included");
                for (Kind k : Kind.values()) {
                    header.append(",included_").append(k.label());
                }
                w.println(header);
                for (int i = 0; i < seconds; i++) {
                    w.printf("%d,%d,%d,%d", i, perSecondSubmitted.get(i), perSecondAccepted.get(i), perSecondIncluded.get(i));
                    for (int k = 0; k < kindCount; k++) {
                        w.printf(",%d", perSecondIncludedByKind[k].get(i));
                    }
                    w.println();
                }
            }
        }
        String[] firstFailed = {null};
        Map<Kind, KindCounts> perKind = new EnumMap<>(Kind.class);
        for (Kind k : Kind.values()) {
            if (!s.mix().uses(k)) {
                continue;
            }
            int[] checked = {0, 0};
            long meanGas = 0;
            if (k != Kind.TRANSFER) {
                meanGas = checkReceipts(k, hashes, kinds, includedFlags, warm, checked, firstFailed);
            }
            perKind.put(k, new KindCounts(submittedByKind.get(k.ordinal()), acceptedByKind.get(k.ordinal()), includedByKind.get(k.ordinal()),
                    checked[0], checked[1], meanGas));
        }
        double sendSeconds = (sendEnd - t0) / 1000.0;
        double includeSeconds = Math.max(sendSeconds, (Math.min(includeEnd, lastInclusion.get() == 0 ? includeEnd : lastInclusion.get()) - t0) / 1000.0);
        return new Result(measured, accepted.get(), included.get(), accepted.get() / sendSeconds, included.get() / includeSeconds,
                rpcP, incP, rejected.get(), firstError[0], perKind, firstFailed[0]);
    }

    /** Receipts of this many included transactions per contract kind are read after the run. */
    static final int RECEIPT_SAMPLE = 200;

    /**
     * Reads the receipts of up to {@link #RECEIPT_SAMPLE} included transactions of a kind, spread
     * over the run; {@code checked} gets [receipts read, status 0]. Returns the mean gas used.
     */
    private long checkReceipts(Kind kind, String[] hashes, byte[] kinds, boolean[] includedFlags, int from, int[] checked,
                               String[] firstFailed) throws InterruptedException {
        List<String> candidates = new ArrayList<>();
        for (int i = from; i < hashes.length; i++) {
            if (kinds[i] == kind.ordinal() && includedFlags[i]) {
                candidates.add(hashes[i]);
            }
        }
        List<String> sample = new ArrayList<>();
        int n = Math.min(RECEIPT_SAMPLE, candidates.size());
        for (int j = 0; j < n; j++) {
            sample.add(candidates.get((int) ((long) j * candidates.size() / n)));
        }
        long gas = 0;
        for (int i = 0; i < sample.size(); i += 100) {
            List<String> part = sample.subList(i, Math.min(sample.size(), i + 100));
            List<Object[]> params = new ArrayList<>();
            for (String h : part) {
                params.add(new Object[] {h});
            }
            JsonNode res;
            try {
                res = rpc.batchAsync("eth_getTransactionReceipt", params).join();
            } catch (RuntimeException e) {
                log.printf("could not read %s receipts: %s%n", kind.label(), e.getMessage());
                continue;
            }
            for (JsonNode r : res) {
                JsonNode receipt = r.path("result");
                if (!receipt.isObject()) {
                    continue;
                }
                checked[0]++;
                gas += Long.decode(receipt.path("gasUsed").asText("0x0"));
                if (!"0x1".equals(receipt.path("status").asText())) {
                    checked[1]++;
                    if (firstFailed[0] == null) {
                        firstFailed[0] = kind.label() + " " + receipt.path("transactionHash").asText() + " (gas used "
                                + Long.decode(receipt.path("gasUsed").asText("0x0")) + ")";
                    }
                }
            }
        }
        return checked[0] == 0 ? 0 : gas / checked[0];
    }

    /** What the block watcher updates when a counted transaction shows up in a block. */
    private record Inclusions(Map<String, Long> submittedAt, Map<String, Integer> indexOf, byte[] kinds, ConcurrentLinkedQueue<Long> latencies,
                              AtomicLong included, AtomicLongArray includedByKind, boolean[] includedFlags, AtomicLongArray perSecond,
                              AtomicLongArray[] perSecondByKind) {}

    private final AtomicLong lastInclusion = new AtomicLong();

    private void watchBlocks(long startBlock, long t0, Inclusions in, int total) {
        long next = startBlock + 1;
        // The warm-up is not idleness; a saturated node may take a while to include the first counted one.
        long idleSince = Math.max(System.currentTimeMillis(), t0);
        while (in.included().get() < total && System.currentTimeMillis() - idleSince < 60_000) {
            try {
                long head = Long.decode(rpc.call("eth_blockNumber").asText());
                for (; next <= head; next++) {
                    JsonNode b = rpc.call("eth_getBlockByNumber", "0x" + Long.toHexString(next), false);
                    long now = System.currentTimeMillis();
                    for (JsonNode h : b.get("transactions")) {
                        Long at = in.submittedAt().remove(h.asText());
                        if (at != null) {
                            int idx = in.indexOf().get(h.asText());
                            int kind = in.kinds()[idx];
                            int sec = (int) Math.min(in.perSecond().length() - 1, (now - t0) / 1000);
                            in.latencies().add(now - at);
                            in.included().incrementAndGet();
                            in.includedByKind().incrementAndGet(kind);
                            in.includedFlags()[idx] = true;
                            in.perSecond().incrementAndGet(sec);
                            in.perSecondByKind()[kind].incrementAndGet(sec);
                            lastInclusion.set(now);
                            idleSince = now;
                        }
                    }
                }
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                // the node may be busy (or answer a block without its list for a moment): keep watching,
                // a dead watcher would report nothing included
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

    /**
     * Funds the load accounts (100 ETH each) and, for the contract kinds of the mix, deploys the
     * contracts from the first funder and gives every load account tokens; then sizes each kind's
     * gas limit with eth_estimateGas. Two rounds: only the deployer holds tokens after the
     * deployment, so it first hands some to the other funders, which then fund their share of load
     * accounts alongside the ETH (no one sender needs more pending slots than its share).
     */
    private Setup prepare(long chainId, List<BigInteger> keys, BigInteger maxFee, BigInteger tip, BigInteger storeBase) throws Exception {
        WriteMix mix = s.mix();
        List<BigInteger> funders = s.funderKeys();
        long[] nonces = new long[funders.size()];
        for (int f = 0; f < funders.size(); f++) {
            nonces[f] = Long.decode(rpc.call("eth_getTransactionCount", address(funders.get(f)).toHex(), "pending").asText());
        }
        Address token = null;
        Address store = null;
        if (mix.uses(Kind.ERC20) || mix.uses(Kind.STORE)) {
            List<Transaction> deploy = new ArrayList<>();
            int tokenAt = -1;
            int storeAt = -1;
            if (mix.uses(Kind.ERC20)) {
                tokenAt = deploy.size();
                deploy.add(signed(chainId, funders.get(0), nonces[0]++, maxFee, tip, DEPLOY_GAS, null, BigInteger.ZERO,
                        Contracts.tokenInitCode(TOKEN_SUPPLY)));
            }
            if (mix.uses(Kind.STORE)) {
                storeAt = deploy.size();
                deploy.add(signed(chainId, funders.get(0), nonces[0]++, maxFee, tip, DEPLOY_GAS, null, BigInteger.ZERO,
                        Contracts.initCode("HashStore")));
            }
            log.printf("deploying%s%s...%n", tokenAt >= 0 ? " BenchToken" : "", storeAt >= 0 ? " HashStore" : "");
            List<JsonNode> receipts = sendAndAwait(deploy, "contract deployment");
            if (tokenAt >= 0) {
                token = Address.fromHex(receipts.get(tokenAt).get("contractAddress").asText());
                log.printf("deployed BenchToken at %s%n", token.toHex());
                BigInteger share = TOKENS_PER_ACCOUNT.multiply(BigInteger.valueOf(keys.size() / funders.size() + 1));
                List<Transaction> shares = new ArrayList<>();
                for (int f = 1; f < funders.size(); f++) {
                    shares.add(signed(chainId, funders.get(0), nonces[0]++, maxFee, tip, TOKEN_FUNDING_GAS, token, BigInteger.ZERO,
                            Contracts.erc20Transfer(address(funders.get(f)), share)));
                }
                sendAndAwait(shares, "token transfer to a funder");
            }
            if (storeAt >= 0) {
                store = Address.fromHex(receipts.get(storeAt).get("contractAddress").asText());
                log.printf("deployed HashStore at %s%n", store.toHex());
            }
        }

        // 100 ETH each: Scroll charges an L1 data fee per transaction (about 0.004 ETH with the dev oracle values).
        BigInteger amount = BigInteger.TEN.pow(20);
        List<Transaction> funding = new ArrayList<>();
        List<Transaction> tokenFunding = new ArrayList<>();
        String[] lastOfFunder = new String[funders.size()];
        for (int i = 0; i < keys.size(); i++) {
            int f = i % funders.size();
            Address to = address(keys.get(i));
            Transaction tx = signed(chainId, funders.get(f), nonces[f]++, maxFee, tip, 21_000, to, amount, new byte[0]);
            funding.add(tx);
            lastOfFunder[f] = tx.hash().toHex();
            if (token != null) {
                Transaction t = signed(chainId, funders.get(f), nonces[f]++, maxFee, tip, TOKEN_FUNDING_GAS, token, BigInteger.ZERO,
                        Contracts.erc20Transfer(to, TOKENS_PER_ACCOUNT));
                funding.add(t);
                tokenFunding.add(t);
                lastOfFunder[f] = t.hash().toHex();
            }
        }
        log.printf("funding %d accounts%s...%n", keys.size(), token != null ? " with ETH and tokens" : "");
        send(funding, "funding transaction");
        long deadline = System.currentTimeMillis() + 120_000;
        for (String h : lastOfFunder) {
            if (h == null) {
                continue;
            }
            while (rpc.call("eth_getTransactionReceipt", h).isNull()) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IOException("funding transactions were not included within 120 s");
                }
                Thread.sleep(100);
            }
        }
        if (!tokenFunding.isEmpty()) {
            awaitReceipts(tokenFunding, "token funding transfer", 10_000);
        }

        long[] gasLimits = new long[Kind.values().length];
        gasLimits[Kind.TRANSFER.ordinal()] = 21_000;
        String from = address(keys.get(0)).toHex();
        if (token != null) {
            gasLimits[Kind.ERC20.ordinal()] = estimate(from, token, Contracts.erc20Transfer(SINK, BigInteger.ONE));
        }
        if (store != null) {
            // A base beyond the run's own (they start at storeBase), so the estimate also writes fresh slots.
            gasLimits[Kind.STORE.ordinal()] = estimate(from, store, Contracts.hashStoreWork(STORE_ROUNDS, storeBase.subtract(BigInteger.ONE.shiftLeft(32))));
        }
        if (token != null || store != null) {
            log.printf("gas limits:%s%s%n", token != null ? " erc20 " + gasLimits[Kind.ERC20.ordinal()] : "",
                    store != null ? " store " + gasLimits[Kind.STORE.ordinal()] : "");
        }
        return new Setup(token, store, gasLimits);
    }

    private static final long DEPLOY_GAS = 1_000_000;
    /** BenchToken.transfer to a fresh holder takes about 52,000 gas; funding is not measured, so be generous. */
    private static final long TOKEN_FUNDING_GAS = 120_000;

    /** eth_estimateGas plus a quarter: the first call of a kind may cost a little more or less than later ones. */
    private long estimate(String from, Address to, byte[] data) throws IOException, InterruptedException {
        JsonNode r;
        try {
            r = rpc.call("eth_estimateGas", Map.of("from", from, "to", to.toHex(), "data", Hex.encode(data)));
        } catch (IOException e) {
            throw new IOException("eth_estimateGas for a call to " + to.toHex() + " failed: " + e.getMessage(), e);
        }
        long gas = Long.decode(r.asText());
        return gas + gas / 4;
    }

    private static Transaction signed(long chainId, BigInteger key, long nonce, BigInteger maxFee, BigInteger tip, long gas, Address to,
                                      BigInteger value, byte[] data) {
        return Transaction.eip1559(chainId).nonce(nonce).maxPriorityFeePerGas(tip).maxFeePerGas(maxFee).gasLimit(gas).to(to).value(value)
                .data(data).sign(key);
    }

    private void send(List<Transaction> txs, String what) throws IOException {
        for (int i = 0; i < txs.size(); i += 200) {
            List<Object[]> batch = new ArrayList<>();
            for (Transaction tx : txs.subList(i, Math.min(txs.size(), i + 200))) {
                batch.add(new Object[] {Hex.encode(tx.encoded())});
            }
            JsonNode res = rpc.batchAsync("eth_sendRawTransaction", batch).join();
            for (JsonNode r : res) {
                if (r.has("error")) {
                    throw new IOException(what + " refused: " + r.get("error"));
                }
            }
        }
    }

    private List<JsonNode> sendAndAwait(List<Transaction> txs, String what) throws IOException, InterruptedException {
        send(txs, what);
        return awaitReceipts(txs, what, 60_000);
    }

    /** Waits for every receipt (in order) and refuses a status other than 1. */
    private List<JsonNode> awaitReceipts(List<Transaction> txs, String what, long timeoutMillis) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        List<JsonNode> receipts = new ArrayList<>(txs.size());
        for (Transaction tx : txs) {
            String h = tx.hash().toHex();
            JsonNode receipt;
            while ((receipt = rpc.call("eth_getTransactionReceipt", h)).isNull()) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IOException(what + " " + h + " was not included within " + timeoutMillis / 1000 + " s");
                }
                Thread.sleep(100);
            }
            if (!"0x1".equals(receipt.path("status").asText())) {
                throw new IOException(what + " " + h + " failed: status " + receipt.path("status").asText());
            }
            receipts.add(receipt);
        }
        return receipts;
    }

    static Address address(BigInteger key) {
        return Address.fromHex("0x" + Keys.getAddress(ECKeyPair.create(key)));
    }
}
