package org.rollupnode.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import org.rollupnode.chain.CanonicalChain;
import org.rollupnode.execution.block.BlockHeader;
import org.rollupnode.execution.builder.BaseFee;
import org.rollupnode.execution.builder.ExecutedTransaction;
import org.rollupnode.execution.chain.ChainSpec;
import org.rollupnode.execution.crypto.Keccak;
import org.rollupnode.execution.evm.BlockContext;
import org.rollupnode.execution.evm.TransactionProcessor;
import org.rollupnode.execution.evm.TransactionResult;
import org.rollupnode.execution.state.Account;
import org.rollupnode.execution.state.StateOverlay;
import org.rollupnode.execution.state.WorldState;
import org.rollupnode.execution.tx.InvalidTransactionException;
import org.rollupnode.execution.tx.Transaction;
import org.rollupnode.execution.tx.TransactionDecoder;
import org.rollupnode.execution.types.Address;
import org.rollupnode.execution.types.Hash32;
import org.rollupnode.execution.types.Hex;
import org.rollupnode.gateway.rpc.JsonRpcDispatcher;
import org.rollupnode.gateway.rpc.JsonRpcException;
import org.rollupnode.gateway.rpc.JsonRpcParams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@code eth}, {@code net}, {@code web3} and {@code txpool} namespaces over the chain view. */
public final class EthApi {
    private static final Logger LOG = LoggerFactory.getLogger("rollup_node::rpc");
    /** geth's txpool limit on one transaction's size (4 x 32 KiB). */
    static final int MAX_TX_BYTES = 128 * 1024;
    /** --gpo.default-suggest-priority-fee of the Rust node. */
    static final BigInteger SUGGESTED_TIP = BigInteger.valueOf(100);

    private final ChainView view;
    private final ChainSpec spec;
    private final TransactionSubmitter submitter;
    private final long blockGasLimit;
    private final PoolView pool;
    /**
     * Hashes sent to Kafka and not acknowledged (or failed) yet, gateway-wide: the pool learns a
     * transaction only on its ack, and a second copy (in the same batch or another) meanwhile must
     * still be "already known".
     */
    private final Set<Hash32> inFlight = ConcurrentHashMap.newKeySet();

    public EthApi(ChainView view, PoolView pool, TransactionSubmitter submitter, long blockGasLimit) {
        this.view = view;
        this.pool = pool;
        this.spec = view.spec();
        this.submitter = submitter;
        this.blockGasLimit = blockGasLimit;
    }

    public void register(JsonRpcDispatcher d) {
        d.register("eth_chainId", p -> Quantity.hex(spec.chainId()));
        d.register("net_version", p -> Long.toString(spec.chainId()));
        d.register("net_listening", p -> true);
        d.register("net_peerCount", p -> "0x0");
        d.register("web3_clientVersion", p -> "rollup-node-java/v0.1.0/java" + Runtime.version().feature());
        d.register("web3_sha3", p -> Hex.encode(Keccak.hash256(bytes(p, 0, "data"))));
        d.register("eth_syncing", p -> view.syncProgress().map(s -> (Object) s.toRpc()).orElse(false));
        d.register("eth_accounts", p -> List.of());
        d.register("eth_blockNumber", p -> Quantity.hex(chain().head().number()));
        d.register("eth_getBlockByNumber", p -> {
            boolean full = p.optionalBoolean(1, "fullTransactions", false);
            return block(p, 0).map(b -> (Object) RpcFormat.block(b, full)).orElse(null);
        });
        d.register("eth_getBlockByHash", p -> {
            boolean full = p.optionalBoolean(1, "fullTransactions", false);
            return chain().byHash(hash(p, 0, "blockHash")).map(b -> (Object) RpcFormat.block(b, full)).orElse(null);
        });
        d.register("eth_getBlockTransactionCountByNumber", p -> block(p, 0).map(b -> (Object) Quantity.hex(b.block().transactions().size())).orElse(null));
        d.register("eth_getBlockTransactionCountByHash", p -> chain().byHash(hash(p, 0, "blockHash")).map(b -> (Object) Quantity.hex(b.block().transactions().size())).orElse(null));
        d.register("eth_getTransactionByHash", this::transactionByHash);
        d.register("eth_getTransactionByBlockNumberAndIndex", p -> {
            long index = p.requiredQuantity(1, "index");
            return block(p, 0).map(b -> txAt(b, index)).orElse(null);
        });
        d.register("eth_getTransactionByBlockHashAndIndex", p -> {
            long index = p.requiredQuantity(1, "index");
            return chain().byHash(hash(p, 0, "blockHash")).map(b -> txAt(b, index)).orElse(null);
        });
        d.register("eth_getTransactionReceipt", this::receipt);
        d.register("eth_getBlockReceipts", p -> block(p, 0).map(b -> {
            List<Object> out = new ArrayList<>();
            b.block().transactions().forEach(e -> out.add(RpcFormat.receipt(e, b)));
            return (Object) out;
        }).orElse(null));
        d.register("eth_getBalance", p -> Quantity.hex(state(p, 1).balance(address(p, 0, "address"))));
        d.register("eth_getTransactionCount", this::transactionCount);
        d.register("eth_getCode", p -> Hex.encode(state(p, 1).code(address(p, 0, "address"))));
        d.register("eth_getStorageAt", p -> state(p, 2).storageAt(address(p, 0, "address"), slot(p, 1)).toHex());
        d.register("eth_gasPrice", p -> Quantity.hex(nextBaseFee().add(SUGGESTED_TIP)));
        d.register("eth_maxPriorityFeePerGas", p -> Quantity.hex(SUGGESTED_TIP));
        d.register("eth_estimateGas", this::estimateGas);
        d.register("eth_call", this::call);
        d.register("eth_sendRawTransaction", this::sendRawTransaction);
        d.register("eth_getLogs", this::getLogs);
        d.register("eth_feeHistory", this::feeHistory);
        d.register("txpool_status", p -> {
            PoolView.Split split = pool.split(headState());
            return Map.of("pending", Quantity.hex(split.executableCount()), "queued", Quantity.hex(split.queuedCount()));
        });
        d.register("txpool_content", p -> {
            PoolView.Split split = pool.split(headState());
            return Map.of("pending", content(split.executable(), false), "queued", content(split.queued(), false));
        });
        d.register("txpool_inspect", p -> {
            PoolView.Split split = pool.split(headState());
            return Map.of("pending", content(split.executable(), true), "queued", content(split.queued(), true));
        });
        d.register("rollupNode_transactionStatus", this::transactionStatus);
    }

    private CanonicalChain chain() {
        return view.chain();
    }

    BigInteger nextBaseFee() {
        return BaseFee.next(chain().head().block().header(), spec.baseFeeOverhead());
    }

    // ---- parameter helpers ----

    private static byte[] bytes(JsonRpcParams p, int i, String name) throws JsonRpcException {
        String s = p.requiredString(i, name);
        try {
            if (!s.startsWith("0x")) {
                throw new IllegalArgumentException("missing 0x prefix");
            }
            return Hex.decode(s);
        } catch (IllegalArgumentException e) {
            throw JsonRpcException.invalidParams("invalid " + name + ": " + e.getMessage());
        }
    }

    private static Address address(JsonRpcParams p, int i, String name) throws JsonRpcException {
        try {
            return Address.fromHex(p.requiredString(i, name));
        } catch (IllegalArgumentException e) {
            throw JsonRpcException.invalidParams("invalid " + name + ": " + e.getMessage());
        }
    }

    private static Hash32 hash(JsonRpcParams p, int i, String name) throws JsonRpcException {
        try {
            return Hash32.fromHex(p.requiredString(i, name));
        } catch (IllegalArgumentException e) {
            throw JsonRpcException.invalidParams("invalid " + name + ": " + e.getMessage());
        }
    }

    private static Hash32 slot(JsonRpcParams p, int i) throws JsonRpcException {
        BigInteger v = p.requiredBigQuantity(i, "slot");
        byte[] b = v.toByteArray();
        if (b.length > 33 || (b.length == 33 && b[0] != 0)) {
            throw JsonRpcException.invalidParams("invalid slot: more than 32 bytes");
        }
        byte[] word = new byte[32];
        int n = Math.min(b.length, 32);
        System.arraycopy(b, b.length - n, word, 32 - n, n);
        return Hash32.wrap(word);
    }

    static final int MAX_LOG_BLOCK_RANGE = 10_000;
    static final int MAX_LOG_RESULTS = 10_000;
    static final int MAX_FEE_HISTORY_BLOCKS = 1_024;

    private Object getLogs(JsonRpcParams p) throws JsonRpcException {
        JsonNode f = p.required(0, "filter");
        if (!f.isObject()) {
            throw JsonRpcException.invalidParams("filter must be an object");
        }
        LogFilter filter = LogFilter.parse(f);
        long from;
        long to;
        if (f.hasNonNull("blockHash")) {
            if (f.hasNonNull("fromBlock") || f.hasNonNull("toBlock")) {
                throw JsonRpcException.invalidParams("blockHash is exclusive with fromBlock/toBlock");
            }
            Hash32 h;
            try {
                h = Hash32.fromHex(f.get("blockHash").asText());
            } catch (IllegalArgumentException e) {
                throw JsonRpcException.invalidParams("invalid blockHash: " + e.getMessage());
            }
            CanonicalChain.ChainBlock b = chain().byHash(h).orElseThrow(() -> JsonRpcException.resourceNotFound("unknown block " + h));
            from = b.number();
            to = b.number();
        } else {
            long head = chain().head().number();
            from = f.hasNonNull("fromBlock") ? blockNumberOf(f.get("fromBlock").asText(), head) : head;
            to = f.hasNonNull("toBlock") ? blockNumberOf(f.get("toBlock").asText(), head) : head;
            if (from > to) {
                throw JsonRpcException.invalidParams("invalid block range: fromBlock " + from + " is after toBlock " + to);
            }
            // both are at most 2^63-1 here, so the difference cannot overflow (to - from + 1 could)
            if (to - from >= MAX_LOG_BLOCK_RANGE) {
                throw JsonRpcException.limitExceeded("query exceeds the max block range of " + MAX_LOG_BLOCK_RANGE + " blocks");
            }
            to = Math.min(to, head); // blocks that do not exist yet have no logs
        }
        List<Object> out = new ArrayList<>();
        for (long n = from; n <= to; n++) {
            CanonicalChain.ChainBlock b = chain().byNumber(n).orElse(null);
            if (b == null || !filter.mayMatch(b.block().header().logsBloom())) {
                continue;
            }
            for (ExecutedTransaction e : b.block().transactions()) {
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> logs = (List<Map<String, Object>>) RpcFormat.receipt(e, b).get("logs");
                for (int i = 0; i < e.receipt().logs().size(); i++) {
                    if (filter.matches(e.receipt().logs().get(i))) {
                        if (out.size() >= MAX_LOG_RESULTS) {
                            throw JsonRpcException.limitExceeded("query returned more than " + MAX_LOG_RESULTS + " results; narrow the range or filter");
                        }
                        out.add(logs.get(i));
                    }
                }
            }
        }
        return out;
    }

    /** A block tag or number as requested (not clamped to the head). */
    private long blockNumberOf(String tag, long head) throws JsonRpcException {
        switch (tag) {
            case "latest", "pending", "safe", "finalized":
                return head;
            case "earliest":
                return 0;
            default:
                if (!tag.matches("0x(0|[1-9a-fA-F][0-9a-fA-F]{0,15})")) {
                    throw JsonRpcException.invalidParams("invalid block parameter '" + tag
                            + "': expected latest, earliest, pending, safe, finalized or a hex quantity");
                }
                long n = Long.parseUnsignedLong(tag.substring(2), 16);
                // 2^63 and above would turn negative and make a range scan start far below block 0
                if (n < 0) {
                    throw JsonRpcException.invalidParams("invalid block parameter '" + tag + "': block number above 2^63-1");
                }
                return n;
        }
    }

    private Object feeHistory(JsonRpcParams p) throws JsonRpcException {
        long count = p.requiredQuantity(0, "blockCount");
        if (count < 1 || count > MAX_FEE_HISTORY_BLOCKS) {
            throw JsonRpcException.invalidParams("blockCount must be between 1 and " + MAX_FEE_HISTORY_BLOCKS);
        }
        CanonicalChain.ChainBlock newest = block(p, 1).orElseThrow(() -> JsonRpcException.resourceNotFound("newest block not found"));
        List<Double> percentiles = new ArrayList<>();
        JsonNode pct = p.optional(2);
        if (pct != null && !pct.isNull()) {
            double prev = -1;
            for (JsonNode x : pct) {
                double v = x.asDouble(-1);
                if (!x.isNumber() || v < 0 || v > 100 || v < prev) {
                    throw JsonRpcException.invalidParams("rewardPercentiles must be increasing numbers in [0, 100]");
                }
                percentiles.add(v);
                prev = v;
            }
        }
        long oldest = Math.max(0, newest.number() - count + 1);
        List<String> baseFees = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        List<List<String>> rewards = new ArrayList<>();
        for (long n = oldest; n <= newest.number(); n++) {
            CanonicalChain.ChainBlock b = chain().byNumber(n).orElseThrow();
            BlockHeader h = b.block().header();
            BigInteger baseFee = h.baseFeePerGas() == null ? BigInteger.ZERO : h.baseFeePerGas();
            baseFees.add(Quantity.hex(baseFee));
            ratios.add(h.gasLimit() == 0 ? 0.0 : (double) h.gasUsed() / h.gasLimit());
            if (!percentiles.isEmpty()) {
                rewards.add(rewardPercentiles(b, baseFee, percentiles));
            }
        }
        BlockHeader last = newest.block().header();
        baseFees.add(Quantity.hex(BaseFee.next(last, spec.baseFeeOverhead())));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("oldestBlock", Quantity.hex(oldest));
        m.put("baseFeePerGas", baseFees);
        m.put("gasUsedRatio", ratios);
        if (!percentiles.isEmpty()) {
            m.put("reward", rewards);
        }
        return m;
    }

    /** Effective tips at gas-weighted percentiles, as geth computes them. */
    private static List<String> rewardPercentiles(CanonicalChain.ChainBlock b, BigInteger baseFee, List<Double> percentiles) {
        List<ExecutedTransaction> txs = new ArrayList<>(b.block().transactions());
        List<String> out = new ArrayList<>();
        if (txs.isEmpty()) {
            percentiles.forEach(x -> out.add("0x0"));
            return out;
        }
        txs.sort(java.util.Comparator.comparing(e -> e.effectiveGasPrice().subtract(baseFee)));
        long total = b.block().header().gasUsed();
        int i = 0;
        long sum = txs.get(0).gasUsed();
        for (double pc : percentiles) {
            double threshold = total * pc / 100.0;
            while (sum < threshold && i < txs.size() - 1) {
                i++;
                sum += txs.get(i).gasUsed();
            }
            out.add(Quantity.hex(txs.get(i).effectiveGasPrice().subtract(baseFee).max(BigInteger.ZERO)));
        }
        return out;
    }

    /** Resolves a block tag, number or EIP-1898 object; empty if the block does not exist. */
    private Optional<CanonicalChain.ChainBlock> block(JsonRpcParams p, int i) throws JsonRpcException {
        JsonNode n = p.optional(i);
        if (n == null || n.isNull()) {
            return Optional.of(chain().head());
        }
        if (n.isObject()) {
            if (n.has("blockHash")) {
                Hash32 h;
                try {
                    h = Hash32.fromHex(n.get("blockHash").asText());
                } catch (IllegalArgumentException e) {
                    throw JsonRpcException.invalidParams("invalid blockHash: " + e.getMessage());
                }
                Optional<CanonicalChain.ChainBlock> b = chain().byHash(h);
                if (b.isEmpty()) {
                    throw JsonRpcException.resourceNotFound("block " + h + " not found");
                }
                return b;
            }
            if (n.has("blockNumber")) {
                return byTag(n.get("blockNumber").asText());
            }
            throw JsonRpcException.invalidParams("block parameter object needs blockHash or blockNumber");
        }
        if (!n.isTextual()) {
            throw JsonRpcException.invalidParams("invalid block parameter: expected a tag or a hex block number");
        }
        return byTag(n.asText());
    }

    private Optional<CanonicalChain.ChainBlock> byTag(String tag) throws JsonRpcException {
        switch (tag) {
            case "latest", "pending", "safe", "finalized":
                // Without L1 finality tracking yet, safe and finalized are the head (a sequencer's own view).
                return Optional.of(chain().head());
            case "earliest":
                return chain().byNumber(0);
            default:
                if (!tag.matches("0x(0|[1-9a-fA-F][0-9a-fA-F]{0,15})")) {
                    throw JsonRpcException.invalidParams("invalid block parameter '" + tag
                            + "': expected latest, earliest, pending, safe, finalized or a hex quantity");
                }
                return chain().byNumber(Long.parseUnsignedLong(tag.substring(2), 16));
        }
    }

    private WorldState state(JsonRpcParams p, int i) throws JsonRpcException {
        CanonicalChain.ChainBlock b = block(p, i).orElseThrow(() -> JsonRpcException.resourceNotFound("header not found"));
        return chain().stateAt(b.number()).orElseThrow(() -> JsonRpcException.resourceUnavailable(
                "state of block " + b.number() + " is no longer retained by this gateway"));
    }

    // ---- methods ----

    private Object txAt(CanonicalChain.ChainBlock b, long index) {
        List<ExecutedTransaction> txs = b.block().transactions();
        return index < txs.size() ? RpcFormat.transaction(txs.get((int) index), b) : null;
    }

    private Object transactionByHash(JsonRpcParams p) throws JsonRpcException {
        Hash32 h = hash(p, 0, "transactionHash");
        Optional<CanonicalChain.TxLocation> loc = chain().transaction(h);
        if (loc.isPresent()) {
            CanonicalChain.ChainBlock b = chain().byNumber(loc.get().blockNumber()).orElseThrow();
            return RpcFormat.transaction(b.block().transactions().get(loc.get().index()), b);
        }
        PoolView.Pending pending = pool.pending(h);
        return pending == null ? null : RpcFormat.transaction(pending.tx());
    }

    private Object receipt(JsonRpcParams p) throws JsonRpcException {
        Hash32 h = hash(p, 0, "transactionHash");
        return chain().transaction(h).map(loc -> {
            CanonicalChain.ChainBlock b = chain().byNumber(loc.blockNumber()).orElseThrow();
            return (Object) RpcFormat.receipt(b.block().transactions().get(loc.index()), b);
        }).orElse(null);
    }

    private Object transactionCount(JsonRpcParams p) throws JsonRpcException {
        Address a = address(p, 0, "address");
        JsonNode tag = p.optional(1);
        if (tag != null && "pending".equals(tag.asText())) {
            return Quantity.hex(pool.pendingNonce(a, headState()));
        }
        return Quantity.hex(state(p, 1).nonce(a));
    }

    /** --rpc.gascap of geth: the most gas one eth_call or eth_estimateGas may burn. */
    static final long RPC_GAS_CAP = 50_000_000L;

    private record CallRequest(Address from, Address to, BigInteger value, byte[] data, long gas) {}

    private static CallRequest callRequest(JsonNode call, long defaultGas) throws JsonRpcException {
        if (call == null || !call.isObject()) {
            throw JsonRpcException.invalidParams("the call must be an object with at least 'to' or 'data'");
        }
        try {
            Address from = call.hasNonNull("from") ? Address.fromHex(call.get("from").asText()) : Address.ZERO;
            Address to = call.hasNonNull("to") ? Address.fromHex(call.get("to").asText()) : null;
            BigInteger value = call.hasNonNull("value") ? new BigInteger(strip(call.get("value").asText()), 16) : BigInteger.ZERO;
            JsonNode input = call.hasNonNull("input") ? call.get("input") : call.get("data");
            byte[] data = input == null || input.isNull() ? new byte[0] : Hex.decode(input.asText());
            long gas = call.hasNonNull("gas") ? Long.parseLong(strip(call.get("gas").asText()), 16) : defaultGas;
            if (value.signum() < 0 || gas < 0) {
                throw new IllegalArgumentException("negative quantity");
            }
            return new CallRequest(from, to, value, data, Math.min(gas, RPC_GAS_CAP));
        } catch (IllegalArgumentException e) {
            throw JsonRpcException.invalidParams("invalid call object: " + e.getMessage());
        }
    }

    private static String strip(String hex) {
        if (!hex.startsWith("0x") || hex.length() < 3) {
            throw new IllegalArgumentException("quantity '" + hex + "' is not 0x-prefixed hex");
        }
        return hex.substring(2);
    }

    /** The EVM context of a call on top of block {@code b}, with optional block overrides. */
    private BlockContext context(CanonicalChain.ChainBlock b, JsonNode overrides) throws JsonRpcException {
        BlockHeader h = b.block().header();
        long number = h.number();
        long time = h.timestamp();
        long gasLimit = h.gasLimit();
        Address coinbase = h.coinbase();
        BigInteger baseFee = h.baseFeePerGas();
        if (overrides != null && overrides.isObject()) {
            try {
                if (overrides.hasNonNull("number")) {
                    number = Long.parseLong(strip(overrides.get("number").asText()), 16);
                }
                if (overrides.hasNonNull("time")) {
                    time = Long.parseLong(strip(overrides.get("time").asText()), 16);
                }
                if (overrides.hasNonNull("gasLimit")) {
                    gasLimit = Long.parseLong(strip(overrides.get("gasLimit").asText()), 16);
                }
                if (overrides.hasNonNull("feeRecipient") || overrides.hasNonNull("coinbase")) {
                    coinbase = Address.fromHex((overrides.hasNonNull("feeRecipient") ? overrides.get("feeRecipient") : overrides.get("coinbase")).asText());
                }
                if (overrides.hasNonNull("baseFeePerGas")) {
                    baseFee = new BigInteger(strip(overrides.get("baseFeePerGas").asText()), 16);
                }
            } catch (IllegalArgumentException e) {
                throw JsonRpcException.invalidParams("invalid block overrides: " + e.getMessage());
            }
        }
        CanonicalChain c = chain();
        return new BlockContext(coinbase, number, time, gasLimit, baseFee, Hash32.ZERO, spec.chainId(), BigInteger.ONE,
                n -> c.byNumber(n).map(CanonicalChain.ChainBlock::hash).orElse(null));
    }

    /** Applies eth_call state overrides (balance, nonce, code, stateDiff, state) to a scratch overlay. */
    private static void applyStateOverrides(StateOverlay scratch, JsonNode overrides) throws JsonRpcException {
        if (overrides == null || overrides.isNull()) {
            return;
        }
        if (!overrides.isObject()) {
            throw JsonRpcException.invalidParams("state overrides must be an object keyed by address");
        }
        try {
            var it = overrides.fields();
            while (it.hasNext()) {
                var e = it.next();
                Address a = Address.fromHex(e.getKey());
                JsonNode o = e.getValue();
                Account acc = scratch.account(a);
                if (o.hasNonNull("balance")) {
                    acc = acc.withBalance(new BigInteger(strip(o.get("balance").asText()), 16));
                }
                if (o.hasNonNull("nonce")) {
                    acc = acc.withNonce(Long.parseLong(strip(o.get("nonce").asText()), 16));
                }
                scratch.putAccount(a, acc);
                if (o.hasNonNull("code")) {
                    byte[] code = Hex.decode(o.get("code").asText());
                    scratch.putCode(a, code, org.rollupnode.execution.crypto.Keccak.hash(code));
                }
                if (o.hasNonNull("state")) {
                    throw JsonRpcException.invalidParams("the 'state' (full storage replacement) override is not supported; use 'stateDiff'");
                }
                if (o.hasNonNull("stateDiff")) {
                    var slots = o.get("stateDiff").fields();
                    while (slots.hasNext()) {
                        var sl = slots.next();
                        scratch.putStorage(a, Hash32.fromHex(sl.getKey()), Hash32.fromHex(sl.getValue().asText()));
                    }
                }
            }
        } catch (IllegalArgumentException e) {
            throw JsonRpcException.invalidParams("invalid state overrides: " + e.getMessage());
        }
    }

    private TransactionResult simulate(CanonicalChain.ChainBlock b, CallRequest req, JsonNode stateOverrides, JsonNode blockOverrides, long gas)
            throws JsonRpcException {
        WorldState state = chain().stateAt(b.number()).orElseThrow(() -> JsonRpcException.resourceUnavailable(
                "state of block " + b.number() + " is no longer retained by this gateway"));
        StateOverlay scratch = new StateOverlay(state);
        applyStateOverrides(scratch, stateOverrides);
        BlockContext ctx = context(b, blockOverrides);
        return new TransactionProcessor(spec.rulesAt(ctx.timestamp())).simulate(scratch, ctx, req.from(), req.to(), req.value(), req.data(), gas);
    }

    private static JsonRpcException executionError(TransactionResult r) {
        if (r.reverted()) {
            String reason = revertReason(r.output());
            return new JsonRpcException(3, "execution reverted" + (reason == null ? "" : ": " + reason), Hex.encode(r.output()));
        }
        return JsonRpcException.invalidInput(r.halt() == null ? "execution failed" : "execution failed: " + r.halt().name().toLowerCase().replace('_', ' '));
    }

    /** Decodes Solidity's Error(string) revert payload, if that is what it is. */
    static String revertReason(byte[] out) {
        if (out.length < 68 || (out[0] & 0xff) != 0x08 || (out[1] & 0xff) != 0xc3 || (out[2] & 0xff) != 0x79 || (out[3] & 0xff) != 0xa0) {
            return null;
        }
        BigInteger len = new BigInteger(1, java.util.Arrays.copyOfRange(out, 36, 68));
        if (len.compareTo(BigInteger.valueOf(out.length - 68)) > 0) {
            return null;
        }
        return new String(out, 68, len.intValue(), java.nio.charset.StandardCharsets.UTF_8);
    }

    private Object call(JsonRpcParams p) throws JsonRpcException {
        CallRequest req = callRequest(p.required(0, "transaction"), RPC_GAS_CAP);
        CanonicalChain.ChainBlock b = block(p, 1).orElseThrow(() -> JsonRpcException.resourceNotFound("header not found"));
        TransactionResult r = simulate(b, req, p.optional(2), p.optional(3), req.gas());
        if (!r.success()) {
            throw executionError(r);
        }
        return Hex.encode(r.output());
    }

    private Object estimateGas(JsonRpcParams p) throws JsonRpcException {
        CallRequest req = callRequest(p.required(0, "transaction"), RPC_GAS_CAP);
        CanonicalChain.ChainBlock b = block(p, 1).orElseThrow(() -> JsonRpcException.resourceNotFound("header not found"));
        JsonNode overrides = p.optional(2);
        long hi = Math.min(req.gas(), b.block().header().gasLimit());
        TransactionResult top = simulate(b, req, overrides, null, hi);
        if (!top.success()) {
            throw executionError(top);
        }
        // Binary search for the least gas that still succeeds (what the 63/64 rule and refunds make necessary).
        long lo = top.gasUsed() - 1;
        while (lo + 1 < hi) {
            long mid = lo + (hi - lo) / 2;
            if (simulate(b, req, overrides, null, mid).success()) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return Quantity.hex(hi);
    }

    /**
     * Admits the transaction, then answers its hash once Kafka acknowledged its record. Deferred,
     * so the calls of a batch wait for their acks together rather than one after the other.
     */
    private Object sendRawTransaction(JsonRpcParams p) throws JsonRpcException {
        byte[] raw = bytes(p, 0, "data");
        if (raw.length > MAX_TX_BYTES) {
            throw JsonRpcException.invalidInput("oversized data: transaction size " + raw.length + ", limit " + MAX_TX_BYTES);
        }
        Transaction tx;
        Address sender;
        try {
            tx = TransactionDecoder.decode(raw);
            if (tx.isL1Message()) {
                throw JsonRpcException.invalidInput("L1 message transactions (type 0x7e) cannot be submitted over RPC");
            }
            if (tx.chainId() == null) {
                throw JsonRpcException.invalidInput("only replay-protected (EIP-155) transactions allowed over RPC");
            }
            if (tx.chainId() != spec.chainId()) {
                throw JsonRpcException.invalidInput("chain id mismatch: have " + tx.chainId() + ", want " + spec.chainId());
            }
            sender = tx.sender();
        } catch (InvalidTransactionException e) {
            throw JsonRpcException.invalidInput(e.getMessage());
        }
        CanonicalChain.ChainBlock head = chain().head();
        if (chain().transaction(tx.hash()).isPresent() || pool.pending(tx.hash()) != null || inFlight.contains(tx.hash())) {
            throw JsonRpcException.invalidInput("already known");
        }
        WorldState state = head.block().postState();
        Account from = state.account(sender);
        if (tx.nonce() < 0) {
            // Valid on the wire (unsigned 64 bits) but no account nonce ever gets to 2^63: it could only wait forever.
            throw JsonRpcException.invalidInput("nonce too high: tx nonce " + Long.toUnsignedString(tx.nonce())
                    + " is above 2^63-1 and can never be reached");
        }
        if (tx.nonce() < from.nonce()) {
            throw JsonRpcException.invalidInput("nonce too low: next nonce " + from.nonce() + ", tx nonce " + tx.nonce());
        }
        if (tx.gasLimit() > blockGasLimit) {
            throw JsonRpcException.invalidInput("exceeds block gas limit: tx gas " + tx.gasLimit() + ", limit " + blockGasLimit);
        }
        long intrinsic = Math.max(tx.intrinsicGas(), tx.floorDataGas());
        if (tx.gasLimit() < intrinsic) {
            throw JsonRpcException.invalidInput("intrinsic gas too low: have " + tx.gasLimit() + ", want " + intrinsic);
        }
        BigInteger baseFee = nextBaseFee();
        if (tx.maxFeePerGas().compareTo(baseFee) < 0) {
            throw JsonRpcException.invalidInput("transaction underpriced: max fee per gas " + tx.maxFeePerGas()
                    + " below the base fee " + baseFee);
        }
        // l2geth's stricter rule: gas limit x fee cap + value + L1 data fee must be covered up front.
        BigInteger l1Fee = org.rollupnode.execution.fee.ScrollL1FeeCalculator.forSpec(spec).l1Fee(tx, state);
        BigInteger cost = tx.maxFeePerGas().multiply(BigInteger.valueOf(tx.gasLimit())).add(tx.value()).add(l1Fee);
        if (from.balance().compareTo(cost) < 0) {
            throw JsonRpcException.invalidInput("insufficient funds for gas * price + value: balance " + from.balance()
                    + ", tx cost " + cost + " (including L1 data fee " + l1Fee + ")");
        }
        // Claimed last, after every check passed: a rejected transaction never blocks its own retry.
        Hash32 hash = tx.hash();
        if (!inFlight.add(hash)) {
            throw JsonRpcException.invalidInput("already known");
        }
        CompletableFuture<Void> acked;
        try {
            acked = submitter.submitAsync(tx, sender);
        } catch (RuntimeException e) {
            inFlight.remove(hash);
            throw e;
        }
        // Runs on the producer's I/O thread: the hash is answered only once Kafka acknowledged it.
        return acked.handle((ok, failure) -> {
            try {
                if (failure != null) {
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                    String reason = cause instanceof TransactionSubmitter.SubmitException ? cause.getMessage() : String.valueOf(cause);
                    LOG.warn("Transaction {} not accepted: {}", hash, reason);
                    throw new CompletionException(JsonRpcException.internal("transaction not accepted, retry: " + reason));
                }
                pool.acceptedLocally(tx, sender);
                return hash.toHex();
            } finally {
                // after the pool knows it, so a duplicate never finds it in neither place
                inFlight.remove(hash);
            }
        });
    }

    private WorldState headState() {
        return chain().head().block().postState();
    }

    private static Map<String, Object> content(Map<Address, java.util.TreeMap<Long, PoolView.Pending>> bySender, boolean summary) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (var e : bySender.entrySet()) {
            Map<String, Object> nonces = new LinkedHashMap<>();
            for (var n : e.getValue().entrySet()) {
                Transaction tx = n.getValue().tx();
                nonces.put(Long.toString(n.getKey()), summary
                        ? (tx.to() == null ? "contract creation" : tx.to().toHex()) + ": " + tx.value() + " wei + " + tx.gasLimit()
                            + " gas × " + tx.maxFeePerGas() + " wei"
                        : RpcFormat.transaction(tx));
            }
            out.put(e.getKey().toHex(), nonces);
        }
        return out;
    }

    /**
     * What became of a transaction: included (with its block), pending or queued, or the outcome
     * the sequencer recorded (dropped, replaced, evicted, rejected). Unknown if never seen.
     */
    private Object transactionStatus(JsonRpcParams p) throws JsonRpcException {
        Hash32 h = hash(p, 0, "transactionHash");
        Map<String, Object> m = new LinkedHashMap<>();
        Optional<CanonicalChain.TxLocation> loc = chain().transaction(h);
        if (loc.isPresent()) {
            m.put("status", "included");
            m.put("blockNumber", Quantity.hex(loc.get().blockNumber()));
            m.put("blockHash", chain().byNumber(loc.get().blockNumber()).orElseThrow().hash().toHex());
            return m;
        }
        var outcome = pool.outcome(h);
        if (outcome != null) {
            m.put("status", outcome.status().name().toLowerCase());
            m.put("reason", outcome.reason());
            if (outcome.replacedBy() != null) {
                m.put("replacedBy", outcome.replacedBy());
            }
            return m;
        }
        PoolView.Pending pending = pool.pending(h);
        if (pending != null) {
            long next = headState().nonce(pending.sender());
            m.put("status", pending.tx().nonce() < next ? "superseded" : pool.pendingNonce(pending.sender(), headState()) > pending.tx().nonce() ? "pending" : "queued");
            return m;
        }
        m.put("status", "unknown");
        return m;
    }

    public Map<String, Object> status() {
        CanonicalChain.ChainBlock head = chain().head();
        Map<String, Object> l2 = new LinkedHashMap<>();
        l2.put("status", view.synced() ? "Synced" : "Syncing");
        view.syncProgress().ifPresent(s -> {
            Map<String, Object> progress = new LinkedHashMap<>();
            progress.put("startingBlock", s.startingBlock());
            progress.put("currentBlock", s.currentBlock());
            progress.put("highestBlock", s.highestBlock());
            l2.put("syncProgress", progress);
        });
        Map<String, Object> h = Map.of("number", head.number(), "hash", head.hash().toHex());
        l2.put("head", h);
        l2.put("safe", h);
        l2.put("finalized", h);
        BlockHeader header = head.block().header();
        l2.put("timestamp", header.timestamp());
        return l2;
    }

    public Map<String, Object> sequencing() {
        Map<String, Object> m = new LinkedHashMap<>();
        Boolean auto = pool.automaticSequencing();
        m.put("automaticSequencing", auto == null ? "as configured (--sequencer.auto-start)" : auto ? "enabled" : "disabled");
        m.put("leader", chain().head().sequencerId());
        m.put("signer", view.signer() == null ? null : view.signer().toHex());
        return m;
    }
}
