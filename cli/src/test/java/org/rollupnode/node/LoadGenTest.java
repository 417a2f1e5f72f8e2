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
            assertEquals("second,submitted,accepted,included", lines.get(0));
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
