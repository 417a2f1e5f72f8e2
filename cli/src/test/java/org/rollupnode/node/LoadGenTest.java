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
}
