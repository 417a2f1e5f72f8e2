package org.rollupnode.schemas;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;

/** JSON serde for one event type. Records are UTF-8 JSON so any tool can read the topics. */
public final class EventCodec<T> {
    /** Unknown fields are ignored so that an older reader survives a newer writer's additions. */
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
            .configure(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES, true)
            .configure(SerializationFeature.FAIL_ON_EMPTY_BEANS, false);

    public static final EventCodec<PendingTransaction> PENDING_TRANSACTION = new EventCodec<>(PendingTransaction.class);
    public static final EventCodec<SequencerStreamEvent> SEQUENCER_STREAM = new EventCodec<>(SequencerStreamEvent.class);
    public static final EventCodec<SignedBlock> SIGNED_BLOCK = new EventCodec<>(SignedBlock.class);
    /** Every record of signed-blocks: blocks and the reverts the signer applied. */
    public static final EventCodec<SignedBlocksEvent> SIGNED_BLOCKS = new EventCodec<>(SignedBlocksEvent.class);
    public static final EventCodec<SequencerControl> SEQUENCER_CONTROL = new EventCodec<>(SequencerControl.class);
    public static final EventCodec<L1Event> L1_EVENT = new EventCodec<>(L1Event.class);
    public static final EventCodec<TransactionOutcome> TRANSACTION_OUTCOME = new EventCodec<>(TransactionOutcome.class);

    private final Class<T> type;

    public EventCodec(Class<T> type) {
        this.type = type;
    }

    public byte[] encode(T value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + type.getSimpleName(), e);
        }
    }

    /** Decodes a record; failures name the topic, partition and offset. */
    public T decode(byte[] bytes, String topic, int partition, long offset) {
        if (bytes == null) {
            throw new RecordDecodeException(topic, partition, offset, new IOException("record has no value"));
        }
        try {
            T value = MAPPER.readValue(bytes, type);
            if (value == null) {
                throw new IOException("record value is JSON null");
            }
            return value;
        } catch (IOException e) {
            throw new RecordDecodeException(topic, partition, offset, e);
        }
    }

    public T decode(byte[] bytes) {
        return decode(bytes, "?", -1, -1);
    }
}
