package org.rollupnode.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A minimal JSON-RPC client over java.net.http, with batches; any Ethereum node will do. */
final class RpcClient {
    static final ObjectMapper JSON = new ObjectMapper();
    // HTTP/1.1: over an h2c upgrade the JDK client multiplexes every batch on one connection and
    // fails batches beyond the server's stream limit ("too many concurrent streams") under load.
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final URI uri;

    RpcClient(URI uri) {
        this.uri = uri;
    }

    JsonNode call(String method, Object... params) throws IOException, InterruptedException {
        ObjectNode req = request(1, method, params);
        HttpResponse<String> r = http.send(post(req.toString()), HttpResponse.BodyHandlers.ofString());
        JsonNode res = JSON.readTree(r.body());
        if (res.has("error")) {
            throw new IOException(method + ": " + res.get("error"));
        }
        return res.get("result");
    }

    CompletableFuture<JsonNode> batchAsync(String method, List<Object[]> paramsList) {
        ArrayNode batch = JSON.createArrayNode();
        for (int i = 0; i < paramsList.size(); i++) {
            batch.add(request(i, method, paramsList.get(i)));
        }
        return http.sendAsync(post(batch.toString()), HttpResponse.BodyHandlers.ofString()).thenApply(r -> {
            try {
                return JSON.readTree(r.body());
            } catch (IOException e) {
                throw new IllegalStateException("unparsable batch answer: " + e.getMessage());
            }
        });
    }

    private HttpRequest post(String body) {
        return HttpRequest.newBuilder(uri).header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static ObjectNode request(int id, String method, Object[] params) {
        ObjectNode req = JSON.createObjectNode().put("jsonrpc", "2.0").put("id", id).put("method", method);
        req.set("params", JSON.valueToTree(params));
        return req;
    }
}
