package org.rollupnode.gateway.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
}
