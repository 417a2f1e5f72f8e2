package org.rollupnode.gateway;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.rollupnode.gateway.rpc.JsonRpcDispatcher;
import org.rollupnode.gateway.rpc.JsonRpcException;
import org.rollupnode.gateway.rpc.JsonRpcParams;
import com.fasterxml.jackson.databind.JsonNode;
import org.rollupnode.chain.CanonicalChain;
import org.rollupnode.kafka.KafkaSettings;
import org.rollupnode.schemas.EventCodec;
import org.rollupnode.schemas.SequencerControl;
import org.rollupnode.schemas.Topics;

/**
 * {@code rollupNode_*} and {@code rollupNodeAdmin_*}, named as in the Rust node. Admin commands
 * travel through {@code sequencer-control}, so they are part of the audit trail.
 */
public final class RollupNodeApi implements AutoCloseable {
    private final EthApi eth;
    private final ChainView chain;
    private final L1StatusView l1;
    private final KafkaProducer<String, byte[]> control;
    private final String gatewayId;
    private volatile java.util.function.Supplier<java.util.List<org.rollupnode.kafka.UndecodableRecords.Halt>> halts = java.util.List::of;

    public RollupNodeApi(EthApi eth, ChainView chain, L1StatusView l1, KafkaSettings kafka, String gatewayId) {
        this.eth = eth;
        this.chain = chain;
        this.l1 = l1;
        this.control = new KafkaProducer<>(kafka.producerConfig(gatewayId + "-admin"));
        this.gatewayId = gatewayId;
    }

    /** The index argument: a JSON number as the Rust node takes it (u64), or a hex quantity string. */
    static long index(JsonRpcParams p) throws JsonRpcException {
        JsonNode n = p.required(0, "index");
        if (n.isIntegralNumber() && n.canConvertToLong() && n.longValue() >= 0) {
            return n.longValue();
        }
        if (n.isTextual()) {
            return p.requiredQuantity(0, "index");
        }
        throw JsonRpcException.invalidParams("invalid argument 0 (index): expected a non-negative integer queue index, e.g. 42 or \"0x2a\"");
    }

    /** Where this gateway's readers stopped at an undecodable record: reported by {@code rollupNode_status}. */
    public void undecodableHalts(java.util.function.Supplier<java.util.List<org.rollupnode.kafka.UndecodableRecords.Halt>> halts) {
        this.halts = halts;
    }

    public void register(JsonRpcDispatcher d) {
        d.register("rollupNode_status", p -> {
            Map<String, Object> status = new LinkedHashMap<>();
            status.put("l1", l1.status());
            status.put("l2", eth.status());
            var revert = chain.lastRevert();
            if (revert != null) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("revertToNumber", revert.revertToNumber());
                r.put("revertToHash", revert.revertToHash());
                r.put("revertedFromNumber", revert.revertedFromNumber());
                r.put("reason", revert.reason());
                r.put("l1ReorgCommonAncestor", revert.l1ReorgCommonAncestor());
                r.put("l1BlockNumber", revert.l1BlockNumber());
                status.put("lastRevert", r);
            }
            status.put("sequencer", eth.sequencing());
            var stopped = halts.get();
            if (!stopped.isEmpty()) {
                // Not in the Rust node's shape: present only when a reader stopped at a record it cannot decode.
                status.put("undecodableRecords", stopped.stream().map(h -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("reader", h.reader());
                    m.put("topic", h.topic());
                    m.put("partition", h.partition());
                    m.put("offset", h.offset());
                    m.put("error", h.error());
                    return m;
                }).toList());
            }
            status.put("consensus", consensus());
            return status;
        });
        d.register("rollupNode_getL1MessageByIndex", p -> {
            p.requireAtMost(1);
            long index = index(p);
            return l1.messageByIndex(index, hash -> chain.chain().transaction(hash).map(CanonicalChain.TxLocation::blockNumber));
        });
        d.register("rollupNodeAdmin_enableAutomaticSequencing", p -> send(SequencerControl.Action.ENABLE_AUTOMATIC_SEQUENCING));
        d.register("rollupNodeAdmin_disableAutomaticSequencing", p -> send(SequencerControl.Action.DISABLE_AUTOMATIC_SEQUENCING));
        d.register("rollupNodeAdmin_revertToL1Block", p -> {
            p.requireAtMost(1);
            long n = l1BlockNumber(p);
            String refusal = l1.revertRefusal(n);
            if (refusal != null) {
                throw refusal.startsWith("no L1 block") ? JsonRpcException.resourceUnavailable("Failed to revert to L1 block " + n + ": " + refusal)
                        : JsonRpcException.invalidParams("Failed to revert to L1 block " + n + ": " + refusal);
            }
            return send(SequencerControl.revertToL1Block(n, System.currentTimeMillis(), "rpc:" + gatewayId),
                    "revert to L1 block " + n);
        });
    }

    /**
     * The authorized signer this gateway checks blocks against and where it comes from: "flag"
     * ({@code --consensus.authorized-signer}), "l1" (the last change record in signed-blocks, copied
     * from L1's SystemConfig), "default" (the node's own signer) or "first-block" (pinned from block 1).
     */
    private Map<String, Object> consensus() {
        Map<String, Object> c = new LinkedHashMap<>();
        var change = chain.lastSignerChange();
        var signer = chain.signer();
        c.put("authorizedSigner", signer == null ? null : signer.toHex());
        c.put("source", chain.signerFixed() ? "flag" : change != null ? "l1" : signer == null ? "first-block" : "default");
        if (change != null) {
            Map<String, Object> ch = new LinkedHashMap<>();
            ch.put("signer", change.signer());
            ch.put("fromHeight", change.fromHeight());
            ch.put("l1BlockNumber", change.l1BlockNumber());
            ch.put("systemConfig", change.systemConfig());
            c.put("lastChange", ch);
        }
        // What the watcher read last on L1; it is in force once the signer has recorded it in signed-blocks.
        c.put("l1AuthorizedSigner", l1.authorizedSigner().map(a -> a.signer()).orElse(null));
        return c;
    }

    /** The block number argument: a JSON number (u64, as the Rust node takes it) or a hex quantity string. */
    static long l1BlockNumber(JsonRpcParams p) throws JsonRpcException {
        JsonNode n = p.required(0, "blockNumber");
        if (n.isIntegralNumber() && n.canConvertToLong() && n.longValue() >= 0) {
            return n.longValue();
        }
        if (n.isTextual()) {
            return p.requiredQuantity(0, "blockNumber");
        }
        throw JsonRpcException.invalidParams("invalid argument 0 (blockNumber): expected a non-negative integer L1 block number, "
                + "e.g. 18318210 or \"0x1177f42\"");
    }

    private boolean send(SequencerControl.Action action) throws JsonRpcException {
        return send(new SequencerControl(action, System.currentTimeMillis(), "rpc:" + gatewayId),
                action == SequencerControl.Action.ENABLE_AUTOMATIC_SEQUENCING ? "enable automatic sequencing" : "disable automatic sequencing");
    }

    private boolean send(SequencerControl c, String what) throws JsonRpcException {
        try {
            control.send(new ProducerRecord<>(Topics.SEQUENCER_CONTROL.name(), 0, null, EventCodec.SEQUENCER_CONTROL.encode(c)))
                    .get(15, TimeUnit.SECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw JsonRpcException.internal("interrupted");
        } catch (Exception e) {
            throw JsonRpcException.internal("Failed to " + what + ": " + e.getMessage());
        }
    }

    @Override
    public void close() {
        control.close();
    }
}
