package org.rollupnode.node;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Every flag of {@code rollup-node node}, with the Rust node's names and defaults
 * (running-a-sequencer.md, rust-node-reference.md). The per-service commands take the same flags.
 */
public final class NodeOptions {
    @Option(names = "--chain", defaultValue = "scroll-mainnet", paramLabel = "<CHAIN>",
            description = "Chain to run: dev, scroll-sepolia or scroll-mainnet (default: ${DEFAULT-VALUE}).")
    String chain;

    @Option(names = {"--datadir", "-d"}, paramLabel = "<DIR>",
            description = "Data directory (embedded Kafka log, lock file). Default: $HOME/.local/share/rollup-node/<chain>.")
    Path datadir;

    @Option(names = "--test", description = "Development mode: sign with the fixed dev key from the README. Never on scroll-mainnet.")
    boolean test;

    @Option(names = "--kafka.bootstrap-servers", paramLabel = "<HOST:PORT,...>",
            description = "Use this Kafka cluster instead of the embedded broker under --datadir.")
    String kafkaBootstrapServers;

    @Option(names = "--kafka.property", paramLabel = "<KEY=VALUE>",
            description = "Extra Kafka client property passed to every client (TLS, SASL, ...). Repeatable.")
    Map<String, String> kafkaProperties = new LinkedHashMap<>();

    @Option(names = "--kafka.on-undecodable", paramLabel = "<stop|dead-letter>",
            description = "A topic record that does not decode: stop reading that partition at it (default), or copy it to the "
                    + "dead-letters topic and go on (dead-letter; only pending-transactions and transaction-outcomes, the chain "
                    + "topics, l1-events and sequencer-control always stop).")
    String kafkaOnUndecodable = "stop";

    // ---- sequencer ----
    @Option(names = "--sequencer.enabled", description = "Enable sequencer mode (default: false).")
    boolean sequencerEnabled;

    @Option(names = "--sequencer.auto-start", description = "Start sequencing at startup (default: false); otherwise via rollupNodeAdmin_enableAutomaticSequencing.")
    boolean sequencerAutoStart;

    @Option(names = "--sequencer.block-time", defaultValue = "1000", paramLabel = "<MS>",
            description = "Time between blocks in milliseconds (default: ${DEFAULT-VALUE}).")
    long blockTimeMs;

    @Option(names = "--sequencer.payload-building-duration", defaultValue = "800", paramLabel = "<MS>",
            description = "Time allocated to building each payload in milliseconds (default: ${DEFAULT-VALUE}).")
    long payloadBuildingDurationMs;

    @Option(names = "--sequencer.allow-empty-blocks", description = "Produce blocks without transactions (default: false).")
    boolean allowEmptyBlocks;

    @Option(names = "--sequencer.fee-recipient", defaultValue = "0x5300000000000000000000000000000000000005", paramLabel = "<ADDRESS>",
            description = "Coinbase of built blocks (default: ${DEFAULT-VALUE}, the Scroll fee vault).")
    String feeRecipient;

    @Option(names = "--sequencer.l1-inclusion-mode", defaultValue = "finalized:2", paramLabel = "<MODE>",
            description = "When L1 messages are eligible: finalized, finalized:N or depth:N (default: ${DEFAULT-VALUE}).")
    String l1InclusionMode;

    @Option(names = "--sequencer.max-l1-messages", paramLabel = "<N>",
            description = "Maximum L1 messages per block (default: the chain's value, 10).")
    Integer maxL1Messages;

    @Option(names = "--sequencer.max-unsigned-blocks", defaultValue = "64", paramLabel = "<N>",
            description = "Hold building while this many built blocks wait for a signature (signer down or slow); "
                    + "0 never holds (default: ${DEFAULT-VALUE}).")
    int maxUnsignedBlocks;

    @Option(names = "--builder.gaslimit", paramLabel = "<GAS>", description = "Block gas limit (default: the chain's, 20,000,000).")
    Long gasLimit;

    // ---- signer ----
    @Option(names = "--signer.key-file", paramLabel = "<PATH>", description = "File with the hex-encoded signer private key.")
    Path signerKeyFile;

    @Option(names = "--signer.aws-kms-key-id", paramLabel = "<ARN>",
            description = "AWS KMS key id, key ARN or alias of the signer key (key spec ECC_SECG_P256K1, usage SIGN_VERIFY). "
                    + "Credentials and region come from the AWS SDK's standard chains (environment, profile, instance or container role).")
    String signerAwsKmsKeyId;

    @Option(names = "--signer.aws-kms-endpoint", paramLabel = "<URL>",
            description = "AWS KMS endpoint override (VPC or FIPS endpoint, or a local KMS for tests). Default: the region's endpoint.")
    URI signerAwsKmsEndpoint;

    @Option(names = "--signer.aws-region", paramLabel = "<REGION>",
            description = "AWS region of the KMS key. Default: the SDK's region chain (AWS_REGION, profile).")
    String signerAwsRegion;

    @Option(names = "--consensus.authorized-signer", paramLabel = "<ADDRESS>",
            description = "Address every block must be signed by (readers refuse others, the signer signs only with it); takes "
                    + "precedence over L1's SystemConfig. Default: read from L1 (--l1.url with a SystemConfig), else the configured signer.")
    String authorizedSigner;

    @Option(names = "--l1.system-config-address", paramLabel = "<ADDRESS>",
            description = "L1 SystemConfig contract whose storage slot 0x67 holds the authorized block signer (default: the chain's; "
                    + "scroll-mainnet 0x8432728A257646449245558B8b7Dbe51A16c7a4D, scroll-sepolia 0xC706Ba9fa4fedF4507CB7A898b4766c1bbf9be57, "
                    + "none for dev).")
    String l1SystemConfigAddress;

    // ---- L1 ----
    @Option(names = "--l1.url", paramLabel = "<URL>", description = "L1 execution JSON-RPC endpoint (HTTP).")
    URI l1Url;

    @Option(names = "--blob.s3_url", paramLabel = "<URL>", description = "S3 blob source (accepted for compatibility; a sequencer does not need it).")
    URI blobS3Url;

    // ---- HTTP ----
    @Option(names = "--http", description = "Enable the HTTP JSON-RPC server.")
    boolean http;

    @Option(names = "--http.addr", defaultValue = "127.0.0.1", paramLabel = "<ADDR>", description = "HTTP listen address (default: ${DEFAULT-VALUE}).")
    String httpAddr;

    @Option(names = "--http.port", defaultValue = "8545", paramLabel = "<PORT>", description = "HTTP listen port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int httpPort;

    @Option(names = "--http.api", defaultValue = "eth,net,web3", split = ",", paramLabel = "<NAMESPACES>",
            description = "Namespaces served over HTTP (default: ${DEFAULT-VALUE}). Known: eth, net, web3, txpool, debug, trace, "
                    + "rollupNode, rollupNodeAdmin, admin, rpc, reth, ots, flashbots, miner, mev.")
    List<String> httpApi = new ArrayList<>();

    @Option(names = "--http.corsdomain", split = ",", paramLabel = "<ORIGINS>", description = "Allowed CORS origins (* for any).")
    List<String> httpCorsDomain = new ArrayList<>();

    @Option(names = "--ws", description = "Enable the WebSocket JSON-RPC server (eth_subscribe).")
    boolean ws;

    @Option(names = "--ws.addr", defaultValue = "127.0.0.1", paramLabel = "<ADDR>", description = "WebSocket listen address (default: ${DEFAULT-VALUE}).")
    String wsAddr;

    @Option(names = "--ws.port", defaultValue = "8546", paramLabel = "<PORT>", description = "WebSocket listen port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int wsPort;

    @Option(names = "--ws.api", defaultValue = "eth,net,web3", split = ",", paramLabel = "<NAMESPACES>",
            description = "Namespaces served over WebSocket (default: ${DEFAULT-VALUE}).")
    List<String> wsApi = new ArrayList<>();

    @Option(names = "--metrics", paramLabel = "<ADDR:PORT>",
            description = "Serve Prometheus metrics on /metrics, liveness on /health and readiness on /ready.")
    String metrics;

    @Option(names = "--txpool.pending-max-count", defaultValue = "50000", paramLabel = "<N>",
            description = "Most transactions the sequencer's pool holds; the cheapest are evicted beyond (default: ${DEFAULT-VALUE}).")
    int txpoolMaxCount;

    @Option(names = "--txpool.max-account-slots", defaultValue = "256", paramLabel = "<N>",
            description = "Most pending transactions per sender (default: ${DEFAULT-VALUE}).")
    int txpoolMaxAccountSlots;

    @Option(names = "--l1.query-range", defaultValue = "500", paramLabel = "<BLOCKS>",
            description = "L1 blocks per eth_getLogs query (default: ${DEFAULT-VALUE}).")
    long l1QueryRange;

    @Option(names = "--l1.max-retries", defaultValue = "10", paramLabel = "<N>",
            description = "L1 request retries with growing backoff before the watcher reports L1 down (default: ${DEFAULT-VALUE}).")
    int l1MaxRetries;

    @Option(names = "--l1.initial-backoff", defaultValue = "100", paramLabel = "<MS>",
            description = "First L1 retry backoff in milliseconds (default: ${DEFAULT-VALUE}).")
    long l1InitialBackoffMs;

    @Option(names = "--l1.heartbeat-interval", defaultValue = "5000", paramLabel = "<MS>",
            description = "How often the L1 watcher writes its heartbeat to l1-events; gateways in other processes report L1 as "
                    + "disconnected after 3 intervals without one (default: ${DEFAULT-VALUE}).")
    long l1HeartbeatIntervalMs;

    @Option(names = "--l1.message-queue-address", paramLabel = "<ADDRESS>",
            description = "L1 message queue contract emitting QueueTransaction (default: the chain's L1MessageQueueV2).")
    String l1MessageQueueAddress;

    @Option(names = "--gateway.id", paramLabel = "<ID>", description = "Name of this gateway replica (default: host name + port).")
    String gatewayId;

    @Option(names = "--gateway.reexecute-own-blocks",
            description = "When the sequencer runs in this process, re-execute its blocks in the gateway too instead of taking "
                    + "its execution (default: false; replicas in other processes always re-execute).")
    boolean gatewayReexecuteOwnBlocks;
}
