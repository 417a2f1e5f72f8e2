package org.rollupnode.execution.evm.precompile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.provider.Arguments;
import org.rollupnode.execution.types.Hex;

/** Loads go-ethereum's precompile vectors, copied under test resources geth-precompile-vectors/. */
final class GethVectors {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String DIR = "geth-precompile-vectors/core/vm/testdata/precompiles/";

    record Vector(String name, byte[] input, byte[] expected, long gas, String expectedError) {
        @Override
        public String toString() {
            return name;
        }
    }

    private GethVectors() {}

    static List<Vector> load(String file) {
        try (InputStream in = GethVectors.class.getClassLoader().getResourceAsStream(DIR + file)) {
            if (in == null) {
                throw new IllegalStateException("vector file not on the test classpath: " + DIR + file);
            }
            List<Vector> out = new ArrayList<>();
            for (JsonNode n : MAPPER.readTree(in)) {
                out.add(new Vector(
                        n.get("Name").asText(),
                        Hex.decode(n.get("Input").asText()),
                        n.has("Expected") ? Hex.decode(n.get("Expected").asText()) : null,
                        n.has("Gas") ? n.get("Gas").asLong() : -1,
                        n.has("ExpectedError") ? n.get("ExpectedError").asText() : null));
            }
            if (out.isEmpty()) {
                throw new IllegalStateException("no vectors in " + file);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Arguments> args(String file) {
        return load(file).stream().map(v -> Arguments.of(v)).toList();
    }
}
