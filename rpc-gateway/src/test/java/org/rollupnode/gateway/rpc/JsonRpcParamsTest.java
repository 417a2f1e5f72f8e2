package org.rollupnode.gateway.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class JsonRpcParamsTest {

    private static final ObjectMapper MAPPER = JsonRpcMapper.shared();

    private static JsonRpcParams parse(String json) throws Exception {
        return new JsonRpcParams(MAPPER.readTree(json), MAPPER);
    }

    @ParameterizedTest
    @CsvSource({"0x0,0", "0x1,1", "0xff,255", "0xFF,255", "0X1a,26", "0x7fffffffffffffff,9223372036854775807"})
    void acceptsCanonicalQuantities(String text, long expected) throws Exception {
        assertEquals(expected, JsonRpcParams.of(text).requiredQuantity(0, "n"));
        assertEquals(BigInteger.valueOf(expected), JsonRpcParams.of(text).requiredBigQuantity(0, "n"));
    }

    @ParameterizedTest
    @CsvSource({
        "0x00,leading zero", "0x01,leading zero", "0x,0x", "ff,without 0x prefix", "'',without 0x prefix",
        "0xg1,invalid hex", "0x-1,invalid hex", "0x 1,invalid hex", "0x８,invalid hex",
        "0x8000000000000000,> 63 bits", "0x10000000000000000,> 64 bits"})
    void rejectsMalformedQuantitiesNamingTheParameter(String text, String reason) {
        JsonRpcException e = assertThrows(JsonRpcException.class,
                () -> JsonRpcParams.of("0x1", text).requiredQuantity(1, "blockNumber"));
        assertEquals(-32602, e.code());
        assertTrue(e.getMessage().startsWith("invalid argument 1 (blockNumber): "), e.getMessage());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @Test
    void bigQuantityIsLimitedTo256Bits() throws Exception {
        String max = "0x" + "f".repeat(64);
        assertEquals(BigInteger.TWO.pow(256).subtract(BigInteger.ONE), JsonRpcParams.of(max).requiredBigQuantity(0, "v"));
        JsonRpcException e = assertThrows(JsonRpcException.class,
                () -> JsonRpcParams.of("0x1" + "0".repeat(64)).requiredBigQuantity(0, "value"));
        assertTrue(e.getMessage().contains("value") && e.getMessage().contains("256 bits"), e.getMessage());
    }

    @Test
    void quantityMustBeAString() throws Exception {
        JsonRpcException e = assertThrows(JsonRpcException.class, () -> parse("[17]").requiredQuantity(0, "nonce"));
        assertEquals("invalid argument 0 (nonce): expected a hex-encoded quantity string such as \"0x1a\"", e.getMessage());
    }

    @Test
    void missingAndNullAreAbsent() throws Exception {
        JsonRpcParams p = parse("[\"a\", null]");
        assertEquals(2, p.size());
        assertNull(p.optional(1));
        assertNull(p.optional(5));
        assertEquals("dflt", p.optionalString(1, "tag", "dflt"));
        JsonRpcException e = assertThrows(JsonRpcException.class, () -> p.requiredString(1, "tag"));
        assertEquals("missing value for required argument 1 (tag)", e.getMessage());
        assertEquals(0, new JsonRpcParams(null, MAPPER).size());
    }

    @Test
    void namedParamsAreReadByName() throws Exception {
        JsonRpcParams p = parse("{\"to\":\"0xabc\",\"gas\":\"0x5208\",\"full\":false}");
        assertTrue(p.isNamed());
        assertEquals("0xabc", p.requiredString(0, "to"));
        assertEquals(21000, p.requiredQuantity(1, "gas"));
        assertFalse(p.optionalBoolean(2, "full", true));
        JsonRpcException e = assertThrows(JsonRpcException.class, () -> p.requiredString(3, "data"));
        assertEquals("missing value for required argument \"data\"", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"[\"true\"]", "[1]", "[{}]"})
    void booleanMustBeABoolean(String json) throws Exception {
        JsonRpcException e = assertThrows(JsonRpcException.class, () -> parse(json).optionalBoolean(0, "fullTx", false));
        assertEquals("invalid argument 0 (fullTx): expected a boolean", e.getMessage());
    }

    @Test
    void stringMustBeAString() throws Exception {
        JsonRpcException e = assertThrows(JsonRpcException.class, () -> parse("[42]").requiredString(0, "address"));
        assertEquals("invalid argument 0 (address): expected a string", e.getMessage());
    }

    @Test
    void bindsRecordsAndReportsBadShapes() throws Exception {
        TestMethods.Pair pair = parse("[{\"name\":\"x\",\"weight\":3,\"extra\":1}]")
                .requiredObject(0, "pair", TestMethods.Pair.class);
        assertEquals(new TestMethods.Pair("x", 3), pair);
        JsonRpcException e = assertThrows(JsonRpcException.class,
                () -> parse("[{\"name\":\"x\",\"weight\":\"heavy\"}]").requiredObject(0, "pair", TestMethods.Pair.class));
        assertEquals(-32602, e.code());
        assertTrue(e.getMessage().startsWith("invalid argument 0 (pair): "), e.getMessage());
    }

    @Test
    void tooManyArguments() throws Exception {
        JsonRpcException e = assertThrows(JsonRpcException.class, () -> parse("[1,2,3]").requireAtMost(2));
        assertEquals("too many arguments, want at most 2", e.getMessage());
        parse("[1,2]").requireAtMost(2);
    }

    @Test
    void rejectsScalarParams() {
        JsonNode scalar = MAPPER.getNodeFactory().textNode("x");
        assertThrows(IllegalArgumentException.class, () -> new JsonRpcParams(scalar, MAPPER));
    }
}
