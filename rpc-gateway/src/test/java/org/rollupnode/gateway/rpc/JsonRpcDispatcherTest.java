package org.rollupnode.gateway.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The transport-free contract, as the WebSocket endpoint will use it. */
class JsonRpcDispatcherTest {

    private static final ObjectMapper MAPPER = JsonRpcMapper.shared();
    private final TestMethods methods = new TestMethods();
    private final JsonRpcDispatcher dispatcher = methods.dispatcher(Limits.DEFAULT);

    private JsonNode call(String body) throws Exception {
        return MAPPER.readTree(dispatcher.handle(body));
    }

    @Test
    void answersASingleCall() throws Exception {
        assertEquals("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"1337\"}",
                dispatcher.handle("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"net_version\",\"params\":[]}"));
    }

    @Test
    void nullResultIsPresent() {
        assertEquals("{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"result\":null}",
                dispatcher.handle("{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"method\":\"test_null\"}"));
    }

    @Test
    void namespacesAreCaseInsensitiveButMethodNamesAreNot() throws Exception {
        assertEquals(Set.of("test", "net"), dispatcher.enabledNamespaces());
        assertTrue(dispatcher.isNamespaceEnabled("Test"));
        assertEquals(-32601, call("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"NET_version\"}").at("/error/code").asInt());
        assertTrue(dispatcher.availableMethods().contains("test_echo"));
        assertFalse(dispatcher.availableMethods().contains("admin_secret"));
    }

    @Test
    void notificationIsRunButNotAnswered() {
        assertNull(dispatcher.handle("{\"jsonrpc\":\"2.0\",\"method\":\"test_notify\"}"));
        assertEquals(1, methods.notified.get());
        // even a failing or unknown notification gets no answer
        assertNull(dispatcher.handle("{\"jsonrpc\":\"2.0\",\"method\":\"test_boom\"}"));
        assertNull(dispatcher.handle("{\"jsonrpc\":\"2.0\",\"method\":\"nope\"}"));
    }

    @Test
    void rejectsDuplicateRegistration() {
        assertThrows(IllegalArgumentException.class, () -> dispatcher.register("test_echo", p -> 1));
        assertThrows(IllegalArgumentException.class, () -> dispatcher.register(" ", p -> 1));
    }

    @Test
    void errorDataIsSerialized() throws Exception {
        JsonNode r = call("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"test_fail\"}");
        assertEquals(3, r.at("/error/code").asInt());
        assertEquals("execution reverted", r.at("/error/message").asText());
        assertEquals("0x08c379a0", r.at("/error/data").asText());
    }

    @Test
    void nullParamsMeanNoParams() throws Exception {
        JsonNode r = call("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"test_map\",\"params\":null}");
        assertEquals(true, r.at("/result/flag").asBoolean());
    }

    @Test
    void namedParamsReachTheMethod() throws Exception {
        JsonNode r = call("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"test_add\",\"params\":{\"b\":\"0x1\",\"a\":\"0xf\"}}");
        assertEquals("0x10", r.get("result").asText());
    }

    @Test
    void expiredExchangeKeepsFinishedAnswersAndTimesOutTheRest() throws Exception {
        JsonRpcExchange ex = dispatcher.open(("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"net_version\"},"
                + "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"net_version\"},"
                + "{\"jsonrpc\":\"2.0\",\"method\":\"test_notify\"}]").getBytes());
        assertTrue(ex.expire(JsonRpcException.resourceUnavailable("request timed out after 5 ms")));
        assertFalse(ex.finish(), "only one side may answer");
        ex.run(); // a late worker must not change the answer
        JsonNode r = MAPPER.readTree(ex.response());
        assertEquals(2, r.size());
        assertEquals(-32002, r.get(0).at("/error/code").asInt());
        assertEquals(2, r.get(1).get("id").asInt());
        assertEquals(0, methods.notified.get());
    }

    @Test
    void bodyOverTheDispatcherLimitIsRejected() throws Exception {
        JsonRpcDispatcher small = methods.dispatcher(Limits.DEFAULT.withMaxBodyBytes(10));
        JsonNode r = MAPPER.readTree(small.handle("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"net_version\"}"));
        assertEquals(-32600, r.at("/error/code").asInt());
        assertEquals("request body too large: limit 10 bytes", r.at("/error/message").asText());
    }

    private static String req(Object id, String method, String params) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":" + params + "}";
    }

    @Test
    void everyCallOfABatchIsStartedBeforeDeferredResultsAreAwaited() throws Exception {
        // Call 1 waits for a result only call 3 provides: run one after the other, this never answers.
        JsonNode r = call("[" + req(1, "test_await", "[\"g\"]") + "," + req(2, "net_version", "[]") + ","
                + req(3, "test_release", "[\"g\", \"0xabc\"]") + "]");
        assertEquals(3, r.size(), r.toString());
        assertEquals(1, r.get(0).get("id").asInt());
        assertEquals("0xabc", r.get(0).get("result").asText());
        assertEquals("1337", r.get(1).get("result").asText());
        assertEquals(3, r.get(2).get("id").asInt());
        assertTrue(r.get(2).get("result").asBoolean());
    }

    @Test
    void deferredFailuresAreAnsweredLikeThrownOnes() throws Exception {
        JsonNode r = call("[" + req(1, "test_failLater", "[\"f\"]") + "," + req(2, "test_boomLater", "[\"f\"]") + ","
                + req(3, "test_later", "[]") + "," + req(4, "test_release", "[\"f\", \"0x08c379a0\"]") + "]");
        assertEquals(4, r.size(), r.toString());
        assertEquals(1, r.get(0).get("id").asInt());
        assertEquals(3, r.get(0).at("/error/code").asInt());
        assertEquals("execution reverted", r.get(0).at("/error/message").asText());
        assertEquals("0x08c379a0", r.get(0).at("/error/data").asText());
        assertEquals(2, r.get(1).get("id").asInt());
        assertEquals(-32603, r.get(1).at("/error/code").asInt());
        assertEquals("internal error", r.get(1).at("/error/message").asText());
        assertFalse(r.toString().contains("secret"), r.toString());
        assertEquals("later", r.get(2).get("result").asText());
        // the observer sees each call once, deferred ones when their answer is known
        assertEquals(List.of("test_boomLater", "test_failLater", "test_later", "test_release"),
                methods.observed.stream().sorted().toList());
    }

    @Test
    void aDeferredResultThatNeverCompletesTimesOutAloneWithoutATransportDeadline() throws Exception {
        JsonRpcDispatcher quick = methods.dispatcher(Limits.DEFAULT.withMethodTimeout(Duration.ofMillis(200)));
        JsonNode r = MAPPER.readTree(quick.handle("[" + req(1, "test_never", "[]") + "," + req(2, "test_later", "[]") + ","
                + req(3, "net_version", "[]") + "]"));
        assertEquals(3, r.size(), r.toString());
        assertEquals(-32002, r.get(0).at("/error/code").asInt());
        assertEquals("request timed out after 200 ms", r.get(0).at("/error/message").asText());
        assertEquals("later", r.get(1).get("result").asText());
        assertEquals("1337", r.get(2).get("result").asText());
    }

    @Test
    void expiryStopsTheWaitForDeferredResults() throws Exception {
        JsonRpcExchange ex = dispatcher.open(("[" + req(1, "net_version", "[]") + "," + req(2, "test_never", "[]") + "]").getBytes());
        Thread worker = new Thread(ex::run);
        worker.start();
        // expire once the worker has started both calls and waits (Limits.DEFAULT would wait 30 s)
        while (worker.getState() != Thread.State.TIMED_WAITING) {
            Thread.onSpinWait();
        }
        assertTrue(ex.expire(JsonRpcException.resourceUnavailable("request timed out after 5 ms")));
        worker.join(10_000);
        assertFalse(worker.isAlive(), "the worker still waits for a result nobody will read");
        JsonNode r = MAPPER.readTree(ex.response());
        assertEquals("1337", r.get(0).get("result").asText());
        assertEquals("request timed out after 5 ms", r.get(1).at("/error/message").asText());
    }
}
