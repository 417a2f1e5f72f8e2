package org.rollupnode.watcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.protocol.http.HttpService;

/**
 * {@code src/test/resources/solidity/TestMessageQueue.sol}, compiled offline with solc-js at test
 * time (nothing generated is committed) and deployed on anvil from the unlocked dev account 0.
 */
final class TestQueueContract {
    private static final BigInteger GAS = BigInteger.valueOf(1_000_000);
    private static String bytecode;

    final String address;
    private final Anvil anvil;

    private TestQueueContract(Anvil anvil, String address) {
        this.anvil = anvil;
        this.address = address;
    }

    static synchronized String bytecode() throws Exception {
        if (bytecode == null) {
            Path tools = Anvil.NodeTools.dir();
            Path sol = Paths.get(TestQueueContract.class.getResource("/solidity/TestMessageQueue.sol").toURI());
            Path script = Paths.get(TestQueueContract.class.getResource("/solidity/compile.cjs").toURI());
            ProcessBuilder pb = new ProcessBuilder("node", script.toString(), sol.toString(), "TestMessageQueue");
            pb.environment().put("NODE_PATH", tools.resolve("node_modules").toString());
            pb.redirectError(ProcessBuilder.Redirect.INHERIT);
            Process p = pb.start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("solc-js failed to compile TestMessageQueue.sol");
            }
            JsonNode json = new ObjectMapper().readTree(new String(out, StandardCharsets.UTF_8));
            bytecode = json.get("bytecode").asText();
        }
        return bytecode;
    }

    static TestQueueContract deploy(Anvil anvil) throws Exception {
        TransactionReceipt r = send(anvil.web3j(), Transaction.createContractTransaction(Anvil.DEV0, null, null, GAS, BigInteger.ZERO, bytecode()));
        return new TestQueueContract(anvil, r.getContractAddress().toLowerCase());
    }

    TransactionReceipt appendMessage(String target, BigInteger value, long gasLimit, byte[] data) throws Exception {
        return call(new Function("appendMessage", List.of(new Address(target), new Uint256(value), new Uint256(gasLimit),
                new DynamicBytes(data)), List.of()));
    }

    TransactionReceipt appendMessages(String target, int count) throws Exception {
        return call(new Function("appendMessages", List.of(new Address(target), new Uint256(count)), List.of()));
    }

    TransactionReceipt skipQueueIndexes(long count) throws Exception {
        return call(new Function("skipQueueIndexes", List.of(new Uint64(count)), List.of()));
    }

    TransactionReceipt emitMalformed() throws Exception {
        return call(new Function("emitMalformed", List.of(), List.of()));
    }

    static String appendMessageCalldata(String target, BigInteger value, long gasLimit, byte[] data) {
        return FunctionEncoder.encode(new Function("appendMessage", List.of(new Address(target), new Uint256(value),
                new Uint256(gasLimit), new DynamicBytes(data)), List.of()));
    }

    private TransactionReceipt call(Function f) throws Exception {
        return send(anvil.web3j(), Transaction.createFunctionCallTransaction(Anvil.DEV0, null, null, GAS, address, FunctionEncoder.encode(f)));
    }

    private static TransactionReceipt send(Web3j web3j, Transaction tx) throws Exception {
        EthSendTransaction sent = web3j.ethSendTransaction(tx).send();
        if (sent.hasError()) {
            throw new IllegalStateException("eth_sendTransaction: " + sent.getError().getMessage());
        }
        TransactionReceipt r = null;
        // automine seals right away, but the receipt becomes visible a moment later
        for (int i = 0; i < 200 && r == null; i++) {
            r = web3j.ethGetTransactionReceipt(sent.getTransactionHash()).send().getTransactionReceipt().orElse(null);
            if (r == null) {
                Thread.sleep(50);
            }
        }
        if (r == null) {
            throw new IllegalStateException("no receipt for " + sent.getTransactionHash() + " after 10 s (automine is on)");
        }
        if (!r.isStatusOK()) {
            throw new IllegalStateException("transaction reverted: " + r);
        }
        return r;
    }

    /** evm_mine n empty blocks. */
    static void mine(Anvil anvil, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            new Request<>("evm_mine", List.of(), new HttpService(anvil.url()), VoidResponse.class).send();
        }
    }

    /** anvil_reorg: replace the last {@code depth} blocks; each tx goes into the block at its offset from the fork point. */
    static void reorg(Anvil anvil, int depth, List<Map<String, Object>> txsWithOffsets) throws Exception {
        List<List<Object>> pairs = txsWithOffsets.stream().map(m -> List.<Object>of(m.get("tx"), m.get("offset"))).toList();
        VoidResponse r = new Request<>("anvil_reorg", List.of(depth, pairs), new HttpService(anvil.url()), VoidResponse.class).send();
        if (r.hasError()) {
            throw new IllegalStateException("anvil_reorg: " + r.getError().getMessage());
        }
    }

    static byte[] bytes(String hex) {
        return org.web3j.utils.Numeric.hexStringToByteArray(hex);
    }

    static String read(Path p) throws Exception {
        return Files.readString(p);
    }
}
