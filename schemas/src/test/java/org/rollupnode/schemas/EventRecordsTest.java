package org.rollupnode.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventRecordsTest {
    private static final String H = "0x" + "ab".repeat(32);
    private static final String A = "0x" + "5300000000000000000000000000000000000005".toLowerCase();

    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            b -> b.schemaIdResolvers(r -> r.mapPrefix("https://rollupnode.org/schemas/", "classpath:schemas/")));

    static BlockPayload payload() {
        return new BlockPayload(7, H, "0x" + "01".repeat(32), 1_700_000_000L, A, "15680000", 20_000_000L, 21_000L,
                H, H, H, "0x" + "00".repeat(256), "0x", "1", "0x" + "00".repeat(32),
                List.of("0x02f86c", "0x7ef8"), 0, 0, "sequencer-1", 1_700_000_000_123L, 12);
    }

    private static Schema schema(Topics.TopicSpec topic) {
        return REGISTRY.getSchema(SchemaLocation.of("classpath:" + topic.schemaResource()));
    }

    private static <T> void assertRoundTripAndValid(EventCodec<T> codec, T value, Topics.TopicSpec topic) throws Exception {
        byte[] bytes = codec.encode(value);
        assertEquals(value, codec.decode(bytes, topic.name(), 0, 0));
        JsonNode json = EventCodec.MAPPER.readTree(bytes);
        List<Error> errors = schema(topic).validate(json);
        assertTrue(errors.isEmpty(), () -> topic.name() + ": " + errors);
    }

    @Test
    void pendingTransactionRoundTripsAndMatchesItsSchema() throws Exception {
        assertRoundTripAndValid(EventCodec.PENDING_TRANSACTION,
                new PendingTransaction(H, A, "0x02f86c0101", 1234L, "gw-0"), Topics.PENDING_TRANSACTIONS);
    }

    @Test
    void blockPayloadRoundTripsAndMatchesItsSchema() throws Exception {
        assertRoundTripAndValid(EventCodec.SEQUENCER_STREAM, payload(), Topics.SEQUENCER_STREAM);
        assertTrue(new String(EventCodec.SEQUENCER_STREAM.encode(payload())).contains("\"kind\":\"payload\""));
    }

    @Test
    void authorizedSignerChangeRoundTripsMatchesTheSchemaAndRefusesABadAddress() throws Exception {
        AuthorizedSignerChange c = new AuthorizedSignerChange("0x" + "12".repeat(20), 8, 17, 4242, "0x" + "34".repeat(20), A, 1_700_000_000_000L);
        assertRoundTripAndValid(EventCodec.SIGNED_BLOCKS, c, Topics.SIGNED_BLOCKS);
        JsonNode json = EventCodec.MAPPER.readTree(EventCodec.SIGNED_BLOCKS.encode(c));
        assertEquals("authorized_signer", json.get("kind").asText());
        ObjectNode upper = json.deepCopy();
        upper.put("signer", "0x" + "AB".repeat(20));
        assertFalse(schema(Topics.SIGNED_BLOCKS).validate(upper).isEmpty(), "the schema wants lowercase hex");
        assertThrows(RecordDecodeException.class, () -> EventCodec.SIGNED_BLOCKS.decode(EventCodec.MAPPER.writeValueAsBytes(upper)));
        assertThrows(IllegalArgumentException.class, () -> new AuthorizedSignerChange(A, 0, 0, 0, A, A, 0));
    }

    @Test
    void signedBlockRoundTripsAndMatchesItsSchema() throws Exception {
        assertRoundTripAndValid(EventCodec.SIGNED_BLOCK,
                new SignedBlock(payload(), "0x" + "11".repeat(64) + "01", A, 42, 99), Topics.SIGNED_BLOCKS);
    }

    static SequencerRevert revert() {
        return new SequencerRevert(4, H, 7, "L1 reorg removed L1 message 3 (L1 block 12) included in L2 block 5", 10, 12, 3, 3,
                "sequencer-1", 1_700_000_000_456L);
    }

    @Test
    void sequencerRevertRoundTripsAndMatchesTheStreamSchema() throws Exception {
        assertRoundTripAndValid(EventCodec.SEQUENCER_STREAM, revert(), Topics.SEQUENCER_STREAM);
        String json = new String(EventCodec.SEQUENCER_STREAM.encode(revert()));
        assertTrue(json.contains("\"kind\":\"revert\""), json);
        assertFalse(json.contains("\"number\""), "number() is derived, not a field: " + json);
        assertEquals(4, EventCodec.SEQUENCER_STREAM.decode(json.getBytes()).number());
    }

    @Test
    void aRevertMustGoDownAndGiveAReason() {
        assertThrows(IllegalArgumentException.class, () -> new SequencerRevert(7, H, 7, "why", -1, -1, -1, 0, "s", 0));
        assertThrows(IllegalArgumentException.class, () -> new SequencerRevert(3, H, 7, " ", -1, -1, -1, 0, "s", 0));
        assertThrows(RecordDecodeException.class, () -> EventCodec.SEQUENCER_STREAM.decode(
                "{\"kind\":\"revert\",\"revertToNumber\":9,\"revertToHash\":\"0x00\",\"revertedFromNumber\":2,\"reason\":\"x\",\"l1ReorgCommonAncestor\":-1,\"l1BlockNumber\":-1,\"firstRemovedQueueIndex\":-1,\"nextL1QueueIndex\":0,\"sequencerId\":\"s\",\"revertedAtMillis\":0}".getBytes(),
                "sequencer-stream", 0, 3));
    }

    @Test
    void signedBlocksCarriesBlocksAndRevertsAndReadsOldRecordsWithoutKind() throws Exception {
        SignedBlock block = new SignedBlock(payload(), "0x" + "11".repeat(64) + "01", A, 42, 99);
        assertRoundTripAndValid(EventCodec.SIGNED_BLOCKS, block, Topics.SIGNED_BLOCKS);
        assertRoundTripAndValid(EventCodec.SIGNED_BLOCKS, new SignedRevert(revert(), 43, A, 100), Topics.SIGNED_BLOCKS);
        // A record written before reverts existed has no "kind": it is a block.
        ObjectNode old = (ObjectNode) EventCodec.MAPPER.readTree(EventCodec.SIGNED_BLOCK.encode(block));
        old.remove("kind");
        byte[] oldBytes = EventCodec.MAPPER.writeValueAsBytes(old);
        assertEquals(block, EventCodec.SIGNED_BLOCKS.decode(oldBytes));
        assertEquals(block, EventCodec.SIGNED_BLOCK.decode(oldBytes));
        assertTrue(schema(Topics.SIGNED_BLOCKS).validate(old).isEmpty());
        // A reader that only knows blocks fails loudly on a revert instead of misreading it.
        assertThrows(RecordDecodeException.class, () -> EventCodec.SIGNED_BLOCK.decode(
                EventCodec.SIGNED_BLOCKS.encode(new SignedRevert(revert(), 43, A, 100)), "signed-blocks", 0, 9));
    }

    @Test
    void sequencerControlRoundTripsAndMatchesItsSchema() throws Exception {
        assertRoundTripAndValid(EventCodec.SEQUENCER_CONTROL,
                new SequencerControl(SequencerControl.Action.DISABLE_AUTOMATIC_SEQUENCING, 5, "rpc"), Topics.SEQUENCER_CONTROL);
        assertRoundTripAndValid(EventCodec.SEQUENCER_CONTROL, SequencerControl.revertToL1Block(18_318_210, 5, "rpc:gw"),
                Topics.SEQUENCER_CONTROL);
    }

    @Test
    void revertToL1BlockNeedsItsBlockAndOnlyItHasOne() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> new SequencerControl(SequencerControl.Action.REVERT_TO_L1_BLOCK, 5, "rpc"));
        assertThrows(IllegalArgumentException.class, () -> SequencerControl.revertToL1Block(-1, 5, "rpc"));
        assertThrows(IllegalArgumentException.class,
                () -> new SequencerControl(SequencerControl.Action.ENABLE_AUTOMATIC_SEQUENCING, 5, "rpc", 3L));
        ObjectNode json = (ObjectNode) EventCodec.MAPPER.readTree(
                EventCodec.SEQUENCER_CONTROL.encode(SequencerControl.revertToL1Block(7, 5, "rpc")));
        json.putNull("l1BlockNumber");
        assertFalse(schema(Topics.SEQUENCER_CONTROL).validate(json).isEmpty(), "a revert without its block breaks the schema");
        assertThrows(RecordDecodeException.class, () -> EventCodec.SEQUENCER_CONTROL.decode(EventCodec.MAPPER.writeValueAsBytes(json)));
    }

    @Test
    void transactionOutcomeRoundTripsAndMatchesItsSchema() throws Exception {
        assertRoundTripAndValid(EventCodec.TRANSACTION_OUTCOME, new TransactionOutcome(H, A, 3, TransactionOutcome.Status.REPLACED,
                "replaced by a transaction with higher fees", "0x" + "cd".repeat(32), 12, 99, "sequencer-1"), Topics.TRANSACTION_OUTCOMES);
        assertRoundTripAndValid(EventCodec.TRANSACTION_OUTCOME, new TransactionOutcome(H, A, 3, TransactionOutcome.Status.DROPPED,
                "nonce too low", null, 12, 99, "sequencer-1"), Topics.TRANSACTION_OUTCOMES);
    }

    @Test
    void schemaRejectsARecordWithAMissingOrMalformedField() throws Exception {
        ObjectNode json = (ObjectNode) EventCodec.MAPPER.readTree(EventCodec.SIGNED_BLOCK.encode(
                new SignedBlock(payload(), "0x" + "11".repeat(64) + "01", A, 42, 99)));
        json.put("signature", "0x" + "11".repeat(64) + "1b"); // v = 27 is not the wire form
        assertFalse(schema(Topics.SIGNED_BLOCKS).validate(json).isEmpty());
        ((ObjectNode) json.get("payload")).remove("stateRoot");
        json.put("signature", "0x" + "11".repeat(64) + "01");
        assertFalse(schema(Topics.SIGNED_BLOCKS).validate(json).isEmpty());
    }

    @Test
    void undecodableRecordNamesTopicPartitionAndOffset() {
        RecordDecodeException e = assertThrows(RecordDecodeException.class,
                () -> EventCodec.SIGNED_BLOCK.decode("{\"payload\":".getBytes(), "signed-blocks", 0, 17));
        assertTrue(e.getMessage().contains("signed-blocks-0@17"), e.getMessage());
        RecordDecodeException missing = assertThrows(RecordDecodeException.class,
                () -> EventCodec.PENDING_TRANSACTION.decode("{\"hash\":\"0x00\"}".getBytes(), "pending-transactions", 3, 5));
        assertEquals(5, missing.offset());
        assertThrows(RecordDecodeException.class,
                () -> EventCodec.SEQUENCER_STREAM.decode("{\"kind\":\"unknown\",\"number\":1}".getBytes(), "sequencer-stream", 0, 1));
    }

    @Test
    void unknownFieldsFromANewerWriterAreIgnored() {
        PendingTransaction tx = EventCodec.PENDING_TRANSACTION.decode(
                ("{\"hash\":\"" + H + "\",\"sender\":\"" + A + "\",\"raw\":\"0x01\",\"receivedAtMillis\":1,\"gatewayId\":\"g\",\"future\":true}").getBytes());
        assertEquals(H, tx.hash());
    }
}
