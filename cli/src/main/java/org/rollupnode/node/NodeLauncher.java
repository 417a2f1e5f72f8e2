package org.rollupnode.node;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import org.rollupnode.execution.chain.ChainSpec;
import org.rollupnode.execution.chain.ChainSpecs;
import org.rollupnode.execution.chain.Genesis;
import org.rollupnode.execution.types.Address;
import org.rollupnode.gateway.GatewayConfig;
import org.rollupnode.chain.ExecutedBlocks;
import org.rollupnode.gateway.RpcGatewayService;
import org.rollupnode.kafka.EmbeddedKafkaBroker;
import org.rollupnode.kafka.KafkaSettings;
import org.rollupnode.kafka.UndecodableRecords;
import org.rollupnode.kafka.TopicAdmin;
import org.rollupnode.schemas.Topics;
import org.rollupnode.sequencer.InclusionMode;
import org.rollupnode.sequencer.SequencerConfig;
import org.rollupnode.sequencer.SequencerService;
import org.rollupnode.signer.AuthorizedSignerPolicy;
import org.rollupnode.signer.BlockSigner;
import org.rollupnode.signer.KeyFile;
import org.rollupnode.signer.KmsSigner;
import org.rollupnode.signer.KmsSignerConfig;
import org.rollupnode.signer.LocalKeySigner;
import org.rollupnode.signer.SignerService;
import org.rollupnode.watcher.L1WatcherConfig;
import org.rollupnode.watcher.L1WatcherService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Validates the flags and starts the requested services. Used by every command and by tests. */
public final class NodeLauncher {
    private static final Logger LOG = LoggerFactory.getLogger("rollup_node::node");
    static final Set<String> KNOWN_NAMESPACES = Set.of("eth", "net", "web3", "txpool", "debug", "trace", "rollupnode",
            "rollupnodeadmin", "admin", "rpc", "reth", "ots", "flashbots", "miner", "mev");

    private NodeLauncher() {}

    /**
     * The checked configuration; building it throws {@link ConfigException} on any bad flag. At most
     * one of {@code signerKey} (key file or --test) and {@code kms} is set, and only when this launch signs.
     */
    record Validated(ChainSpec spec, Path datadir, SequencerConfig sequencer, BigInteger signerKey, KmsSignerConfig kms,
                     Address authorizedSigner, Set<String> apis) {
        @Override
        public String toString() {
            return "Validated[" + spec.name() + ", " + datadir + "]"; // never the key
        }
    }

    static Validated validate(NodeOptions o, Set<Role> roles) {
        ChainSpec spec;
        try {
            spec = ChainSpecs.byName(o.chain);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        if (o.test && spec.name().equals("scroll-mainnet")) {
            throw new ConfigException("--test is not allowed with --chain scroll-mainnet: its dev signer key is public");
        }
        if (o.signerKeyFile != null && o.signerAwsKmsKeyId != null) {
            throw new ConfigException("Cannot specify more than one signer key source: --signer.key-file and --signer.aws-kms-key-id are mutually exclusive");
        }
        if ((o.signerAwsKmsEndpoint != null || o.signerAwsRegion != null) && o.signerAwsKmsKeyId == null) {
            throw new ConfigException("--signer.aws-kms-endpoint and --signer.aws-region need --signer.aws-kms-key-id");
        }
        if (o.signerAwsKmsKeyId != null && o.signerAwsKmsKeyId.isBlank()) {
            throw new ConfigException("--signer.aws-kms-key-id must not be empty");
        }
        URI kmsEndpoint = o.signerAwsKmsEndpoint;
        if (kmsEndpoint != null && (kmsEndpoint.getScheme() == null || !Set.of("http", "https").contains(kmsEndpoint.getScheme())
                || kmsEndpoint.getHost() == null)) {
            throw new ConfigException("invalid --signer.aws-kms-endpoint '" + kmsEndpoint + "': expected an http:// or https:// URL");
        }
        if (o.signerAwsRegion != null && !o.signerAwsRegion.matches("[a-z]{2}(-[a-z]+)+-\\d+")) {
            throw new ConfigException("invalid --signer.aws-region '" + o.signerAwsRegion + "': expected a region name such as us-east-1");
        }
        boolean signs = roles.contains(Role.SIGNER) && (o.sequencerEnabled || roles.size() == 1);
        if (o.sequencerEnabled && roles.contains(Role.SIGNER) && o.signerKeyFile == null && o.signerAwsKmsKeyId == null && !o.test) {
            throw new ConfigException("Either signer key file, AWS KMS key ID or --test is required when the sequencer is enabled");
        }
        if (roles.equals(Set.of(Role.SIGNER)) && o.signerKeyFile == null && o.signerAwsKmsKeyId == null && !o.test) {
            throw new ConfigException("the signer needs --signer.key-file, --signer.aws-kms-key-id or --test");
        }
        InclusionMode inclusion;
        Address feeRecipient;
        try {
            inclusion = InclusionMode.parse(o.l1InclusionMode);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        try {
            feeRecipient = Address.fromHex(o.feeRecipient);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("invalid --sequencer.fee-recipient '" + o.feeRecipient + "': " + e.getMessage());
        }
        if (o.maxL1Messages != null && o.maxL1Messages < 0) {
            throw new ConfigException("--sequencer.max-l1-messages must not be negative");
        }
        if (o.gasLimit != null && o.gasLimit < 21_000) {
            throw new ConfigException("--builder.gaslimit must be at least 21000");
        }
        if (o.l1HeartbeatIntervalMs <= 0) {
            throw new ConfigException("invalid --l1.heartbeat-interval " + o.l1HeartbeatIntervalMs + ": must be a positive number of ms");
        }
        if (o.l1Url != null && (o.l1Url.getScheme() == null || !Set.of("http", "https").contains(o.l1Url.getScheme()) || o.l1Url.getHost() == null)) {
            throw new ConfigException("invalid --l1.url '" + o.l1Url + "': expected an http:// or https:// URL");
        }
        if (o.httpPort < 0 || o.httpPort > 65535) {
            throw new ConfigException("invalid --http.port " + o.httpPort + ": expected 0-65535");
        }
        Set<String> apis = namespaces(o.httpApi, "--http.api");
        namespaces(o.wsApi, "--ws.api");
        if (o.wsPort < 0 || o.wsPort > 65535) {
            throw new ConfigException("invalid --ws.port " + o.wsPort + ": expected 0-65535");
        }
        if (o.metrics != null && !o.metrics.matches("([^:]+:)?[0-9]{1,5}")) {
            throw new ConfigException("invalid --metrics '" + o.metrics + "': expected <addr>:<port>, e.g. 127.0.0.1:9001");
        }
        if (o.txpoolMaxCount < 1 || o.txpoolMaxAccountSlots < 1) {
            throw new ConfigException("--txpool.pending-max-count and --txpool.max-account-slots must be at least 1");
        }
        if (o.l1SystemConfigAddress != null) {
            try {
                Address.fromHex(o.l1SystemConfigAddress);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("invalid --l1.system-config-address: " + e.getMessage());
            }
            if (o.l1Url == null) {
                throw new ConfigException("--l1.system-config-address needs --l1.url: the authorized signer is read from L1");
            }
        }
        if (o.l1MessageQueueAddress != null) {
            try {
                Address.fromHex(o.l1MessageQueueAddress);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("invalid --l1.message-queue-address: " + e.getMessage());
            }
        }
        try {
            UndecodableRecords.Policy.parse(o.kafkaOnUndecodable);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        if (o.blockTimeMs <= 0) {
            throw new ConfigException("--sequencer.block-time must be positive, got " + o.blockTimeMs);
        }
        if (o.payloadBuildingDurationMs <= 0 || o.payloadBuildingDurationMs >= o.blockTimeMs) {
            throw new ConfigException("--sequencer.payload-building-duration (" + o.payloadBuildingDurationMs
                    + " ms) must be positive and below --sequencer.block-time (" + o.blockTimeMs + " ms)");
        }
        if (o.maxUnsignedBlocks < 0) {
            throw new ConfigException("--sequencer.max-unsigned-blocks must be 0 (no limit) or positive, got " + o.maxUnsignedBlocks);
        }
        Address authorized = null;
        if (o.authorizedSigner != null) {
            try {
                authorized = Address.fromHex(o.authorizedSigner);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("invalid --consensus.authorized-signer: " + e.getMessage());
            }
        }
        BigInteger key = null;
        KmsSignerConfig kms = null;
        if (signs || (o.sequencerEnabled && roles.contains(Role.SIGNER))) {
            if (o.signerAwsKmsKeyId != null) {
                kms = KmsSignerConfig.of(o.signerAwsKmsKeyId.strip(), kmsEndpoint, o.signerAwsRegion);
            } else if (o.signerKeyFile != null) {
                try {
                    key = KeyFile.read(o.signerKeyFile);
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(e.getMessage());
                }
            } else if (o.test) {
                key = DevKeys.DEV_SIGNER_KEY;
            }
        }
        if (!spec.genesisBundled() && (roles.contains(Role.SEQUENCER) || roles.contains(Role.RPC_GATEWAY) || roles.contains(Role.SIGNER))) {
            throw new ConfigException("--chain " + spec.name() + ": its genesis state is not bundled with this version; use --chain dev");
        }
        Path datadir = o.datadir != null ? o.datadir
                : Path.of(System.getProperty("user.home"), ".local", "share", "rollup-node", spec.name());
        String sequencerId = "sequencer-" + UUID.randomUUID().toString().substring(0, 8);
        SequencerConfig seq = new SequencerConfig(o.sequencerEnabled, o.sequencerAutoStart, Duration.ofMillis(o.blockTimeMs),
                Duration.ofMillis(o.payloadBuildingDurationMs), o.allowEmptyBlocks, feeRecipient, inclusion, o.maxL1Messages,
                o.gasLimit, sequencerId, o.txpoolMaxCount, o.txpoolMaxAccountSlots, o.maxUnsignedBlocks);
        return new Validated(spec, datadir.toAbsolutePath(), seq, key, kms, authorized, apis);
    }

    public static RunningNode launch(NodeOptions o, Set<Role> roles) {
        Validated v = validate(o, roles);
        RunningNode node = new RunningNode();
        try {
            checkDatadir(v.datadir());
            lockDatadir(node, v.datadir());
            Path stateDir = v.datadir().resolve("state");
            if (roles.contains(Role.SEQUENCER) && o.sequencerEnabled) {
                ensureWritable(stateDir, "state store directory");
            }
            // Before the broker starts: an unusable KMS key stops the launch with nothing else running.
            BlockSigner blockSigner = buildSigner(o, v, node);
            LOG.info("Starting rollup-node {} on {} with data directory {}", roles, v.spec(), v.datadir());
            JvmCheck.warnIfUnsafe(LOG);
            String bootstrap = o.kafkaBootstrapServers;
            if (bootstrap == null) {
                node.broker = new EmbeddedKafkaBroker(v.datadir().resolve("kafka")).start();
                node.closeables.add(node.broker);
                bootstrap = node.broker.bootstrapServers();
            }
            node.bootstrapServers = bootstrap;
            KafkaSettings kafka = new KafkaSettings(bootstrap, o.kafkaProperties, UndecodableRecords.Policy.parse(o.kafkaOnUndecodable));
            TopicAdmin.ensureTopics(kafka, Topics.ALL);
            // Up before the services catch up, so /ready answers 503 (not "connection refused") meanwhile.
            if (o.metrics != null) {
                int colon = o.metrics.lastIndexOf(':');
                String host = colon > 0 ? o.metrics.substring(0, colon) : "127.0.0.1";
                int port = Integer.parseInt(o.metrics.substring(colon + 1));
                node.metrics = new MetricsServer(host, port, node::readiness);
                node.closeables.add(node.metrics);
            }
            Address signerAddress = blockSigner == null ? null : blockSigner.address();
            Address authorized = v.authorizedSigner() != null ? v.authorizedSigner() : signerAddress;
            String systemConfig = systemConfig(o, v.spec());
            AuthorizedSignerPolicy signerPolicy = AuthorizedSignerPolicy.choose(v.authorizedSigner(), systemConfig != null);
            LOG.info("Genesis {} (state root {})", Genesis.of(v.spec()).header().hash(), Genesis.of(v.spec()).header().stateRoot());

            // Blocks the sequencer built, for the gateway's chain view in this process (not executed twice).
            ExecutedBlocks executedBlocks = new ExecutedBlocks(64);
            if (roles.contains(Role.SIGNER) && blockSigner != null) {
                node.signer = new SignerService(blockSigner, v.spec(), kafka, "signer-" + UUID.randomUUID().toString().substring(0, 8))
                        .authorizedSigner(signerPolicy);
                node.closeables.add(node.signer);
                node.signer.start();
            }
            if (roles.contains(Role.SEQUENCER) && o.sequencerEnabled) {
                node.sequencer = new SequencerService(v.sequencer().withStateDir(stateDir), v.spec(), kafka);
                if (roles.contains(Role.RPC_GATEWAY) && !o.gatewayReexecuteOwnBlocks) {
                    node.sequencer.shareExecutedBlocks(executedBlocks);
                }
                node.closeables.add(node.sequencer);
                node.sequencer.start();
                if (!node.sequencer.awaitCaughtUp(Duration.ofSeconds(120))) {
                    throw new IllegalStateException("the sequencer did not catch up with the sequencer stream within 120 s"
                            + (node.sequencer.failure() != null ? ": " + node.sequencer.failure().getMessage() : ""));
                }
            } else if (roles.contains(Role.SEQUENCER)) {
                LOG.info("Sequencer disabled (no --sequencer.enabled)");
            }
            if (roles.contains(Role.L1_WATCHER)) {
                L1WatcherConfig wc = null;
                if (o.l1Url != null) {
                    try {
                        L1WatcherConfig d = L1WatcherConfig.defaults(o.l1Url, v.spec().l1MessageQueueV2().toHex());
                        wc = new L1WatcherConfig(o.l1Url, o.l1MessageQueueAddress != null ? o.l1MessageQueueAddress : d.messageQueueAddress(),
                                o.l1QueryRange, o.l1MaxRetries, Duration.ofMillis(o.l1InitialBackoffMs), d.pollInterval(), d.startBlock(),
                                d.firstQueueIndex(), systemConfig);
                    } catch (IllegalArgumentException e) {
                        throw new ConfigException(e.getMessage());
                    }
                }
                L1WatcherService watcher = new L1WatcherService(wc, kafka, "l1-watcher-" + UUID.randomUUID().toString().substring(0, 8));
                watcher.heartbeatInterval(Duration.ofMillis(o.l1HeartbeatIntervalMs));
                node.closeables.add(watcher);
                node.watcher = watcher;
                watcher.start();
            }
            if (roles.contains(Role.RPC_GATEWAY) && (o.http || roles.size() == 1)) {
                String id = o.gatewayId != null ? o.gatewayId : hostName() + ":" + o.httpPort;
                GatewayConfig gc = new GatewayConfig(o.httpAddr, o.httpPort, v.apis(), o.httpCorsDomain, id, authorized);
                if (v.authorizedSigner() != null) {
                    gc = gc.withFixedAuthorizedSigner();
                }
                if (o.ws) {
                    gc = gc.withWebSocket(o.wsAddr, o.wsPort, namespaces(o.wsApi, "--ws.api"));
                }
                long gasLimit = o.gasLimit != null ? o.gasLimit : v.spec().defaultBlockGasLimit();
                node.gateway = new RpcGatewayService(gc, v.spec(), kafka, gasLimit);
                if (node.sequencer != null && !o.gatewayReexecuteOwnBlocks) {
                    node.gateway.reuse(executedBlocks);
                }
                node.closeables.add(node.gateway);
                if (node.watcher != null) {
                    node.gateway.l1WatcherStatus(node.watcher::status); // lets rollupNode_status say whether L1 answers
                }
                node.gateway.start(Duration.ofSeconds(120));
            }
            return node;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            node.close();
            throw new IllegalStateException("interrupted during start-up", e);
        } catch (RuntimeException | IOException e) {
            node.close();
            if (e instanceof ConfigException ce) {
                throw ce;
            }
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** The L1 SystemConfig to read the authorized signer from: the flag's, else the chain's; null without --l1.url. */
    static String systemConfig(NodeOptions o, ChainSpec spec) {
        if (o.l1Url == null) {
            return null;
        }
        return o.l1SystemConfigAddress != null ? o.l1SystemConfigAddress : L1WatcherConfig.defaultSystemConfig(spec.name());
    }

    /** The block signer of this launch, or null when it does not sign. A KMS client is closed with the node. */
    private static BlockSigner buildSigner(NodeOptions o, Validated v, RunningNode node) {
        if (v.kms() != null) {
            KmsSigner kms = KmsSigner.connect(v.kms(), v.spec().chainId());
            node.closeables.add(kms);
            return kms;
        }
        if (v.signerKey() != null) {
            LocalKeySigner signer = new LocalKeySigner(v.signerKey());
            LOG.info("Created private key signer with address: {} for chain ID: {}{}", signer.address(), v.spec().chainId(),
                    o.test && o.signerKeyFile == null ? " (--test dev key)" : "");
            return signer;
        }
        return null;
    }

    static Set<String> namespaces(List<String> list, String flag) {
        Set<String> out = new LinkedHashSet<>();
        for (String api : list) {
            String a = api.strip().toLowerCase(Locale.ROOT);
            if (a.isEmpty()) {
                continue;
            }
            if (!KNOWN_NAMESPACES.contains(a)) {
                throw new ConfigException("unknown " + flag + " namespace '" + api + "'; known: eth, net, web3, txpool, debug, trace, "
                        + "rollupNode, rollupNodeAdmin, admin, rpc, reth, ots, flashbots, miner, mev");
            }
            out.add(a);
        }
        return out;
    }

    /** One clear line naming the path when a directory cannot be created or written (not a stack trace later). */
    private static void ensureWritable(Path dir, String what) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new ConfigException("cannot create the " + what + " " + dir + " (" + e.getClass().getSimpleName() + ")");
        }
        if (!Files.isWritable(dir)) {
            throw new ConfigException("the " + what + " " + dir + " is not writable");
        }
    }

    /**
     * A data directory we cannot write is a configuration error: one line naming the path, exit 2,
     * before the broker or any service starts (they would fail later, less clearly). Writability is
     * probed by creating a file, not by permission bits, which say nothing for root, read-only
     * mounts or immutable directories.
     */
    static void checkDatadir(Path datadir) {
        if (Files.exists(datadir) && !Files.isDirectory(datadir)) {
            throw new ConfigException("--datadir " + datadir + " is not a directory");
        }
        try {
            Files.createDirectories(datadir);
        } catch (IOException e) {
            throw new ConfigException("cannot create --datadir " + datadir + ": " + ioReason(e));
        }
        try {
            Path probe = Files.createTempFile(datadir, ".write-probe", null);
            Files.delete(probe);
        } catch (IOException e) {
            throw new ConfigException("--datadir " + datadir + " is not writable: " + ioReason(e));
        }
    }

    private static String ioReason(IOException e) {
        if (e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null) {
            return fse.getReason() + (fse.getFile() != null ? " (" + fse.getFile() + ")" : "");
        }
        return e.getClass().getSimpleName() + (e.getMessage() != null ? ": " + e.getMessage() : "");
    }

    private static void lockDatadir(RunningNode node, Path datadir) throws IOException {
        Path lockFile = datadir.resolve("LOCK");
        FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        java.nio.channels.FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            ch.close();
            throw new ConfigException("data directory " + datadir + " is in use by another rollup-node process");
        }
        node.lockChannel = ch;
        node.lock = lock;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "gateway";
        }
    }

    static List<Role> all() {
        return List.of(Role.SEQUENCER, Role.SIGNER, Role.L1_WATCHER, Role.RPC_GATEWAY);
    }
}
