package org.rollupnode.execution.statetest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.rollupnode.execution.block.Log;
import org.rollupnode.execution.crypto.Keccak;
import org.rollupnode.execution.evm.BlockContext;
import org.rollupnode.execution.evm.EvmRules;
import org.rollupnode.execution.evm.TransactionInvalidException;
import org.rollupnode.execution.evm.TransactionProcessor;
import org.rollupnode.execution.evm.TransactionResult;
import org.rollupnode.execution.rlp.Rlp;
import org.rollupnode.execution.state.Account;
import org.rollupnode.execution.state.StateOverlay;
import org.rollupnode.execution.state.WorldState;
import org.rollupnode.execution.trie.MerklePatriciaTrie;
import org.rollupnode.execution.tx.InvalidTransactionException;
import org.rollupnode.execution.tx.Transaction;
import org.rollupnode.execution.tx.TransactionDecoder;
import org.rollupnode.execution.types.Address;
import org.rollupnode.execution.types.Hash32;
import org.rollupnode.execution.types.Hex;

/**
 * Runs Ethereum GeneralStateTests fixtures (like geth's {@code evm statetest}): for every subtest
 * of the requested fork, execute the transaction on the pre-state and compare the post-state root
 * and the logs hash. The only skip is a blob (type 3) transaction, which Scroll does not have.
 */
public final class StateTestRunner {
    public static final String DEFAULT_FORK = "Cancun";
    /** keccak256(rlp([])): the logs hash of a transaction without logs. */
    public static final Hash32 EMPTY_LOGS_HASH = Keccak.hash(Rlp.EMPTY_LIST);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public enum Status { PASS, FAIL, SKIP }

    /** One subtest's outcome. {@code id} is {@code <file>::<test>[d,g,v]}. */
    public record SubtestResult(String id, Status status, String expectedRoot, String actualRoot, String expectedLogs,
                                String actualLogs, String reason) {
        public String line() {
            StringBuilder b = new StringBuilder();
            b.append(status).append(' ').append(id);
            if (status != Status.SKIP) {
                b.append(" root expected ").append(expectedRoot).append(" actual ").append(actualRoot)
                        .append(" logs expected ").append(expectedLogs).append(" actual ").append(actualLogs);
            }
            if (reason != null) {
                b.append(" (").append(reason).append(')');
            }
            return b.toString();
        }
    }

    private final String fork;
    private final EvmRules rules;
    private final TransactionProcessor processor;

    public StateTestRunner(String fork) {
        if (!DEFAULT_FORK.equals(fork)) {
            throw new IllegalArgumentException("unsupported fork '" + fork + "': only " + DEFAULT_FORK + " rules are implemented");
        }
        this.fork = fork;
        this.rules = EvmRules.cancun();
        this.processor = new TransactionProcessor(rules);
    }

    /**
     * Runs every .json file under the given files or directories (fork Cancun) and prints one
     * line per subtest, then {@code N passed, M failed, K skipped}. Returns 1 if any subtest
     * failed (or a path could not be read), else 0.
     */
    public static int run(List<Path> paths, PrintStream out) {
        StateTestRunner runner = new StateTestRunner(DEFAULT_FORK);
        int passed = 0;
        int failed = 0;
        int skipped = 0;
        boolean ioError = false;
        for (Path file : expand(paths, out)) {
            List<SubtestResult> results;
            try {
                results = runner.runFile(file);
            } catch (RuntimeException e) {
                out.println("FAIL " + file + " (cannot run: " + e.getMessage() + ")");
                failed++;
                continue;
            }
            for (SubtestResult r : results) {
                out.println(r.line());
                switch (r.status()) {
                    case PASS -> passed++;
                    case FAIL -> failed++;
                    case SKIP -> skipped++;
                }
            }
        }
        if (paths.isEmpty()) {
            out.println("no fixture paths given");
            ioError = true;
        }
        out.println(passed + " passed, " + failed + " failed, " + skipped + " skipped");
        return failed > 0 || ioError ? 1 : 0;
    }

    private static List<Path> expand(List<Path> paths, PrintStream out) {
        List<Path> files = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.walk(p)) {
                    s.filter(f -> f.toString().endsWith(".json") && Files.isRegularFile(f)).sorted().forEach(files::add);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot list " + p, e);
                }
            } else if (Files.isRegularFile(p)) {
                files.add(p);
            } else {
                throw new IllegalArgumentException("no such fixture file or directory: " + p);
            }
        }
        return files;
    }

    /** Runs all subtests of one fixture file. */
    public List<SubtestResult> runFile(Path file) {
        JsonNode root;
        try {
            root = MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        List<SubtestResult> out = new ArrayList<>();
        String name = file.getFileName().toString();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> t = it.next();
            runTest(name + "::" + t.getKey(), t.getValue(), out);
        }
        return out;
    }

    private void runTest(String id, JsonNode test, List<SubtestResult> out) {
        JsonNode posts = test.path("post").path(fork);
        if (!posts.isArray() || posts.isEmpty()) {
            return;
        }
        WorldState pre = preState(test.get("pre"));
        BlockContext block = blockContext(test.get("env"));
        JsonNode txJson = test.get("transaction");
        boolean blob = txJson.has("blobVersionedHashes") || txJson.has("maxFeePerBlobGas");
        for (JsonNode post : posts) {
            JsonNode idx = post.get("indexes");
            String subId = id + "[" + idx.path("data").asInt() + "," + idx.path("gas").asInt() + "," + idx.path("value").asInt() + "]";
            if (blob) {
                out.add(new SubtestResult(subId, Status.SKIP, null, null, null, null, "blob transaction (type 3): not part of Scroll"));
                continue;
            }
            out.add(runSubtest(subId, pre, block, post));
        }
    }

    private SubtestResult runSubtest(String id, WorldState pre, BlockContext block, JsonNode post) {
        String expectedRoot = post.path("hash").asText();
        String expectedLogs = post.path("logs").asText();
        String expectException = post.hasNonNull("expectException") ? post.get("expectException").asText() : null;
        Hash32 root;
        Hash32 logs;
        String invalid = null;
        try {
            Transaction tx;
            try {
                tx = TransactionDecoder.decodeHex(post.path("txbytes").asText());
                tx.sender();
            } catch (InvalidTransactionException e) {
                throw new TransactionInvalidException(TransactionInvalidException.Reason.INVALID_SENDER, "undecodable: " + e.getMessage());
            }
            StateOverlay overlay = new StateOverlay(pre);
            TransactionResult r = processor.process(overlay, block, tx);
            root = overlay.commit().stateRoot();
            logs = logsHash(r.logs());
        } catch (TransactionInvalidException e) {
            invalid = e.getMessage();
            root = pre.stateRoot();
            logs = EMPTY_LOGS_HASH;
        } catch (RuntimeException e) {
            return new SubtestResult(id, Status.FAIL, expectedRoot, "-", expectedLogs, "-", "crash: " + e);
        }
        String reason = null;
        boolean ok = root.toHex().equalsIgnoreCase(expectedRoot) && logs.toHex().equalsIgnoreCase(expectedLogs);
        if (expectException != null && invalid == null) {
            ok = false;
            reason = "expected " + expectException + " but the transaction was valid";
        } else if (expectException == null && invalid != null) {
            ok = false;
            reason = "transaction rejected: " + invalid;
        } else if (invalid != null) {
            reason = "invalid as expected: " + invalid;
        }
        return new SubtestResult(id, ok ? Status.PASS : Status.FAIL, expectedRoot, root.toHex(), expectedLogs, logs.toHex(), reason);
    }

    public static Hash32 logsHash(List<Log> logs) {
        List<byte[]> items = new ArrayList<>(logs.size());
        for (Log l : logs) {
            items.add(l.rlp());
        }
        return Keccak.hash(Rlp.encodeList(items));
    }

    static WorldState preState(JsonNode pre) {
        StateOverlay o = new StateOverlay(WorldState.empty());
        for (Iterator<Map.Entry<String, JsonNode>> it = pre.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Address a = Address.fromHex(e.getKey());
            JsonNode acc = e.getValue();
            byte[] code = Hex.decode(acc.path("code").asText("0x"));
            Hash32 codeHash = code.length == 0 ? Account.EMPTY_CODE_HASH : Keccak.hash(code);
            o.putAccount(a, new Account(parseBig(acc.path("nonce").asText("0x0")).longValue(), parseBig(acc.path("balance").asText("0x0")),
                    MerklePatriciaTrie.EMPTY_ROOT, Account.EMPTY_CODE_HASH));
            if (code.length > 0) {
                o.putCode(a, code, codeHash);
            }
            for (Iterator<Map.Entry<String, JsonNode>> s = acc.path("storage").fields(); s.hasNext(); ) {
                Map.Entry<String, JsonNode> slot = s.next();
                BigInteger v = parseBig(slot.getValue().asText());
                if (v.signum() != 0) {
                    o.putStorage(a, word(parseBig(slot.getKey())), word(v));
                }
            }
        }
        return o.commit();
    }

    static BlockContext blockContext(JsonNode env) {
        long number = parseLong(env.path("currentNumber").asText("0x0"));
        Hash32 random = env.hasNonNull("currentRandom") ? word(parseBig(env.get("currentRandom").asText()))
                : word(parseBig(env.path("currentDifficulty").asText("0x0")));
        BigInteger baseFee = env.hasNonNull("currentBaseFee") ? parseBig(env.get("currentBaseFee").asText()) : BigInteger.TEN;
        BigInteger excessBlobGas = env.hasNonNull("currentExcessBlobGas") ? parseBig(env.get("currentExcessBlobGas").asText())
                : BigInteger.ZERO;
        return new BlockContext(Address.fromHex(env.get("currentCoinbase").asText()), number,
                parseLong(env.path("currentTimestamp").asText("0x0")), parseLong(env.path("currentGasLimit").asText("0x0")),
                baseFee, random, 1, fakeExponential(BigInteger.ONE, excessBlobGas, BigInteger.valueOf(3_338_477)),
                n -> n < number && number - n <= 256 ? Keccak.hash(Long.toString(n).getBytes(StandardCharsets.US_ASCII)) : null);
    }

    /** EIP-4844 fake_exponential. */
    static BigInteger fakeExponential(BigInteger factor, BigInteger numerator, BigInteger denominator) {
        BigInteger i = BigInteger.ONE;
        BigInteger output = BigInteger.ZERO;
        BigInteger acc = factor.multiply(denominator);
        while (acc.signum() > 0) {
            output = output.add(acc);
            acc = acc.multiply(numerator).divide(denominator.multiply(i));
            i = i.add(BigInteger.ONE);
        }
        return output.divide(denominator);
    }

    private static Hash32 word(BigInteger v) {
        byte[] b = Rlp.minimalBytes(v);
        byte[] w = new byte[32];
        System.arraycopy(b, 0, w, 32 - b.length, b.length);
        return Hash32.wrap(w);
    }

    static BigInteger parseBig(String s) {
        if (s.startsWith("0x:bigint ")) {
            s = s.substring("0x:bigint ".length());
        }
        if (s.startsWith("0x") || s.startsWith("0X")) {
            String h = s.substring(2);
            return h.isEmpty() ? BigInteger.ZERO : new BigInteger(h, 16);
        }
        return new BigInteger(s);
    }

    private static long parseLong(String s) {
        BigInteger v = parseBig(s);
        if (v.bitLength() > 63) {
            return Long.MAX_VALUE; // beyond this node's 63-bit nonces and numbers; saturate
        }
        return v.longValue();
    }

    public static void main(String[] args) {
        List<Path> paths = new ArrayList<>();
        for (String a : args) {
            paths.add(Path.of(a));
        }
        System.exit(run(paths, System.out));
    }
}
