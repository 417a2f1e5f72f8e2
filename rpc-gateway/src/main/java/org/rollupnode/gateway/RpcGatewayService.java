package org.rollupnode.gateway;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.rollupnode.execution.chain.ChainSpec;
import org.rollupnode.gateway.rpc.HttpJsonRpcServer;
import org.rollupnode.gateway.rpc.JsonRpcDispatcher;
import org.rollupnode.gateway.rpc.Limits;
import org.rollupnode.kafka.KafkaSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One rpc-gateway replica: chain view from signed-blocks, JSON-RPC over HTTP. */
public final class RpcGatewayService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("rollup_node::rpc");

    private final GatewayConfig config;
    private final ChainView view;
    private final TransactionSubmitter submitter;
    private final PoolView pool;
    private final RollupNodeApi rollupNode;
    private final L1StatusView l1;
    private final HttpJsonRpcServer server;
    private final WebSocketRpcServer ws;
    private int port = -1;
    private final java.util.List<io.micrometer.core.instrument.Meter> importedMeters = new java.util.ArrayList<>();

    public RpcGatewayService(GatewayConfig config, ChainSpec spec, KafkaSettings kafka, long blockGasLimit) {
        this.config = config;
        this.view = new ChainView(spec, kafka, config.authorizedSigner(), config.authorizedSignerFixed());
        this.submitter = new TransactionSubmitter(kafka, config.gatewayId());
        this.pool = new PoolView(kafka);
        view.onBlock(b -> pool.prune(b.block().postState()));
        view.onRevert(pool::restore);
        EthApi eth = new EthApi(view, pool, submitter, blockGasLimit);
        this.l1 = new L1StatusView(kafka, spec.name());
        this.rollupNode = new RollupNodeApi(eth, view, l1, kafka, config.gatewayId());
        rollupNode.undecodableHalts(this::undecodableHalts);
        Limits limits = Limits.defaults();
        JsonRpcDispatcher dispatcher = new JsonRpcDispatcher(config.apis(), limits);
        eth.register(dispatcher);
        rollupNode.register(dispatcher);
        new DebugApi(view).register(dispatcher);
        MeterRegistry registry = Metrics.globalRegistry;
        dispatcher.observer((method, nanos) -> Timer.builder("rpc_request_seconds").description("JSON-RPC requests by method")
                .tag("method", method).tag("gateway", config.gatewayId()).register(registry).record(nanos, TimeUnit.NANOSECONDS));
        Gauge.builder("gateway_head_block", view, v -> v.chain().head().number()).tag("gateway", config.gatewayId())
                .description("Newest block this gateway serves").register(registry);
        String importedHelp = "Blocks imported by re-executing their payload (reexecuted) or taken from the sequencer in this process (reused)";
        importedMeters.add(io.micrometer.core.instrument.FunctionCounter.builder("gateway_blocks_imported_total", view, ChainView::reexecutedBlocks)
                .tag("gateway", config.gatewayId()).tag("execution", "reexecuted").description(importedHelp).register(registry));
        importedMeters.add(io.micrometer.core.instrument.FunctionCounter.builder("gateway_blocks_imported_total", view, ChainView::reusedBlocks)
                .tag("gateway", config.gatewayId()).tag("execution", "reused").description(importedHelp).register(registry));
        Gauge.builder("gateway_synced", view, v -> v.synced() ? 1 : 0).tag("gateway", config.gatewayId()).register(registry);
        this.server = new HttpJsonRpcServer(null, dispatcher, config.host(), config.port(), limits, config.corsOrigins());
        if (config.webSocketEnabled()) {
            JsonRpcDispatcher wsDispatcher = new JsonRpcDispatcher(config.wsApis(), limits);
            eth.register(wsDispatcher);
            rollupNode.register(wsDispatcher);
            new DebugApi(view).register(wsDispatcher);
            this.ws = new WebSocketRpcServer(wsDispatcher, config.wsHost(), config.wsPort(), limits.maxBodyBytes());
            view.onBlock(ws::onBlock);
            view.onRevert(ws::onRevert);
            pool.onPending(ws::onPendingTransaction);
        } else {
            this.ws = null;
        }
    }

    /**
     * Lets the chain view take blocks the sequencer in this process already executed instead of
     * executing them again (see {@link org.rollupnode.chain.ExecutedBlocks}). Call before {@link #start}.
     */
    public RpcGatewayService reuse(org.rollupnode.chain.ExecutedBlocks executed) {
        view.reuse(executed);
        return this;
    }

    /**
     * Starts folding, then serves JSON-RPC as soon as the catch-up target is known, so clients see
     * {@code eth_syncing} progress while a restarted gateway rebuilds its view; returns once caught
     * up (or after {@code catchUpTimeout}, still serving).
     */
    public RpcGatewayService start(Duration catchUpTimeout) throws InterruptedException {
        pool.start();
        view.start();
        l1.start();
        if (!view.awaitTarget(Duration.ofSeconds(30))) {
            LOG.warn("The end of signed-blocks is not known after 30 s; serving with an unknown catch-up target");
        }
        port = server.start();
        if (ws != null) {
            ws.start();
        }
        if (!view.awaitCaughtUp(catchUpTimeout)) {
            LOG.warn("Chain view has not caught up after {} s; serving what is known so far", catchUpTimeout.toSeconds());
        }
        return this;
    }

    public int port() {
        return port;
    }

    public int webSocketPort() {
        return ws == null ? -1 : ws.port();
    }

    public boolean ready() {
        return view.synced() && undecodableHalts().isEmpty();
    }

    /** Where this gateway's readers stopped at a record that does not decode (empty when none did). */
    public java.util.List<org.rollupnode.kafka.UndecodableRecords.Halt> undecodableHalts() {
        java.util.List<org.rollupnode.kafka.UndecodableRecords.Halt> all = new java.util.ArrayList<>(view.undecodableHalts());
        all.addAll(pool.undecodableHalts());
        all.addAll(l1.undecodableHalts());
        return all;
    }

    public ChainView chainView() {
        return view;
    }

    /** The L1 watcher running in this process, if any: makes {@code rollupNode_status} report whether L1 answers. */
    public void l1WatcherStatus(java.util.function.Supplier<org.rollupnode.watcher.L1WatcherStatus> status) {
        l1.liveStatus(status);
    }

    @Override
    public void close() {
        if (ws != null) {
            ws.close();
        }
        server.close();
        view.close();
        l1.close();
        pool.close();
        rollupNode.close();
        submitter.close();
        importedMeters.forEach(Metrics.globalRegistry::remove);
    }
}
