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

class L1EventsTest {
    private static final String H1 = "0x" + "ab".repeat(32);
    private static final String H2 = "0x" + "cd".repeat(32);
    private static final String SENDER = "0x7885bcbd5cecef1336b5300fb5186a12ddd8c478";
    private static final String TARGET = "0x781e90f1c8fc4611c9b7497c3b47f99ef6969cbc";

    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            b -> b.schemaIdResolvers(r -> r.mapPrefix("https://rollupnode.org/schemas/", "classpath:schemas/")));
    private static final Schema SCHEMA = REGISTRY.getSchema(SchemaLocation.of("classpath:" + Topics.L1_EVENTS.schemaResource()));

    static L1MessageQueued message() {
        return new L1MessageQueued(948625, 19_000_000, H1, H2, 3, SENDER, TARGET, "1000000000000000000000", 2_000_000, "0x8ef1332e");
    }

    private static JsonNode roundTripAndValidate(L1Event event) throws Exception {
        byte[] bytes = EventCodec.L1_EVENT.encode(event);
        assertEquals(event, EventCodec.L1_EVENT.decode(bytes, Topics.L1_EVENTS.name(), 0, 0));
        JsonNode json = EventCodec.MAPPER.readTree(bytes);
        List<Error> errors = SCHEMA.validate(json);
        assertTrue(errors.isEmpty(), () -> event + ": " + errors);
        return json;
    }

    @Test
    void everyKindRoundTripsAndMatchesTheSchema() throws Exception {
        assertEquals("message_queued", roundTripAndValidate(message()).get("kind").asText());
        assertEquals("head", roundTripAndValidate(new L1Head(19_000_000, H1, H2, 1_700_000_000L)).get("kind").asText());
        assertEquals("safe", roundTripAndValidate(new L1Safe(18_999_999, H2)).get("kind").asText());
        assertEquals("finalized", roundTripAndValidate(new L1Finalized(18_999_998, H2)).get("kind").asText());
        assertEquals("reorg", roundTripAndValidate(new L1Reorg(41, H1, 42, "hash of block 43 changed")).get("kind").asText());
        assertEquals("unwind", roundTripAndValidate(new L1Unwind(40, H1, 7, "rpc:gw-1", "rollupNodeAdmin_revertToL1Block(40)"))
                .get("kind").asText());
        assertEquals("heartbeat", roundTripAndValidate(new L1WatcherHeartbeat("l1-watcher-1", 1_700_000_000_000L, 5_000, true,
                19_000_000L, 18_999_999L, 18_999_998L, 19_000_000L, true, null, null)).get("kind").asText());
        assertEquals("authorized_signer", roundTripAndValidate(new L1AuthorizedSigner("0x" + "84".repeat(20), SENDER, 19_000_000, H1))
                .get("kind").asText());
        JsonNode down = roundTripAndValidate(new L1WatcherHeartbeat("w", 1, 5_000, false, null, null, null, null, false,
                "Connection refused", null));
        assertTrue(down.get("latest").isNull(), "unknown numbers travel as null: " + down);
    }

    @Test
    void anAuthorizedSignerRecordNeedsLowercaseAddressesAndItsL1Block() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> new L1AuthorizedSigner("0x" + "84".repeat(20), "0x" + "AB".repeat(20), 1, H1));
        assertThrows(IllegalArgumentException.class, () -> new L1AuthorizedSigner("0x84", SENDER, 1, H1));
        ObjectNode json = (ObjectNode) EventCodec.MAPPER.readTree(EventCodec.L1_EVENT.encode(new L1AuthorizedSigner("0x" + "84".repeat(20),
                SENDER, 5, H1)));
        json.remove("l1BlockNumber");
        assertFalse(SCHEMA.validate(json).isEmpty());
    }

    @Test
    void heartbeatIsStaleAfterThreeIntervals() {
        L1WatcherHeartbeat hb = new L1WatcherHeartbeat("w", 10_000, 2_000, true, 5L, 4L, 3L, 5L, true, null, null);
        assertTrue(hb.freshAt(10_000));
        assertTrue(hb.freshAt(16_000), "exactly 3 intervals old is still fresh");
        assertFalse(hb.freshAt(16_001));
        assertThrows(IllegalArgumentException.class, () -> new L1WatcherHeartbeat("w", 1, 0, true, null, null, null, null, false, null, null));
    }

    @Test
    void schemaRejectsAHeartbeatWithoutItsIntervalAndAnUnwindWithoutItsRequest() throws Exception {
        ObjectNode hb = (ObjectNode) EventCodec.MAPPER.readTree(EventCodec.L1_EVENT.encode(
                new L1WatcherHeartbeat("w", 1, 5_000, true, 1L, null, null, 1L, true, null, null)));
        hb.remove("intervalMillis");
        assertFalse(SCHEMA.validate(hb).isEmpty());
        assertThrows(RecordDecodeException.class, () -> EventCodec.L1_EVENT.decode(EventCodec.MAPPER.writeValueAsBytes(hb)));
        ObjectNode unwind = (ObjectNode) EventCodec.MAPPER.readTree(EventCodec.L1_EVENT.encode(new L1Unwind(3, H1, 0, "rpc", "x")));
        unwind.put("controlOffset", -1);
        assertFalse(SCHEMA.validate(unwind).isEmpty());
    }

    @Test
    void wireFormIsTheDocumentedJson() throws Exception {
        JsonNode json = EventCodec.MAPPER.readTree(EventCodec.L1_EVENT.encode(message()));
        assertEquals(948625, json.get("queueIndex").asLong());
        assertEquals("1000000000000000000000", json.get("value").asText(), "uint256 value travels as a decimal string");
        assertTrue(json.get("value").isTextual());
        assertEquals("0x8ef1332e", json.get("data").asText());
        L1Event decoded = EventCodec.L1_EVENT.decode(("{\"kind\":\"finalized\",\"number\":7,\"hash\":\"" + H1 + "\"}").getBytes());
        assertEquals(new L1Finalized(7, H1), decoded);
    }

    @Test
    void emptyCalldataIsValid() throws Exception {
        roundTripAndValidate(new L1MessageQueued(0, 1, H1, H2, 0, SENDER, TARGET, "0", 21_000, "0x"));
    }

    @Test
    void schemaRejectsMalformedRecords() throws Exception {
        ObjectNode json = (ObjectNode) EventCodec.MAPPER.readTree(EventCodec.L1_EVENT.encode(message()));
        json.put("value", "0x3635c9adc5dea00000"); // hex is not the wire form of value
        assertFalse(SCHEMA.validate(json).isEmpty());
        json.put("value", "1");
        json.put("target", TARGET.toUpperCase().replace("0X", "0x"));
        assertFalse(SCHEMA.validate(json).isEmpty(), "addresses are lower-case");
        json.put("target", TARGET);
        json.remove("queueIndex");
        assertFalse(SCHEMA.validate(json).isEmpty());
        ObjectNode reorg = (ObjectNode) EventCodec.MAPPER.readTree(EventCodec.L1_EVENT.encode(new L1Reorg(1, H1, 2, "x")));
        reorg.put("kind", "rollback");
        assertFalse(SCHEMA.validate(reorg).isEmpty());
    }

    @Test
    void undecodableRecordsNameTheirPlace() {
        RecordDecodeException unknownKind = assertThrows(RecordDecodeException.class,
                () -> EventCodec.L1_EVENT.decode("{\"kind\":\"rollback\",\"number\":1}".getBytes(), "l1-events", 0, 9));
        assertTrue(unknownKind.getMessage().contains("l1-events-0@9"), unknownKind.getMessage());
        assertThrows(RecordDecodeException.class,
                () -> EventCodec.L1_EVENT.decode("{\"kind\":\"head\",\"number\":1}".getBytes(), "l1-events", 0, 10));
    }

    @Test
    void topicIsSinglePartitionAndKeptForever() {
        assertEquals(1, Topics.L1_EVENTS.partitions());
        assertEquals("-1", Topics.L1_EVENTS.configs().get("retention.ms"));
        assertTrue(Topics.ALL.contains(Topics.L1_EVENTS));
    }
}
