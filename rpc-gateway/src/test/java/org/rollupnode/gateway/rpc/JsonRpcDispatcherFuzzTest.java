package org.rollupnode.gateway.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rollupnode.execution.types.Address;
import org.rollupnode.execution.types.Hash32;
import org.rollupnode.execution.types.Hex;

/**
 * Coverage-guided fuzzing of {@link JsonRpcDispatcher#handle(byte[])} with toy methods that read
 * their arguments through the real {@link JsonRpcParams} helpers and the execution types' hex
 * parsers, as EthApi does. Corpus in {@code JsonRpcDispatcherFuzzTestInputs/}.
 *
 * <p>Small limits (batch 8, depth 12, 16 KiB) so the fuzzer reaches every limit path. Properties:
 * {@code handle} never throws; an answer is well-formed JSON-RPC 2.0 (an object, or a non-empty
 * array of at most the batch limit of objects, each with {@code "jsonrpc":"2.0"}, an {@code id}
 * and exactly one of {@code result} / {@code error}, an error with an integer code and a non-blank
 * message); no answer is -32603, since none of these methods fails on its own, so an internal
 * error means some helper threw something other than a JsonRpcException on client input;
 * a body with no answer at all was valid JSON (only notifications).
 */
class JsonRpcDispatcherFuzzTest {

    private static final Limits LIMITS = new Limits(8, 12, 16 * 1024, Duration.ofSeconds(5));
    /** Reads answers; deliberately not the dispatcher's mapper. */
    private static final ObjectMapper READER = new ObjectMapper();

    record CallArgs(String from, String to, BigInteger value, Long gas, List<String> data, Boolean flag) {
    }

    private static final JsonRpcDispatcher DISPATCHER = dispatcher();

    private static JsonRpcDispatcher dispatcher() {
        JsonRpcDispatcher d = new JsonRpcDispatcher(List.of("test", "eth"), LIMITS);
        d.register("eth_blockNumber", p -> {
            p.requireAtMost(0);
            return "0x2a";
        });
        d.register("test_quantity", p -> {
            p.requireAtMost(3);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("a", p.requiredQuantity(0, "a"));
            out.put("b", p.optional(1, "b") == null ? null : p.requiredBigQuantity(1, "b").toString(16));
            out.put("c", p.optionalQuantity(2, "c", -1));
            return out;
        });
        d.register("test_string", p -> {
            String s = p.requiredString(0, "s");
            boolean full = p.optionalBoolean(1, "full", false);
            String tag = p.optionalString(2, "tag", "latest");
            return s.length() + ":" + full + ":" + tag.length();
        });
        d.register("test_object", p -> p.requiredObject(0, "call", CallArgs.class));
        d.register("test_echo", p -> p.raw());
        d.register("test_hex", p -> {
            // the shapes EthApi reads: address, 32-byte hash, 0x-prefixed data
            String address = p.requiredString(0, "address");
            String hash = p.optionalString(1, "hash", null);
            String data = p.optionalString(2, "data", null);
            try {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("address", Address.fromHex(address).toString());
                out.put("hash", hash == null ? null : Hash32.fromHex(hash).toString());
                out.put("data", data == null ? null : Hex.encode(Hex.decode(data)));
                return out;
            } catch (IllegalArgumentException e) {
                throw JsonRpcException.invalidParams("invalid hex argument: " + e.getMessage());
            }
        });
        d.register("test_error", p -> {
            throw new JsonRpcException(3, "execution reverted", p.size());
        });
        d.register("admin_hidden", p -> "must never be reachable: namespace not enabled");
        return d;
    }

    @FuzzTest(maxDuration = "30s")
    void handleAnswersEveryBody(byte[] body) throws IOException {
        byte[] response = DISPATCHER.handle(body);
        if (response == null) {
            // only notifications: then the body was valid JSON
            try {
                READER.readTree(body);
            } catch (JsonProcessingException e) {
                fail("no answer to a body that is not JSON: " + e.getOriginalMessage());
            }
            return;
        }
        JsonNode answer = READER.readTree(response);
        if (answer.isArray()) {
            assertTrue(answer.size() >= 1, "empty batch answer");
            assertTrue(answer.size() <= LIMITS.maxBatchSize(), "batch answer larger than the batch limit");
            for (JsonNode one : answer) {
                checkAnswer(one);
            }
        } else {
            checkAnswer(answer);
        }
    }

    private static void checkAnswer(JsonNode a) {
        assertTrue(a.isObject(), "answer is not an object: " + a);
        assertEquals("2.0", a.path("jsonrpc").asText(null), "jsonrpc member: " + a);
        assertTrue(a.has("id"), "answer without id: " + a);
        JsonNode id = a.get("id");
        assertTrue(id.isNull() || id.isTextual() || id.isNumber(), "id of the wrong type: " + a);
        assertTrue(a.has("result") ^ a.has("error"), "need exactly one of result and error: " + a);
        if (a.has("error")) {
            JsonNode e = a.get("error");
            assertTrue(e.path("code").isInt(), "error code is not an integer: " + a);
            assertFalse(e.path("message").asText("").isBlank(), "error without a message: " + a);
            assertNotEquals(JsonRpcException.INTERNAL_ERROR, e.get("code").intValue(),
                    "internal error: a parameter helper threw on client input: " + a);
        } else {
            assertFalse(a.get("result").isTextual() && a.get("result").asText().startsWith("must never"),
                    "a method of a disabled namespace answered");
        }
    }
}
