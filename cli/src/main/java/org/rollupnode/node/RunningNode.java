package org.rollupnode.node;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.rollupnode.gateway.RpcGatewayService;
import org.rollupnode.kafka.EmbeddedKafkaBroker;
import org.rollupnode.sequencer.SequencerService;
import org.rollupnode.signer.SignerService;

/** The services a launch started; closing it stops them in reverse order, the broker last. */
public final class RunningNode implements AutoCloseable {
    final List<AutoCloseable> closeables = new ArrayList<>();
    EmbeddedKafkaBroker broker;
    SequencerService sequencer;
    SignerService signer;
    RpcGatewayService gateway;
    org.rollupnode.watcher.L1WatcherService watcher;
    MetricsServer metrics;
    String bootstrapServers;
    FileChannel lockChannel;
    FileLock lock;
    private boolean closed;

    public int httpPort() {
        return gateway == null ? -1 : gateway.port();
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public SequencerService sequencer() {
        return sequencer;
    }

    public SignerService signer() {
        return signer;
    }

    /** Readiness of each service this process runs (for /ready). */
    public java.util.Map<String, Boolean> readiness() {
        java.util.Map<String, Boolean> r = new java.util.LinkedHashMap<>();
        if (sequencer != null) {
            r.put("sequencer", sequencer.ready());
        }
        if (signer != null) {
            r.put("signer", signer.failure() == null && signer.undecodableHalts().isEmpty());
        }
        if (watcher != null) {
            r.put("l1-watcher", watcher.failure() == null);
        }
        if (gateway != null) {
            r.put("rpc-gateway", gateway.ready());
        }
        return r;
    }

    public int metricsPort() {
        return metrics == null ? -1 : metrics.port();
    }

    public org.rollupnode.watcher.L1WatcherService watcher() {
        return watcher;
    }

    public RpcGatewayService gateway() {
        return gateway;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<AutoCloseable> reversed = new ArrayList<>(closeables);
        Collections.reverse(reversed);
        for (AutoCloseable c : reversed) {
            try {
                c.close();
            } catch (Exception ignored) {
                // keep closing the rest
            }
        }
        try {
            if (lock != null) {
                lock.release();
            }
            if (lockChannel != null) {
                lockChannel.close();
            }
        } catch (Exception ignored) {
            // process is ending anyway
        }
    }
}
