package org.rollupnode.gateway;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.rollupnode.gateway.rpc.JsonRpcDispatcher;
import org.rollupnode.gateway.rpc.JsonRpcException;
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
    private final KafkaProducer<String, byte[]> control;
    private final String gatewayId;

    public RollupNodeApi(EthApi eth, KafkaSettings kafka, String gatewayId) {
        this.eth = eth;
        this.control = new KafkaProducer<>(kafka.producerConfig(gatewayId + "-admin"));
        this.gatewayId = gatewayId;
    }

    public void register(JsonRpcDispatcher d) {
        d.register("rollupNode_status", p -> {
            Map<String, Object> status = new LinkedHashMap<>();
            // No L1 watcher yet: L1 numbers stay 0 until the l1-watcher issue lands.
            status.put("l1", Map.of("status", "Syncing", "latest", 0, "finalized", 0, "processed", 0));
            status.put("l2", eth.status());
            status.put("sequencer", eth.sequencing());
            return status;
        });
        d.register("rollupNode_getL1MessageByIndex", p -> {
            p.requiredQuantity(0, "index");
            return null; // no L1 messages are known until the L1 watcher lands
        });
        d.register("rollupNodeAdmin_enableAutomaticSequencing", p -> send(SequencerControl.Action.ENABLE_AUTOMATIC_SEQUENCING));
        d.register("rollupNodeAdmin_disableAutomaticSequencing", p -> send(SequencerControl.Action.DISABLE_AUTOMATIC_SEQUENCING));
    }

    private boolean send(SequencerControl.Action action) throws JsonRpcException {
        SequencerControl c = new SequencerControl(action, System.currentTimeMillis(), "rpc:" + gatewayId);
        try {
            control.send(new ProducerRecord<>(Topics.SEQUENCER_CONTROL.name(), 0, null, EventCodec.SEQUENCER_CONTROL.encode(c)))
                    .get(15, TimeUnit.SECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw JsonRpcException.internal("interrupted");
        } catch (Exception e) {
            throw JsonRpcException.internal("Failed to " + (action == SequencerControl.Action.ENABLE_AUTOMATIC_SEQUENCING
                    ? "enable" : "disable") + " automatic sequencing: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        control.close();
    }
}
