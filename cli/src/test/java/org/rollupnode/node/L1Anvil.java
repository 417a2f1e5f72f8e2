package org.rollupnode.node;

import java.io.IOException;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.protocol.http.HttpService;

/**
 * A real L1 for the node's tests: anvil (npm {@code @foundry-rs/anvil} under .tools) as a child
 * process with {@code --slots-in-an-epoch 1} (safe = head - 1, finalized = head - 2), automining one
 * block per transaction, and {@code TestMessageQueue.sol} (emits Scroll's QueueTransaction event)
 * compiled with solc-js and deployed from the unlocked dev account 0.
 */
final class L1Anvil implements AutoCloseable {
    static final String DEV0 = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";
    private static final BigInteger GAS = BigInteger.valueOf(1_000_000);

    private final Process process;
    private final int port;
    final Web3j web3j;
    String queue;

    private L1Anvil(Process process, int port) {
        this.process = process;
        this.port = port;
        this.web3j = Web3j.build(new HttpService(url()));
    }

    static L1Anvil start() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process p = new ProcessBuilder(anvilBinary().toString(), "--host", "127.0.0.1", "--port", String.valueOf(port),
                "--slots-in-an-epoch", "1", "--silent").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        L1Anvil a = new L1Anvil(p, port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                a.web3j.ethBlockNumber().send();
                break;
            } catch (IOException e) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    a.close();
                    throw new IllegalStateException("anvil did not start on port " + port, e);
                }
                Thread.sleep(50);
            }
        }
        TransactionReceipt r = a.send(Transaction.createContractTransaction(DEV0, null, null, GAS, BigInteger.ZERO,
                Solc.bytecode("TestMessageQueue.sol", "TestMessageQueue")));
        a.queue = r.getContractAddress().toLowerCase();
        return a;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    long head() throws IOException {
        return web3j.ethBlockNumber().send().getBlockNumber().longValueExact();
    }

    static String appendCalldata(String target, BigInteger value, long gasLimit, byte[] data) {
        return FunctionEncoder.encode(new Function("appendMessage", List.of(new Address(target), new Uint256(value), new Uint256(gasLimit),
                new DynamicBytes(data)), List.of()));
    }

    /** Queues one L1 message (sender = dev account 0); returns the L1 receipt (its own block). */
    TransactionReceipt enqueue(String target, BigInteger value, long gasLimit, byte[] data) throws Exception {
        return send(Transaction.createFunctionCallTransaction(DEV0, null, null, GAS, queue, appendCalldata(target, value, gasLimit, data)));
    }

    void mine(int blocks) throws Exception {
        for (int i = 0; i < blocks; i++) {
            VoidResponse r = new Request<>("evm_mine", List.of(), new HttpService(url()), VoidResponse.class).send();
            if (r.hasError()) {
                throw new IllegalStateException("evm_mine: " + r.getError().getMessage());
            }
        }
    }

    /** anvil_setStorageAt on any address (no code needed), then one mined block so watchers see a new head. */
    void setStorageAndMine(String address, String slot, String word32) throws Exception {
        VoidResponse r = new Request<>("anvil_setStorageAt", List.of(address, slot, word32), new HttpService(url()), VoidResponse.class).send();
        if (r.hasError()) {
            throw new IllegalStateException("anvil_setStorageAt: " + r.getError().getMessage());
        }
        mine(1);
    }

    /** anvil_reorg: replaces the last {@code depth} blocks; the message enqueue goes into the first new block. */
    void reorgWithMessage(int depth, String target, BigInteger value, long gasLimit, byte[] data) throws Exception {
        Map<String, Object> tx = Map.of("from", DEV0, "to", queue, "gas", "0xf4240", "data", appendCalldata(target, value, gasLimit, data));
        VoidResponse r = new Request<>("anvil_reorg", List.of(depth, List.of(List.of(tx, 0))), new HttpService(url()), VoidResponse.class).send();
        if (r.hasError()) {
            throw new IllegalStateException("anvil_reorg: " + r.getError().getMessage());
        }
    }

    private TransactionReceipt send(Transaction tx) throws Exception {
        EthSendTransaction sent = web3j.ethSendTransaction(tx).send();
        if (sent.hasError()) {
            throw new IllegalStateException("eth_sendTransaction: " + sent.getError().getMessage());
        }
        for (int i = 0; i < 200; i++) {
            var r = web3j.ethGetTransactionReceipt(sent.getTransactionHash()).send().getTransactionReceipt();
            if (r.isPresent()) {
                if (!r.get().isStatusOK()) {
                    throw new IllegalStateException("L1 transaction reverted: " + r.get());
                }
                return r.get();
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("no L1 receipt for " + sent.getTransactionHash());
    }

    /** Kills anvil: L1 becomes unreachable. */
    @Override
    public void close() throws InterruptedException {
        web3j.shutdown();
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    static Path anvilBinary() throws Exception {
        Solc.bytecode("TestMessageQueue.sol", "TestMessageQueue"); // makes sure .tools is installed
        for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path scope = p.resolve(".tools/node_modules/@foundry-rs");
            if (Files.isDirectory(scope)) {
                try (Stream<Path> s = Files.list(scope)) {
                    Path bin = s.filter(d -> d.getFileName().toString().startsWith("anvil-")).map(d -> d.resolve("bin/anvil"))
                            .filter(Files::isExecutable).findFirst().orElse(null);
                    if (bin != null) {
                        return bin;
                    }
                }
            }
        }
        throw new IllegalStateException("no anvil binary under .tools/node_modules/@foundry-rs (npm install @foundry-rs/anvil@1.7.1)");
    }
}
