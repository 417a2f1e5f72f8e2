package org.rollupnode.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `rollup-node loadgen` against the dev node: funds accounts, submits, sees every transfer included. */
class LoadGenTest {
    @TempDir
    Path tmp;

    @Test
    void loadgenReportsAcceptedAndIncludedTransfersAndWritesACsv() throws Exception {
        try (RunningNode node = Main.startNode(DevSequencerEndToEndTest.devArgs(tmp.resolve("n")))) {
            Path csv = tmp.resolve("load.csv");
            java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
            java.io.PrintStream old = System.out;
            System.setOut(new java.io.PrintStream(buf, true));
            int code;
            try {
                code = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), "loadgen", "--rpc",
                        "http://127.0.0.1:" + node.httpPort(), "--rate", "40", "--duration", "3", "--accounts", "8", "--csv", csv.toString());
            } finally {
                System.setOut(old);
            }
            String out = buf.toString();
            assertEquals(0, code, out);
            assertTrue(out.contains("submitted 120, accepted 120"), out);
            assertTrue(out.contains("included 120"), out);
            List<String> lines = Files.readAllLines(csv);
            assertEquals("second,submitted,accepted,included,included_transfer,included_erc20,included_store", lines.get(0));
            long includedInCsv = lines.stream().skip(1).mapToLong(l -> Long.parseLong(l.split(",")[3])).sum();
            assertEquals(120, includedInCsv);
        }
    }

    /** The read modes through the real entry point; figures are printed, never asserted (they go to BENCHMARKS.md). */
    @Test
    void readModesReportRequestsPerSecondAndPercentilesAndDeployTheTokenForCalls() throws Exception {
        try (RunningNode node = Main.startNode(DevSequencerEndToEndTest.devArgs(tmp.resolve("r")))) {
            String url = "http://127.0.0.1:" + node.httpPort();
            String balance = runLoadgen("--rpc", url, "--mode", "balance", "--clients", "2", "--duration", "2");
            assertTrue(balance.matches("(?s).*mode balance: 2 clients, [0-9.]+ s: [1-9][0-9]* requests \\([0-9]+ req/s\\), errors 0; "
                    + "latency p50/p90/p99 [0-9.]+/[0-9.]+/[0-9.]+ ms.*"), balance);

            String call = runLoadgen("--rpc", url, "--mode", "call", "--clients", "2", "--duration", "2");
            assertTrue(call.matches("(?s).*mode call: 2 clients, [0-9.]+ s: [1-9][0-9]* requests \\([0-9]+ req/s\\), errors 0; .*"), call);
            // The token the generator deployed is the deployer's first CREATE (dev account #0, nonce 0 on a fresh chain).
            String expected = org.web3j.crypto.ContractUtils.generateContractAddress(DevSequencerEndToEndTest.DEV0.getAddress(),
                    java.math.BigInteger.ZERO);
            assertTrue(call.contains("deployed BenchToken at " + expected), call);
            org.web3j.protocol.Web3j web3 = org.web3j.protocol.Web3j.build(new org.web3j.protocol.http.HttpService(url));
            String supply = web3.ethCall(org.web3j.protocol.core.methods.request.Transaction.createEthCallTransaction(null, expected,
                    "0x18160ddd"), org.web3j.protocol.core.DefaultBlockParameterName.LATEST).send().getValue();
            assertEquals(java.math.BigInteger.valueOf(1_000_000), org.web3j.utils.Numeric.toBigInt(supply), "totalSupply() of the deployed token");
            web3.shutdown();

            String bad = runLoadgenExpectingFailure("--rpc", url, "--mode", "write");
            assertTrue(bad.contains("invalid --mode 'write': expected transfer, balance or call"), bad);
        }
    }

    /**
     * The write mix on the dev node: every kind is included and does its work on chain, checked
     * through the node's own JSON-RPC with web3j (not through the generator): the sink's wei and
     * token balances, and for each HashStore call in the blocks, the slots it must have written.
     */
    @Test
    void mixOfTransfersErc20AndStorageCallsIsIncludedWithItsOnChainEffects() throws Exception {
        try (RunningNode node = Main.startNode(DevSequencerEndToEndTest.devArgs(tmp.resolve("m")))) {
            String url = "http://127.0.0.1:" + node.httpPort();
            Path csv = tmp.resolve("mix.csv");
            // 30 tx/s for 3 s = 90: a 5/3/2 cycle gives 45 transfers, 27 ERC-20 transfers, 18 HashStore calls.
            String out = runLoadgen("--rpc", url, "--rate", "30", "--duration", "3", "--accounts", "6", "--funders", "3",
                    "--mix", "transfer=50,erc20=30,store=20", "--csv", csv.toString());
            assertTrue(out.contains("submitted 90, accepted 90"), out);
            assertTrue(out.contains("included 90"), out);
            assertTrue(out.contains("per kind submitted/accepted/included: transfer 45/45/45, erc20 27/27/27, store 18/18/18"), out);
            assertTrue(out.matches("(?s).*receipts checked: erc20 27 \\(status 0: 0, mean gas used [0-9]+\\), "
                    + "store 18 \\(status 0: 0, mean gas used [0-9]+\\).*"), out);
            assertMixEffects(url, 45, 27, 18);

            List<String> lines = Files.readAllLines(csv);
            long[] perKind = new long[3];
            for (String l : lines.subList(1, lines.size())) {
                String[] f = l.split(",");
                assertEquals(Long.parseLong(f[3]), Long.parseLong(f[4]) + Long.parseLong(f[5]) + Long.parseLong(f[6]), l);
                for (int k = 0; k < 3; k++) {
                    perKind[k] += Long.parseLong(f[4 + k]);
                }
            }
            assertEquals(List.of(45L, 27L, 18L), List.of(perKind[0], perKind[1], perKind[2]));
        }
    }

    /** The same generator and mix against anvil, the peer of the side-by-side runs. */
    @Test
    void mixRunsAgainstAnvil() throws Exception {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Process anvil = new ProcessBuilder(L1Anvil.anvilBinary().toString(), "--host", "127.0.0.1", "--port", String.valueOf(port),
                "--block-time", "1", "--accounts", "20", "--balance", "1000000", "--silent").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            String url = "http://127.0.0.1:" + port;
            org.web3j.protocol.Web3j web3 = org.web3j.protocol.Web3j.build(new org.web3j.protocol.http.HttpService(url));
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (true) {
                try {
                    web3.ethBlockNumber().send();
                    break;
                } catch (java.io.IOException e) {
                    assertTrue(anvil.isAlive() && System.nanoTime() < deadline, "anvil did not start on port " + port);
                    Thread.sleep(50);
                }
            }
            web3.shutdown();
            // 20 tx/s for 2 s = 40: a 1/1/1 cycle gives 14 transfers, 13 ERC-20 transfers, 13 HashStore calls.
            String out = runLoadgen("--rpc", url, "--rate", "20", "--duration", "2", "--accounts", "4", "--funders", "2",
                    "--mix", "transfer=1,erc20=1,store=1");
            assertTrue(out.contains("per kind submitted/accepted/included: transfer 14/14/14, erc20 13/13/13, store 13/13/13"), out);
            assertMixEffects(url, 14, 13, 13);
        } finally {
            anvil.destroy();
            if (!anvil.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                anvil.destroyForcibly().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void badMixValuesAreUsageErrors() {
        String[][] cases = {
            {"transfer=70,nft=30", "invalid --mix 'transfer=70,nft=30': unknown kind 'nft': expected transfer, erc20 or store"},
            {"transfer=70,erc20=-5", "invalid --mix 'transfer=70,erc20=-5': weight of 'erc20' is negative: -5"},
            {"transfer=0,store=0", "invalid --mix 'transfer=0,store=0': every weight is 0: at least one kind needs a positive weight"},
            {"transfer", "invalid --mix 'transfer': 'transfer' is not kind=weight"},
            {"erc20=x", "invalid --mix 'erc20=x': weight of 'erc20' is not an integer: 'x'"},
        };
        for (String[] c : cases) {
            StringBuilder all = new StringBuilder();
            // Nothing listens on port 1: a parse error must come before any connection.
            int code = runCapturing(all, "--rpc", "http://127.0.0.1:1", "--mix", c[0]);
            assertEquals(2, code, all.toString());
            assertTrue(all.toString().contains(c[1]), all.toString());
        }
        StringBuilder all = new StringBuilder();
        assertEquals(2, runCapturing(all, "--rpc", "http://127.0.0.1:1", "--mode", "balance", "--mix", "erc20=1"), all.toString());
        assertTrue(all.toString().contains("--mix applies to --mode transfer only, not 'balance'"), all.toString());
    }

    private static final String SINK = "0x" + "5e".repeat(20);

    /**
     * What the mix must have left on chain, read through the endpoint: the sink holds one wei per
     * transfer and one token per ERC-20 transfer; every HashStore call in the blocks succeeded, used
     * far more than a transfer's gas, and wrote the n chained hashes its arguments imply.
     */
    private static void assertMixEffects(String url, long transfers, long erc20, long store) throws Exception {
        org.web3j.protocol.Web3j web3 = org.web3j.protocol.Web3j.build(new org.web3j.protocol.http.HttpService(url));
        try {
            var latest = org.web3j.protocol.core.DefaultBlockParameterName.LATEST;
            String deployer = DevSequencerEndToEndTest.DEV0.getAddress();
            // The first funder (dev account #0, fresh chain) deploys BenchToken with nonce 0, HashStore with nonce 1.
            String token = org.web3j.crypto.ContractUtils.generateContractAddress(deployer, java.math.BigInteger.ZERO);
            String hashStore = org.web3j.crypto.ContractUtils.generateContractAddress(deployer, java.math.BigInteger.ONE);
            assertEquals(java.math.BigInteger.valueOf(transfers), web3.ethGetBalance(SINK, latest).send().getBalance(), "wei at the sink");
            String balanceOf = "0x70a08231" + "0".repeat(24) + SINK.substring(2);
            String tokens = web3.ethCall(org.web3j.protocol.core.methods.request.Transaction.createEthCallTransaction(null, token, balanceOf),
                    latest).send().getValue();
            assertEquals(java.math.BigInteger.valueOf(erc20), org.web3j.utils.Numeric.toBigInt(tokens), "BenchToken.balanceOf(sink)");

            long head = web3.ethBlockNumber().send().getBlockNumber().longValueExact();
            int calls = 0;
            for (long n = 1; n <= head; n++) {
                var block = web3.ethGetBlockByNumber(org.web3j.protocol.core.DefaultBlockParameter.valueOf(java.math.BigInteger.valueOf(n)), true)
                        .send().getBlock();
                for (var r : block.getTransactions()) {
                    var tx = (org.web3j.protocol.core.methods.response.Transaction) r.get();
                    if (tx.getTo() == null || !tx.getTo().equalsIgnoreCase(hashStore)) {
                        continue;
                    }
                    calls++;
                    var receipt = web3.ethGetTransactionReceipt(tx.getHash()).send().getTransactionReceipt().orElseThrow();
                    assertEquals("0x1", receipt.getStatus(), tx.getHash());
                    assertTrue(receipt.getGasUsed().longValueExact() > 10 * 20_000, "10 fresh SSTOREs: " + receipt.getGasUsed());
                    byte[] input = org.web3j.utils.Numeric.hexStringToByteArray(tx.getInput());
                    assertEquals("0x" + org.web3j.utils.Numeric.toHexStringNoPrefix(org.web3j.crypto.Hash.sha3("work(uint256,uint256)".getBytes()))
                            .substring(0, 8), org.web3j.utils.Numeric.toHexString(java.util.Arrays.copyOf(input, 4)));
                    java.math.BigInteger rounds = new java.math.BigInteger(1, java.util.Arrays.copyOfRange(input, 4, 36));
                    java.math.BigInteger base = new java.math.BigInteger(1, java.util.Arrays.copyOfRange(input, 36, 68));
                    assertEquals(java.math.BigInteger.TEN, rounds);
                    byte[] h = org.web3j.utils.Numeric.toBytesPadded(base, 32);
                    for (int i = 0; i < 10; i++) {
                        h = org.web3j.crypto.Hash.sha3(concat(h, org.web3j.utils.Numeric.toBytesPadded(java.math.BigInteger.valueOf(i), 32)));
                        byte[] slot = org.web3j.crypto.Hash.sha3(concat(org.web3j.utils.Numeric.toBytesPadded(base.add(java.math.BigInteger.valueOf(i)), 32),
                                new byte[32]));
                        String stored = web3.ethGetStorageAt(hashStore, new java.math.BigInteger(1, slot), latest).send().getData();
                        assertEquals(org.web3j.utils.Numeric.toHexString(h), stored, "slots[base + " + i + "] of " + tx.getHash());
                    }
                }
            }
            assertEquals(store, calls, "HashStore calls in the blocks");
        } finally {
            web3.shutdown();
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private String runLoadgen(String... args) {
        StringBuilder all = new StringBuilder();
        int code = runCapturing(all, args);
        assertEquals(0, code, all.toString());
        return all.toString();
    }

    private String runLoadgenExpectingFailure(String... args) {
        StringBuilder all = new StringBuilder();
        int code = runCapturing(all, args);
        assertTrue(code != 0, all.toString());
        return all.toString();
    }

    private static int runCapturing(StringBuilder into, String... args) {
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        java.io.PrintStream old = System.out;
        StringWriter err = new StringWriter();
        System.setOut(new java.io.PrintStream(buf, true));
        int code;
        try {
            String[] full = new String[args.length + 1];
            full[0] = "loadgen";
            System.arraycopy(args, 0, full, 1, args.length);
            code = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err, true), full);
        } finally {
            System.setOut(old);
        }
        into.append(buf).append(err);
        return code;
    }
}
