package org.rollupnode.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Event;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/**
 * Contracts on the dev chain through the gateway, as a dapp does it with web3j: deploy an ERC-20,
 * transfer, read balanceOf with eth_call, find the Transfer logs in the receipt and with eth_getLogs,
 * get revert reasons; then replay the chain (re-execution reproduces every header).
 */
class ContractsEndToEndTest {
    static final Event TRANSFER = new Event("Transfer", List.of(new TypeReference<Address>(true) {}, new TypeReference<Address>(true) {},
            new TypeReference<Uint256>() {}));

    @TempDir
    Path tmp;

    static String sign(long nonce, String to, String data, long gas) {
        RawTransaction tx = RawTransaction.createTransaction(1337, BigInteger.valueOf(nonce), BigInteger.valueOf(gas), to, BigInteger.ZERO,
                data, BigInteger.valueOf(1_000), BigInteger.valueOf(2_000_000_000L));
        return Numeric.toHexString(TransactionEncoder.signMessage(tx, DevSequencerEndToEndTest.DEV0));
    }

    static BigInteger balanceOf(Web3j web3, String token, String holder) throws Exception {
        Function f = new Function("balanceOf", List.of(new Address(holder)), List.of(new TypeReference<Uint256>() {}));
        EthCall r = web3.ethCall(Transaction.createEthCallTransaction(holder, token, FunctionEncoder.encode(f)), DefaultBlockParameterName.LATEST).send();
        assertTrue(r.getError() == null, () -> r.getError().getMessage());
        @SuppressWarnings("rawtypes")
        List<Type> out = FunctionReturnDecoder.decode(r.getValue(), f.getOutputParameters());
        return (BigInteger) out.get(0).getValue();
    }

    static String[] withDebug(String[] args) {
        String[] out = args.clone();
        for (int i = 0; i < out.length; i++) {
            if ("--http.api".equals(out[i])) {
                out[i + 1] = out[i + 1] + ",debug";
            }
        }
        return out;
    }

    @Test
    void deployTransferCallLogsRevertAndReplay() throws Exception {
        String owner = DevSequencerEndToEndTest.DEV0.getAddress();
        String recipient = "0x" + "ab".repeat(20);
        BigInteger supply = BigInteger.valueOf(1_000_000);
        String deployData = Solc.bytecode("TestToken.sol", "TestToken") + FunctionEncoder.encodeConstructor(List.of(new Uint256(supply)));
        try (RunningNode node = Main.startNode(withDebug(DevSequencerEndToEndTest.devArgs(tmp.resolve("n"))))) {
            Web3j web3 = Web3j.build(new HttpService("http://127.0.0.1:" + node.httpPort()));
            BigInteger deployGas = web3.ethEstimateGas(Transaction.createContractTransaction(owner, BigInteger.ZERO, BigInteger.ZERO, deployData))
                    .send().getAmountUsed();
            assertTrue(deployGas.longValue() > 100_000, "estimate covers the deployment: " + deployGas);
            String deployHash = web3.ethSendRawTransaction(sign(0, "", deployData, deployGas.longValue())).send().getTransactionHash();
            TransactionReceipt deployed = DevSequencerEndToEndTest.awaitReceipt(web3, deployHash, Duration.ofSeconds(15));
            assertTrue(deployed.isStatusOK());
            // CREATE address = keccak(rlp([sender, nonce]))[12:], computed by web3j independently.
            String token = org.web3j.crypto.ContractUtils.generateContractAddress(owner, BigInteger.ZERO);
            assertEquals(token, deployed.getContractAddress());
            assertTrue(web3.ethGetCode(token, DefaultBlockParameterName.LATEST).send().getCode().length() > 100);
            assertEquals(supply, balanceOf(web3, token, owner));
            assertEquals(1, deployed.getLogs().size(), "the constructor's mint emits Transfer");

            Function transfer = new Function("transfer", List.of(new Address(recipient), new Uint256(100)), List.of());
            String transferData = FunctionEncoder.encode(transfer);
            BigInteger gas = web3.ethEstimateGas(Transaction.createFunctionCallTransaction(owner, BigInteger.ONE, BigInteger.ZERO,
                    BigInteger.valueOf(1_000_000), token, transferData)).send().getAmountUsed();
            String txHash = web3.ethSendRawTransaction(sign(1, token, transferData, gas.longValue())).send().getTransactionHash();
            TransactionReceipt r = DevSequencerEndToEndTest.awaitReceipt(web3, txHash, Duration.ofSeconds(15));
            assertTrue(r.isStatusOK(), "the estimated gas is enough");
            assertEquals(BigInteger.valueOf(100), balanceOf(web3, token, recipient));
            assertEquals(supply.subtract(BigInteger.valueOf(100)), balanceOf(web3, token, owner));

            Log log = r.getLogs().get(0);
            assertEquals(token, log.getAddress());
            assertEquals(EventEncoder.encode(TRANSFER), log.getTopics().get(0));
            assertEquals(Numeric.toHexStringWithPrefixZeroPadded(Numeric.toBigInt(owner), 64), log.getTopics().get(1));
            assertEquals(Numeric.toHexStringWithPrefixZeroPadded(Numeric.toBigInt(recipient), 64), log.getTopics().get(2));
            assertEquals(BigInteger.valueOf(100), Numeric.toBigInt(log.getData()));

            EthFilter filter = new EthFilter(DefaultBlockParameter.valueOf(BigInteger.ZERO), DefaultBlockParameterName.LATEST, token);
            filter.addSingleTopic(EventEncoder.encode(TRANSFER));
            List<EthLog.LogResult> logs = web3.ethGetLogs(filter).send().getLogs();
            assertEquals(2, logs.size(), "mint and transfer");
            assertEquals(txHash, ((EthLog.LogObject) logs.get(1)).getTransactionHash());
            EthFilter other = new EthFilter(DefaultBlockParameter.valueOf(BigInteger.ZERO), DefaultBlockParameterName.LATEST, token);
            other.addSingleTopic("0x" + "00".repeat(32));
            assertTrue(web3.ethGetLogs(other).send().getLogs().isEmpty(), "topic filter excludes");

            Function tooMuch = new Function("transfer", List.of(new Address(recipient), new Uint256(supply.multiply(BigInteger.TEN))), List.of());
            EthCall reverted = web3.ethCall(Transaction.createEthCallTransaction(owner, token, FunctionEncoder.encode(tooMuch)),
                    DefaultBlockParameterName.LATEST).send();
            assertNotNull(reverted.getError());
            assertEquals(3, reverted.getError().getCode());
            assertTrue(reverted.getError().getMessage().contains("execution reverted: insufficient balance"), reverted.getError().getMessage());

            // debug_traceTransaction with the call tracer: the transfer is one CALL into the token.
            @SuppressWarnings("unchecked")
            java.util.Map<String, Object> trace = (java.util.Map<String, Object>) new org.web3j.protocol.core.Request<>("debug_traceTransaction",
                    List.of(txHash, java.util.Map.of("tracer", "callTracer")), new HttpService("http://127.0.0.1:" + node.httpPort()),
                    DevSequencerEndToEndTest.RawResponse.class).send().getResult();
            assertEquals("CALL", trace.get("type"));
            assertEquals(owner, trace.get("from"));
            assertEquals(token, trace.get("to"));
            assertEquals(transferData, trace.get("input"));
            assertEquals(r.getGasUsed(), Numeric.decodeQuantity((String) trace.get("gasUsed")));
            assertEquals("0x" + "0".repeat(63) + "1", trace.get("output"), "transfer returned true");
            assertTrue(!trace.containsKey("error"));

            Thread.sleep(500);
            StringWriter out = new StringWriter();
            int code = Main.run(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true), "replay", "--kafka.bootstrap-servers",
                    node.bootstrapServers(), "--chain", "dev", "--report", tmp.resolve("r.json").toString());
            assertEquals(0, code, out.toString());
            web3.shutdown();
        }
    }
}
