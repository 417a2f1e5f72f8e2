package org.rollupnode.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rollupnode.audit.ExportFile;
import org.rollupnode.audit.KafkaRecordSource;
import org.rollupnode.audit.RecordSource;
import org.rollupnode.audit.Replay;
import org.rollupnode.execution.util.GenerationalCache;
import org.rollupnode.audit.ReplayReport;
import org.rollupnode.execution.chain.ChainSpec;
import org.rollupnode.execution.chain.ChainSpecs;
import org.rollupnode.execution.types.Address;
import org.rollupnode.kafka.KafkaSettings;
import org.rollupnode.schemas.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code rollup-node replay} and {@code rollup-node export}: the auditors' tools. */
final class AuditCommands {
    private AuditCommands() {}

    static KafkaSettings kafka(String bootstrap, Map<String, String> props) {
        return new KafkaSettings(bootstrap, props);
    }

    @Command(name = "replay", mixinStandardHelpOptions = true,
            description = "Re-execute every block from genesis from the topics (or an export file) and check headers, state roots, "
                    + "signatures and that each height has one payload. Exits 1 at the first divergence.")
    static final class ReplayCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--kafka.bootstrap-servers", paramLabel = "<HOST:PORT,...>", description = "Cluster to read the topics from.")
        String bootstrap;

        @Option(names = "--kafka.property", paramLabel = "<KEY=VALUE>", description = "Extra Kafka client property (TLS, SASL). Repeatable.")
        Map<String, String> kafkaProperties = new LinkedHashMap<>();

        @Option(names = "--input", paramLabel = "<FILE>", description = "Replay an export file (rollup-node export) instead of a cluster.")
        Path input;

        @Option(names = "--chain", defaultValue = "scroll-mainnet", description = "Chain (default: ${DEFAULT-VALUE}).")
        String chain;

        @Option(names = "--from", defaultValue = "1", description = "First block to report on (replay always starts at genesis).")
        long from;

        @Option(names = "--to", defaultValue = "9223372036854775807", description = "Last block to check (default: the end of the stream).")
        long to;

        @Option(names = "--consensus.authorized-signer", paramLabel = "<ADDRESS>",
                description = "Every block must be signed by this address (default: the signer of block 1).")
        String authorizedSigner;

        @Option(names = "--report", defaultValue = "replay-report.json", paramLabel = "<FILE>", description = "JSON report (default: ${DEFAULT-VALUE}).")
        Path report;

        @Override
        public Integer call() throws Exception {
            if ((bootstrap == null) == (input == null)) {
                throw new ConfigException("replay needs exactly one of --kafka.bootstrap-servers or --input");
            }
            ChainSpec chainSpec;
            Address signer = null;
            try {
                chainSpec = ChainSpecs.byName(chain);
                if (authorizedSigner != null) {
                    signer = Address.fromHex(authorizedSigner);
                }
            } catch (IllegalArgumentException e) {
                throw new ConfigException(e.getMessage());
            }
            RecordSource source = input != null ? ExportFile.open(input) : new KafkaRecordSource(kafka(bootstrap, kafkaProperties));
            var err = spec.commandLine().getErr();
            boolean terminal = System.console() != null;
            ReplayReport r;
            // A replay recovers and compresses each transaction once: the memos would only cost.
            GenerationalCache.bypassAll(true);
            try {
                r = new Replay(chainSpec, signer).run(source, from, to, terminal ? Replay.printer(line -> {
                    err.print("\r" + line);
                    err.flush();
                }) : null);
            } finally {
                GenerationalCache.bypassAll(false);
            }
            if (terminal) {
                err.println();
            }
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(report.toFile(), r);
            var out = spec.commandLine().getOut();
            if (r.ok()) {
                out.printf("replay ok: %d blocks, %d transactions checked in %d ms (%.0f blocks/s)%s; report %s%n", r.blocksChecked(),
                        r.transactions(), r.elapsedMillis(), r.blocksPerSecond(),
                        r.unsignedTail() > 0 ? ", " + r.unsignedTail() + " newest block(s) not signed yet" : "", report);
                return 0;
            }
            ReplayReport.Divergence d = r.divergence();
            out.printf("replay FAILED at block %d (%s): %s expected %s, actual %s [%s@%d]%n  %s%nreport %s%n", d.block(), d.check(), d.field(),
                    d.expected(), d.actual(), d.topic(), d.offset(), d.message(), report);
            return 1;
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Check the reliability invariants of a running cluster: everything replay checks, every acknowledged "
                    + "transaction included exactly once or with a recorded outcome, and gateways answering what the topics hold.")
    static final class CheckCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--kafka.bootstrap-servers", required = true, paramLabel = "<HOST:PORT,...>")
        String bootstrap;

        @Option(names = "--kafka.property", paramLabel = "<KEY=VALUE>")
        Map<String, String> kafkaProperties = new LinkedHashMap<>();

        @Option(names = "--chain", defaultValue = "scroll-mainnet")
        String chain;

        @Option(names = "--consensus.authorized-signer", paramLabel = "<ADDRESS>")
        String authorizedSigner;

        @Option(names = "--hashes", paramLabel = "<FILE>",
                description = "File with the transaction hashes clients got back from eth_sendRawTransaction, one per line.")
        Path hashes;

        @Option(names = "--gateway", paramLabel = "<URL>", description = "A gateway to compare with the topics. Repeatable.")
        List<java.net.URI> gateways = new java.util.ArrayList<>();

        @Override
        public Integer call() throws Exception {
            ChainSpec chainSpec;
            Address signer = null;
            try {
                chainSpec = ChainSpecs.byName(chain);
                if (authorizedSigner != null) {
                    signer = Address.fromHex(authorizedSigner);
                }
            } catch (IllegalArgumentException e) {
                throw new ConfigException(e.getMessage());
            }
            List<String> acknowledged = hashes == null ? List.of()
                    : java.nio.file.Files.readAllLines(hashes).stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
            org.rollupnode.audit.InvariantChecker.Report report;
            GenerationalCache.bypassAll(true); // as for replay: each transaction is recovered once
            try {
                report = new org.rollupnode.audit.InvariantChecker(chainSpec, signer)
                        .check(new KafkaRecordSource(kafka(bootstrap, kafkaProperties)), acknowledged, gateways);
            } finally {
                GenerationalCache.bypassAll(false);
            }
            var out = spec.commandLine().getOut();
            out.printf("blocks checked %d, acknowledged %d: included once %d, with outcome %d%n", report.replay().blocksChecked(),
                    report.acknowledged(), report.included(), report.withOutcome());
            report.violations().forEach(v -> out.printf("VIOLATION %s: %s%n", v.invariant(), v.detail()));
            out.println(report.ok() ? "all invariants hold" : report.violations().size() + " violation(s)");
            return report.ok() ? 0 : 1;
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Write the topics an audit needs to a JSON Lines file, so `replay --input` can check it without cluster access.")
    static final class ExportCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--kafka.bootstrap-servers", required = true, paramLabel = "<HOST:PORT,...>")
        String bootstrap;

        @Option(names = "--kafka.property", paramLabel = "<KEY=VALUE>")
        Map<String, String> kafkaProperties = new LinkedHashMap<>();

        @Option(names = "--out", required = true, paramLabel = "<FILE>", description = "Output file (JSON Lines).")
        Path out;

        @Override
        public Integer call() throws Exception {
            List<String> topics = List.of(Topics.SEQUENCER_STREAM.name(), Topics.SIGNED_BLOCKS.name(), Topics.SEQUENCER_CONTROL.name(),
                    Topics.L1_EVENTS.name());
            int n = ExportFile.write(out, new KafkaRecordSource(kafka(bootstrap, kafkaProperties)), topics);
            spec.commandLine().getOut().printf("exported %d records of %s to %s%n", n, topics, out);
            return 0;
        }
    }
}
