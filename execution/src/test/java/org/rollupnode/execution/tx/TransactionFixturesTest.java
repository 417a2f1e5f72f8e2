package org.rollupnode.execution.tx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rollupnode.execution.types.Address;
import org.rollupnode.execution.types.Hash32;
import org.rollupnode.execution.types.Hex;

/**
 * The official ethereum/tests TransactionTests (v14.0), run under the Cancun result (Shanghai, or
 * the newest fork listed, when Cancun is absent) with chain id 1 and without the EIP-7623 floor.
 */
class TransactionFixturesTest {
    private static final String ROOT = "ethereum-tests/TransactionTests";
    private static final List<String> FORK_PREFERENCE = List.of(
            "Cancun", "Shanghai", "Paris", "London", "Berlin", "Istanbul", "ConstantinopleFix", "Constantinople",
            "Byzantium", "EIP158", "EIP150", "Homestead", "Frontier");

    static Stream<Arguments> fixtures() throws IOException, URISyntaxException {
        URL url = TransactionFixturesTest.class.getClassLoader().getResource(ROOT);
        assertNotNull(url, "fixtures not on the classpath: " + ROOT);
        Path root = Path.of(url.toURI());
        ObjectMapper mapper = new ObjectMapper();
        List<Arguments> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".json")).sorted()::iterator) {
                JsonNode doc;
                try {
                    doc = mapper.readTree(f.toFile());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                String rel = root.relativize(f).toString().replace('\\', '/').replaceAll("\\.json$", "");
                for (Iterator<Map.Entry<String, JsonNode>> it = doc.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    out.add(Arguments.of(rel + "/" + e.getKey(), e.getValue()));
                }
            }
        }
        return out.stream();
    }

    @Test
    void allFixtureFilesAreFound() throws Exception {
        assertTrue(fixtures().count() >= 200, "expected about 210 TransactionTests");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void fixture(String name, JsonNode test) {
        JsonNode results = test.get("result");
        JsonNode expected = null;
        String fork = null;
        for (String f : FORK_PREFERENCE) {
            if (results.has(f)) {
                expected = results.get(f);
                fork = f;
                break;
            }
        }
        assertNotNull(expected, "no usable fork result in " + name);
        String txbytes = test.get("txbytes").asText();

        Transaction tx = null;
        InvalidTransactionException error = null;
        try {
            tx = TransactionDecoder.decodeHex(txbytes);
            tx.validateStatic(1, false);
        } catch (InvalidTransactionException e) {
            error = e;
        }

        if (expected.has("exception")) {
            if (error == null) {
                fail(fork + " expects " + expected.get("exception").asText() + " but the transaction was accepted: " + tx);
            }
            return;
        }
        if (error != null) {
            fail(fork + " expects a valid transaction, got " + error.reason() + ": " + error.getMessage());
        }
        assertEquals(Hash32.fromHex(expected.get("hash").asText()), tx.hash(), "hash");
        assertEquals(Address.fromHex(expected.get("sender").asText()), tx.sender(), "sender");
        assertEquals(new BigInteger(expected.get("intrinsicGas").asText().substring(2), 16).longValueExact(), tx.intrinsicGas(),
                "intrinsic gas");
        assertArrayEquals(Hex.decode(txbytes), tx.encoded(), "wire bytes kept");
        // Rebuild from the decoded fields with our encoder: must give the same bytes.
        assertArrayEquals(tx.encoded(), rebuild(tx), "re-encoding from fields");
    }

    static byte[] rebuild(Transaction tx) {
        Transaction.Builder b = switch (tx.type()) {
            case Transaction.TYPE_LEGACY -> Transaction.legacy(tx.chainId());
            case Transaction.TYPE_ACCESS_LIST -> Transaction.accessList(tx.chainId());
            case Transaction.TYPE_EIP1559 -> Transaction.eip1559(tx.chainId());
            case Transaction.TYPE_EIP7702 -> Transaction.eip7702(tx.chainId());
            default -> throw new AssertionError("type " + tx.type());
        };
        b.nonce(tx.nonce()).gasPrice(tx.gasPrice()).maxPriorityFeePerGas(tx.maxPriorityFeePerGas())
                .maxFeePerGas(tx.maxFeePerGas()).gasLimit(tx.rawGasLimit()).to(tx.to()).value(tx.value()).data(tx.data())
                .accessList(tx.accessList()).authorizationList(tx.authorizationList());
        return b.encode(tx.yParity(), tx.r(), tx.s());
    }
}
