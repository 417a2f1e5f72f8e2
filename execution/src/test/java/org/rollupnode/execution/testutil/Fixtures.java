package org.rollupnode.execution.testutil;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Loads the official Ethereum fixtures from the test classpath folder {@code ethereum-tests/}. */
public final class Fixtures {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Fixtures() {}

    public static JsonNode read(String relativePath) {
        String resource = "ethereum-tests/" + relativePath;
        try (InputStream in = Fixtures.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("fixture not on the test classpath: " + resource);
            }
            return MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read fixture " + resource, e);
        }
    }

    /** Relative paths (under ethereum-tests/) of the .json files in a fixture folder, sorted. */
    public static List<String> list(String relativeDir) {
        URL url = Fixtures.class.getClassLoader().getResource("ethereum-tests/" + relativeDir);
        if (url == null) {
            throw new IllegalStateException("fixture folder not on the test classpath: " + relativeDir);
        }
        try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
            List<String> names = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".json"))
                    .sorted()
                    .map(n -> relativeDir + "/" + n)
                    .toList();
            if (names.isEmpty()) {
                throw new IllegalStateException("no fixtures in " + relativeDir);
            }
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
