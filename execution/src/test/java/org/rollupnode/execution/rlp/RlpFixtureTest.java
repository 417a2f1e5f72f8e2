package org.rollupnode.execution.rlp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rollupnode.execution.testutil.Fixtures;
import org.rollupnode.execution.testutil.RlpReencoder;
import org.rollupnode.execution.types.Hex;

/** ethereum/tests RLPTests against the existing {@link Rlp} codec. */
class RlpFixtureTest {

    private static Stream<Arguments> cases(String... files) {
        List<Arguments> out = new ArrayList<>();
        for (String file : files) {
            JsonNode tests = Fixtures.read(file);
            for (Iterator<Map.Entry<String, JsonNode>> it = tests.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> t = it.next();
                String shortFile = file.substring(file.lastIndexOf('/') + 1);
                out.add(Arguments.of(Named.of(shortFile + ":" + t.getKey(), t.getValue())));
            }
        }
        return out.stream();
    }

    static Stream<Arguments> valid() {
        return cases("RLPTests/rlptest.json");
    }

    static Stream<Arguments> invalid() {
        return cases("RLPTests/invalidRLPTest.json");
    }

    static Stream<Arguments> random() {
        return cases(Fixtures.list("RLPTests/RandomRLPTests").toArray(new String[0]));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void encodes(JsonNode test) {
        byte[] expected = Hex.decode(test.get("out").asText());
        assertArrayEquals(expected, encode(test.get("in")));
        // The codec must also read back what it wrote.
        assertArrayEquals(expected, RlpReencoder.encode(Rlp.decode(expected)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void rejects(JsonNode test) {
        byte[] input = Hex.decode(test.get("out").asText());
        assertThrows(RlpException.class, () -> Rlp.decode(input));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("random")
    void roundTrips(JsonNode test) {
        byte[] input = Hex.decode(test.get("out").asText());
        assertArrayEquals(input, RlpReencoder.encode(Rlp.decode(input)));
    }

    /** Fixture input: strings are bytes, numbers and "#digits" strings are unsigned scalars. */
    private static byte[] encode(JsonNode in) {
        if (in.isArray()) {
            List<byte[]> items = new ArrayList<>();
            for (JsonNode child : in) {
                items.add(encode(child));
            }
            return Rlp.encodeList(items);
        }
        if (in.isIntegralNumber()) {
            byte[] viaBig = Rlp.encodeBigInteger(in.bigIntegerValue());
            if (in.canConvertToLong()) {
                assertArrayEquals(viaBig, Rlp.encodeLong(in.longValue()), "encodeLong vs encodeBigInteger");
            }
            return viaBig;
        }
        String s = in.asText();
        if (s.startsWith("#")) {
            return Rlp.encodeBigInteger(new BigInteger(s.substring(1)));
        }
        return Rlp.encodeBytes(s.getBytes(StandardCharsets.UTF_8));
    }
}
