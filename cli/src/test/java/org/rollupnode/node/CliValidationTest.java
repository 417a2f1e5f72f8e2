package org.rollupnode.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad flag combinations fail at start with one clear line and a non-zero exit, before anything runs. */
class CliValidationTest {
    @TempDir
    Path tmp;

    record Result(int code, String out, String err) {}

    private Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    private List<String> node(String... extra) {
        List<String> a = new ArrayList<>(List.of("node", "--datadir", tmp.resolve("d").toString()));
        a.addAll(List.of(extra));
        return a;
    }

    private void assertFailsWith(String expected, String... extra) {
        Result r = run(node(extra).toArray(new String[0]));
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith("error: ") && r.err().contains(expected), "stderr was: " + r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        assertTrue(!Files.exists(tmp.resolve("d").resolve("kafka")), "nothing may start on a configuration error");
    }

    private Result runNodeOn(Path datadir) {
        return run("node", "--chain", "dev", "--datadir", datadir.toString());
    }

    private static void assertOneLineConfigError(Result r, String expected) {
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith("error: ") && r.err().contains(expected), "stderr was: " + r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
    }

    @Test
    void aDatadirThatIsAFileIsRejectedNamingThePath() throws Exception {
        Path file = Files.writeString(tmp.resolve("plain-file"), "x");
        assertOneLineConfigError(runNodeOn(file), "--datadir " + file + " is not a directory");
    }

    @Test
    void aDatadirThatCannotBeCreatedIsRejectedNamingThePath() throws Exception {
        Path under = Files.writeString(tmp.resolve("plain-file"), "x").resolve("data");
        Result r = runNodeOn(under);
        assertOneLineConfigError(r, "cannot create --datadir " + under + ": ");
        assertTrue(r.err().contains("Not a directory") || r.err().contains("FileSystemException"), r.err());
    }

    /**
     * A read-only data directory. Permission bits do not stop root, so as root the directory is made
     * immutable with chattr +i instead; the test is skipped only where neither works.
     */
    @Test
    void aReadOnlyDatadirIsRejectedNamingThePath() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("read-only"));
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root) {
            org.junit.jupiter.api.Assumptions.assumeTrue(new ProcessBuilder("chattr", "+i", dir.toString()).inheritIO().start().waitFor() == 0,
                    "chattr +i is not available here: a read-only directory cannot be made for root");
        } else {
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("r-xr-xr-x"));
        }
        try {
            Result r = runNodeOn(dir);
            assertOneLineConfigError(r, "--datadir " + dir + " is not writable: ");
            assertTrue(!Files.exists(dir.resolve("kafka")), "nothing started");
        } finally {
            if (root) {
                new ProcessBuilder("chattr", "-i", dir.toString()).inheritIO().start().waitFor();
            } else {
                Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
    }

    @Test
    void anUnknownUndecodablePolicyIsRejected() {
        assertFailsWith("invalid --kafka.on-undecodable 'skip': expected stop or dead-letter", "--chain", "dev", "--kafka.on-undecodable", "skip");
    }

    @Test
    void bothSignerSourcesAreRejected() throws Exception {
        Path key = tmp.resolve("k");
        Files.writeString(key, "0x" + "11".repeat(32));
        assertFailsWith("Cannot specify more than one signer key source",
                "--chain", "dev", "--sequencer.enabled", "--signer.key-file", key.toString(), "--signer.aws-kms-key-id", "arn:aws:kms:x");
    }

    @Test
    void sequencerWithoutSignerOrTestIsRejected() {
        assertFailsWith("Either signer key file, AWS KMS key ID or --test is required", "--chain", "dev", "--sequencer.enabled");
    }

    @Test
    void aBadOrDanglingSystemConfigAddressIsRejected() {
        assertFailsWith("invalid --l1.system-config-address", "--chain", "dev", "--test", "--l1.url", "http://127.0.0.1:8545",
                "--l1.system-config-address", "0x1234");
        assertFailsWith("--l1.system-config-address needs --l1.url", "--chain", "dev", "--test", "--l1.system-config-address",
                "0x" + "5c".repeat(20));
    }

    @Test
    void unknownChainIsRejected() {
        assertFailsWith("unknown chain 'scroll-goerli'", "--chain", "scroll-goerli");
    }

    @Test
    void malformedInclusionModeIsRejectedQuotingTheForms() {
        assertFailsWith("expected 'finalized', 'finalized:N' or 'depth:N'", "--chain", "dev", "--test", "--sequencer.l1-inclusion-mode", "safe:3");
        assertFailsWith("invalid --sequencer.l1-inclusion-mode 'depth:'", "--chain", "dev", "--test", "--sequencer.l1-inclusion-mode", "depth:");
    }

    @Test
    void buildingDurationMustBeBelowBlockTime() {
        assertFailsWith("must be positive and below --sequencer.block-time (500 ms)",
                "--chain", "dev", "--test", "--sequencer.block-time", "500", "--sequencer.payload-building-duration", "500");
    }

    @Test
    void maxUnsignedBlocksMustNotBeNegative() {
        assertFailsWith("--sequencer.max-unsigned-blocks must be 0 (no limit) or positive, got -1",
                "--chain", "dev", "--test", "--sequencer.max-unsigned-blocks", "-1");
    }

    @Test
    void testModeIsRefusedOnMainnet() {
        assertFailsWith("--test is not allowed with --chain scroll-mainnet", "--chain", "scroll-mainnet", "--test", "--sequencer.enabled");
    }

    @Test
    void keyFileProblemsAreNamedWithoutEchoingTheKey() throws Exception {
        Path key = tmp.resolve("short.key");
        Files.writeString(key, "0xdeadbeefcafe\n");
        assertFailsWith("expected 64 hex characters, found 12", "--chain", "dev", "--sequencer.enabled", "--signer.key-file", key.toString());
        Result r = run(node("--chain", "dev", "--sequencer.enabled", "--signer.key-file", key.toString()).toArray(new String[0]));
        assertTrue(!r.err().contains("deadbeef"), "the key never appears in errors");
        assertFailsWith("file does not exist", "--chain", "dev", "--sequencer.enabled", "--signer.key-file", tmp.resolve("missing").toString());
        Path zero = tmp.resolve("zero.key");
        Files.writeString(zero, "00".repeat(32));
        assertFailsWith("not a valid secp256k1 scalar", "--chain", "dev", "--sequencer.enabled", "--signer.key-file", zero.toString());
        Path nonHex = tmp.resolve("nonhex.key");
        Files.writeString(nonHex, "zz".repeat(32));
        assertFailsWith("non-hex character at position 0", "--chain", "dev", "--sequencer.enabled", "--signer.key-file", nonHex.toString());
    }

    @Test
    void unknownHttpNamespaceAndBadFeeRecipientAreRejected() {
        assertFailsWith("unknown --http.api namespace 'bogus'", "--chain", "dev", "--test", "--http.api", "eth,bogus");
        assertFailsWith("invalid --sequencer.fee-recipient '0x1234'", "--chain", "dev", "--test", "--sequencer.fee-recipient", "0x1234");
        assertFailsWith("invalid --l1.url 'ftp://x'", "--chain", "dev", "--test", "--l1.url", "ftp://x");
    }

    @Test
    void helpDocumentsEveryFlagOfTheGuide() {
        Result r = run("node", "--help");
        assertEquals(0, r.code());
        for (String flag : List.of("--chain", "--datadir", "--test", "--sequencer.enabled", "--sequencer.auto-start",
                "--sequencer.block-time", "--sequencer.payload-building-duration", "--sequencer.allow-empty-blocks",
                "--sequencer.fee-recipient", "--sequencer.l1-inclusion-mode", "--sequencer.max-l1-messages", "--signer.key-file",
                "--signer.aws-kms-key-id", "--l1.url", "--blob.s3_url", "--http", "--http.addr", "--http.port", "--http.api",
                "--kafka.bootstrap-servers")) {
            assertTrue(r.out().contains(flag), "--help lacks " + flag);
        }
        String help = r.out().replaceAll("\\s+", " "); // picocli wraps at the terminal width
        assertTrue(help.contains("finalized:2") && help.contains("0x5300000000000000000000000000000000000005")
                && help.contains("(default: 1000)") && help.contains("(default: 800)"), "defaults are documented: " + help);
    }
}
