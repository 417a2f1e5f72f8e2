package org.rollupnode.gateway.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Everything through real HTTP, against a server on an ephemeral port. */
class HttpJsonRpcServerTest {

    private static final ObjectMapper MAPPER = JsonRpcMapper.shared();
    private static final Limits LIMITS = new Limits(10, 16, 64 * 1024, Duration.ofMillis(500));
    private static final String ORIGIN = "https://app.example";

    private static final TestMethods METHODS = new TestMethods();
    private static HttpJsonRpcServer server;
    private static URI uri;
    private static HttpClient client;

    @BeforeAll
    static void start() {
        server = new HttpJsonRpcServer(null, METHODS.dispatcher(LIMITS), "127.0.0.1", 0, LIMITS, List.of(ORIGIN));
        int port = server.start();
        uri = URI.create("http://127.0.0.1:" + port + "/");
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> post(String body) throws Exception {
        return client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode rpc(String body) throws Exception {
        HttpResponse<String> response = post(body);
        assertEquals(200, response.statusCode(), response.body());
        return MAPPER.readTree(response.body());
    }

    private static String request(Object id, String method, String params) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":" + params + "}";
    }

    private static void assertError(JsonNode response, JsonNode id, int code, String message) {
        assertEquals(id, response.get("id"), response.toString());
        assertEquals(code, response.at("/error/code").asInt(), response.toString());
        assertEquals(message, response.at("/error/message").asText(), response.toString());
        assertNull(response.get("result"), response.toString());
    }

    @Test
    void singleCall() throws Exception {
        HttpResponse<String> response = post(request(1, "test_echo", "[\"hello\"]"));
        assertEquals(200, response.statusCode());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
        assertEquals("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"hello\"}", response.body());
    }

    @Test
    void quantityParams() throws Exception {
        assertEquals("0x100", rpc(request(1, "test_add", "[\"0x1\",\"0xff\"]")).get("result").asText());
        assertEquals(21, rpc(request(1, "test_addLong", "[\"0x0\",\"0x15\"]")).get("result").asLong());
    }

    @Test
    void invalidParamsNamesTheParameter() throws Exception {
        assertError(rpc(request(7, "test_add", "[\"0x1\",\"0x01\"]")), MAPPER.valueToTree(7), -32602,
                "invalid argument 1 (b): hex number with leading zero digits");
        assertError(rpc(request(8, "test_add", "[\"0x1\"]")), MAPPER.valueToTree(8), -32602,
                "missing value for required argument 1 (b)");
    }

    @Test
    void batchWithNotificationsAndInvalidMembers() throws Exception {
        int before = METHODS.notified.get();
        JsonNode r = rpc("["
                + request(1, "test_echo", "[1]") + ","
                + "{\"jsonrpc\":\"2.0\",\"method\":\"test_notify\"},"
                + "1,"
                + "{\"foo\":\"boo\"},"
                + request("\"b\"", "test_nope", "[]") + ","
                + request("\"c\"", "test_echo", "[\"c\"]")
                + "]");
        assertEquals(5, r.size(), r.toString());
        assertEquals(1, r.get(0).get("id").asInt());
        assertEquals(1, r.get(0).get("result").asInt());
        assertError(r.get(1), NullNode.getInstance(), -32600, "invalid request: expected a JSON object");
        assertError(r.get(2), NullNode.getInstance(), -32600, "invalid request: jsonrpc must be \"2.0\"");
        assertError(r.get(3), MAPPER.valueToTree("b"), -32601, "the method test_nope does not exist/is not available");
        assertEquals("c", r.get(4).get("result").asText());
        assertEquals(before + 1, METHODS.notified.get(), "the notification must still run");
    }

    @Test
    void allNotificationBatchGetsAnEmptyBody() throws Exception {
        int before = METHODS.notified.get();
        String notification = "{\"jsonrpc\":\"2.0\",\"method\":\"test_notify\",\"params\":[]}";
        HttpResponse<String> response = post("[" + notification + "," + notification + "]");
        assertEquals(200, response.statusCode());
        assertEquals("", response.body());
        assertEquals(before + 2, METHODS.notified.get());
        HttpResponse<String> single = post(notification);
        assertEquals(200, single.statusCode());
        assertEquals("", single.body());
    }

    @Test
    void emptyBatchIsOneInvalidRequest() throws Exception {
        assertError(rpc("[]"), NullNode.getInstance(), -32600, "empty batch");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"abc\"", "\"\"", "0", "-42", "123456789012345678901234567890", "1.50",
        "-0.000000000000000000001", "12345678901234567890.123456789012345678901", "1e3", "-2.5E+10", "-0", "null"})
    void idsAreEchoedExactly(String id) throws Exception {
        String body = post(request(id, "test_echo", "[true]")).body();
        assertEquals("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":true}", body);
    }

    @Test
    void idsInsideBatchesAreEchoedExactly() throws Exception {
        String body = post("[" + request("123456789012345678901234567890", "test_null", "[]") + ","
                + request("2.50", "test_null", "[]") + "]").body();
        assertEquals("[{\"jsonrpc\":\"2.0\",\"id\":123456789012345678901234567890,\"result\":null},"
                + "{\"jsonrpc\":\"2.0\",\"id\":2.50,\"result\":null}]", body);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"jsonrpc\":\"2.0\",\"method\":\"foobar\",\"params\":\"bar\",\"baz]",
        "[{\"jsonrpc\":\"2.0\",\"method\":\"test_echo\",\"params\":[1],\"id\":1},{\"jsonrpc\":\"2.0\",\"method\"]",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test_echo\"} trailing", "", "   ", "\u00ff"})
    void parseError(String body) throws Exception {
        JsonNode r = rpc(body);
        assertEquals(NullNode.getInstance(), r.get("id"));
        assertEquals(-32700, r.at("/error/code").asInt(), r.toString());
    }

    @Test
    void invalidRequestVariants() throws Exception {
        JsonNode nul = NullNode.getInstance();
        assertError(rpc("{\"jsonrpc\":\"1.0\",\"id\":5,\"method\":\"test_echo\",\"params\":[1]}"),
                MAPPER.valueToTree(5), -32600, "invalid request: jsonrpc must be \"2.0\"");
        assertError(rpc("{\"jsonrpc\":2.0,\"id\":5,\"method\":\"test_echo\"}"),
                MAPPER.valueToTree(5), -32600, "invalid request: jsonrpc must be \"2.0\"");
        assertError(rpc("{\"id\":5,\"method\":\"test_echo\"}"),
                MAPPER.valueToTree(5), -32600, "invalid request: jsonrpc must be \"2.0\"");
        assertError(rpc("{\"jsonrpc\":\"2.0\",\"method\":1,\"params\":\"bar\"}"),
                nul, -32600, "invalid request: method must be a string");
        assertError(rpc("{\"jsonrpc\":\"2.0\",\"id\":6,\"params\":[]}"),
                MAPPER.valueToTree(6), -32600, "invalid request: method must be a string");
        assertError(rpc("{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"test_echo\",\"params\":\"bar\"}"),
                MAPPER.valueToTree(6), -32600, "invalid request: params must be an array or an object");
        assertError(rpc("{\"jsonrpc\":\"2.0\",\"id\":{\"a\":1},\"method\":\"test_echo\",\"params\":[1]}"),
                nul, -32600, "invalid request: id must be a string, number or null");
        assertError(rpc("{\"jsonrpc\":\"2.0\",\"id\":true,\"method\":\"test_echo\",\"params\":[1]}"),
                nul, -32600, "invalid request: id must be a string, number or null");
        assertError(rpc("42"), nul, -32600, "invalid request: expected a JSON object");
        JsonNode three = rpc("[1,2,3]");
        assertEquals(3, three.size());
        for (JsonNode each : three) {
            assertError(each, nul, -32600, "invalid request: expected a JSON object");
        }
    }

    @Test
    void disabledNamespaceLooksExactlyLikeAnUnknownMethod() throws Exception {
        JsonNode disabled = rpc(request(1, "admin_secret", "[]"));
        JsonNode unknown = rpc(request(1, "admin_secrets", "[]"));
        assertError(disabled, MAPPER.valueToTree(1), -32601, "the method admin_secret does not exist/is not available");
        assertError(unknown, MAPPER.valueToTree(1), -32601, "the method admin_secrets does not exist/is not available");
        assertEquals(unknown.toString().replace("admin_secrets", "admin_secret"), disabled.toString());
    }

    @Test
    void methodErrorKeepsCodeMessageAndData() throws Exception {
        assertEquals("{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":3,\"message\":\"execution reverted\","
                + "\"data\":\"0x08c379a0\"}}", post(request(1, "test_fail", "[]")).body());
    }

    @Test
    void internalErrorHidesTheExceptionText() throws Exception {
        HttpResponse<String> response = post(request(9, "test_boom", "[]"));
        assertEquals("{\"jsonrpc\":\"2.0\",\"id\":9,\"error\":{\"code\":-32603,\"message\":\"internal error\"}}",
                response.body());
        assertFalse(response.body().contains("secret"));
    }

    @Test
    void batchOverTheLimit() throws Exception {
        List<String> calls = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            calls.add(request(i, "test_echo", "[" + i + "]"));
        }
        assertError(rpc("[" + String.join(",", calls) + "]"), NullNode.getInstance(), -32005,
                "batch of 11 requests exceeds the limit of 10");
        // exactly at the limit is fine
        assertEquals(10, rpc("[" + String.join(",", calls.subList(0, 10)) + "]").size());
    }

    @Test
    void deepNestingIsRejected() throws Exception {
        String deep = "[".repeat(40) + "]".repeat(40);
        assertError(rpc(request(1, "test_echo", "[" + deep + "]")), NullNode.getInstance(), -32600,
                "invalid request: JSON nesting depth exceeds the limit of 16");
        String shallow = "[".repeat(10) + "]".repeat(10);
        assertEquals(shallow, rpc(request(1, "test_echo", "[" + shallow + "]")).get("result").toString());
    }

    @Test
    void bodyTooLargeIs413() throws Exception {
        String huge = request(1, "test_echo", "[\"" + "a".repeat(200 * 1024) + "\"]");
        HttpResponse<String> response = post(huge);
        assertEquals(413, response.statusCode());
        assertError(MAPPER.readTree(response.body()), NullNode.getInstance(), -32600,
                "request body too large: limit 65536 bytes");
        // the server is still fine afterwards
        assertEquals("ok", rpc(request(2, "test_echo", "[\"ok\"]")).get("result").asText());
    }

    @Test
    void declaredLengthOverTheLimitIsRejectedBeforeAnyBodyIsSent() throws Exception {
        // Only headers go out: the 413 must come from Content-Length alone, without waiting for a body.
        try (Socket socket = new Socket("127.0.0.1", uri.getPort())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(("POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 104857600\r\nExpect: 100-continue\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            BufferedReader reader = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            String status = reader.readLine();
            assertEquals("HTTP/1.1 413 Request Entity Too Large", status);
        }
    }

    @Test
    void chunkedBodyTooLargeIs413() throws Exception {
        byte[] huge = request(1, "test_echo", "[\"" + "a".repeat(200 * 1024) + "\"]").getBytes();
        // ofInputStream has no known length, so the client sends it chunked without Content-Length
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(huge))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(413, response.statusCode());
        assertTrue(response.body().contains("request body too large"), response.body());
    }

    @Test
    void chunkedBodyWithinTheLimitIsServed() throws Exception {
        byte[] body = request(1, "test_echo", "[\"" + "a".repeat(1000) + "\"]").getBytes();
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        assertEquals(1000, MAPPER.readTree(response.body()).get("result").asText().length());
    }

    @Test
    void sloppyContentTypeIsAccepted() throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(request(1, "net_version", "[]"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals("1337", MAPPER.readTree(response.body()).get("result").asText());
    }

    @Test
    void anyPathServesJsonRpc() throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri.resolve("/some/path"))
                .POST(HttpRequest.BodyPublishers.ofString(request(1, "net_version", "[]"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals("1337", MAPPER.readTree(response.body()).get("result").asText());
    }

    @Test
    void health() throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri.resolve("/health")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        assertEquals("{\"status\":\"ok\"}", response.body());
    }

    @Test
    void otherGetIs405WithAJsonRpcError() throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(405, response.statusCode());
        assertEquals(-32600, MAPPER.readTree(response.body()).at("/error/code").asInt());
    }

    @Test
    void corsPreflightAndHeader() throws Exception {
        HttpResponse<String> preflight = client.send(HttpRequest.newBuilder(uri)
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", ORIGIN)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type")
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(204, preflight.statusCode());
        assertEquals(ORIGIN, preflight.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        assertTrue(preflight.headers().firstValue("Access-Control-Allow-Methods").orElse("").contains("POST"));
        assertEquals("content-type", preflight.headers().firstValue("Access-Control-Allow-Headers").orElse(null));

        HttpResponse<String> allowed = client.send(HttpRequest.newBuilder(uri).header("Origin", ORIGIN)
                .POST(HttpRequest.BodyPublishers.ofString(request(1, "net_version", "[]"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(ORIGIN, allowed.headers().firstValue("Access-Control-Allow-Origin").orElse(null));

        HttpResponse<String> other = client.send(HttpRequest.newBuilder(uri).header("Origin", "https://evil.example")
                .POST(HttpRequest.BodyPublishers.ofString(request(1, "net_version", "[]"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(other.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
    }

    @Test
    void wildcardCors() throws Exception {
        try (HttpJsonRpcServer open = new HttpJsonRpcServer(null, METHODS.dispatcher(LIMITS), "127.0.0.1", 0, LIMITS,
                List.of("*"))) {
            URI openUri = URI.create("http://127.0.0.1:" + open.start() + "/");
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(openUri).header("Origin", "https://x.example")
                    .POST(HttpRequest.BodyPublishers.ofString(request(1, "net_version", "[]"))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals("*", response.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        }
    }

    @Test
    void slowMethodTimesOut() throws Exception {
        long started = System.nanoTime();
        JsonRpcException expected = JsonRpcException.resourceUnavailable("request timed out after 500 ms");
        assertError(rpc(request(4, "test_sleep", "[\"0xbb8\"]")), MAPPER.valueToTree(4), expected.code(),
                expected.getMessage());
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(millis >= 450 && millis < 2500, "answered after " + millis + " ms");
    }

    @Test
    void timedOutBatchKeepsFinishedAnswers() throws Exception {
        JsonNode r = rpc("[" + request(1, "test_echo", "[1]") + "," + request(2, "test_sleep", "[\"0xbb8\"]") + ","
                + request(3, "test_echo", "[3]") + "]");
        assertEquals(3, r.size(), r.toString());
        assertEquals(1, r.get(0).get("result").asInt());
        assertEquals(-32002, r.get(1).at("/error/code").asInt());
        assertEquals(-32002, r.get(2).at("/error/code").asInt());
        assertEquals(3, r.get(2).get("id").asInt());
    }

    @Test
    void deferredResultsOfABatchOverHttp() throws Exception {
        JsonNode r = rpc("[" + request(1, "test_await", "[\"http\"]") + "," + request(2, "test_later", "[]") + ","
                + request(3, "test_release", "[\"http\", 7]") + "]");
        assertEquals(3, r.size(), r.toString());
        assertEquals(7, r.get(0).get("result").asInt());
        assertEquals("later", r.get(1).get("result").asText());
        assertTrue(r.get(2).get("result").asBoolean());
    }

    @Test
    void aDeferredResultPastTheDeadlineTimesOutAlone() throws Exception {
        JsonNode r = rpc("[" + request(1, "test_later", "[]") + "," + request(2, "test_never", "[]") + ","
                + request(3, "test_echo", "[3]") + "]");
        assertEquals(3, r.size(), r.toString());
        assertEquals("later", r.get(0).get("result").asText());
        assertError(r.get(1), MAPPER.valueToTree(2), -32002, "request timed out after 500 ms");
        assertEquals(3, r.get(2).get("result").asInt());
    }

    @Test
    void twoHundredConcurrentRequests() throws Exception {
        HttpClient h1 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<CompletableFuture<HttpResponse<String>>> futures = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            // each request sleeps a little so they really overlap on the workers
            String body = i % 2 == 0 ? request(i, "test_echo", "[\"v" + i + "\"]") : request(i, "test_sleep", "[\"0x14\"]");
            futures.add(h1.sendAsync(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        for (int i = 0; i < 200; i++) {
            HttpResponse<String> response = futures.get(i).get();
            assertEquals(200, response.statusCode());
            JsonNode r = MAPPER.readTree(response.body());
            assertEquals(i, r.get("id").asInt(), r.toString());
            assertEquals(i % 2 == 0 ? "v" + i : "slept", r.get("result").asText(), r.toString());
        }
    }

    @Test
    void http2ClientIsServed() throws Exception {
        HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> response = h2.send(HttpRequest.newBuilder(uri)
                    .POST(HttpRequest.BodyPublishers.ofString(request(i, "net_version", "[]"))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals("1337", MAPPER.readTree(response.body()).get("result").asText());
        }
    }

    @Test
    void saturatedWorkersAnswerServerBusy() throws Exception {
        Limits slow = LIMITS.withMethodTimeout(Duration.ofSeconds(5));
        try (HttpJsonRpcServer tiny = new HttpJsonRpcServer(null, METHODS.dispatcher(slow), "127.0.0.1", 0, slow,
                List.of(), new HttpJsonRpcServer.Workers(1, 1))) {
            URI tinyUri = URI.create("http://127.0.0.1:" + tiny.start() + "/");
            List<CompletableFuture<HttpResponse<String>>> futures = new ArrayList<>();
            long[] answeredAfterMillis = new long[4];
            long started = System.nanoTime();
            for (int i = 0; i < 4; i++) {
                int index = i;
                futures.add(client.sendAsync(HttpRequest.newBuilder(tinyUri)
                        .POST(HttpRequest.BodyPublishers.ofString(request(i, "test_sleep", "[\"0x3e8\"]"))).build(),
                        HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) ->
                        answeredAfterMillis[index] = (System.nanoTime() - started) / 1_000_000));
            }
            int busy = 0;
            int slept = 0;
            for (int i = 0; i < futures.size(); i++) {
                JsonNode r = MAPPER.readTree(futures.get(i).get().body());
                assertEquals(i, r.get("id").asInt(), "busy answers still carry the request id");
                if (r.has("error")) {
                    assertError(r, r.get("id"), -32005, "server busy");
                    assertTrue(answeredAfterMillis[i] < 800, "busy answer took " + answeredAfterMillis[i] + " ms");
                    busy++;
                } else {
                    slept++;
                }
            }
            // one running + one queued; the rest must be turned away
            assertEquals(2, slept);
            assertEquals(2, busy);
        }
    }

    @Test
    void portInUseGivesAClearError() {
        try (HttpJsonRpcServer second = new HttpJsonRpcServer(null, METHODS.dispatcher(LIMITS), "127.0.0.1",
                uri.getPort(), LIMITS, List.of())) {
            IllegalStateException e = assertThrows(IllegalStateException.class, second::start);
            assertEquals("cannot bind HTTP JSON-RPC to 127.0.0.1:" + uri.getPort() + ": address already in use",
                    e.getMessage());
        }
    }
}
