package org.rollupnode.gateway.rpc;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** {@code --http.corsdomain}: which browser origins may read our responses. Empty list = none. */
final class CorsPolicy {

    private final boolean anyOrigin;
    private final Set<String> origins;

    CorsPolicy(List<String> allowedOrigins) {
        List<String> cleaned = allowedOrigins == null ? List.of() : allowedOrigins.stream()
                .map(String::trim).filter(o -> !o.isEmpty()).collect(Collectors.toList());
        this.anyOrigin = cleaned.contains("*");
        // origins compare case-insensitively (scheme and host are), a trailing slash is not part of one
        this.origins = cleaned.stream().map(CorsPolicy::normalize).collect(Collectors.toUnmodifiableSet());
    }

    /** Adds Access-Control-Allow-Origin to an actual (non-preflight) response when allowed. */
    void decorate(HttpServerRequest request) {
        String origin = request.getHeader("Origin");
        HttpServerResponse response = request.response();
        if (anyOrigin) {
            response.putHeader("Access-Control-Allow-Origin", "*");
        } else if (origin != null && origins.contains(normalize(origin))) {
            response.putHeader("Access-Control-Allow-Origin", origin);
            // caches must not hand one origin's answer to another
            response.putHeader("Vary", "Origin");
        }
    }

    /** Answers an OPTIONS preflight; a disallowed origin gets no CORS headers, so the browser blocks it. */
    void preflight(HttpServerRequest request) {
        decorate(request);
        HttpServerResponse response = request.response();
        String origin = request.getHeader("Origin");
        if (anyOrigin || (origin != null && origins.contains(normalize(origin)))) {
            response.putHeader("Access-Control-Allow-Methods", "POST, GET, OPTIONS");
            String requested = request.getHeader("Access-Control-Request-Headers");
            response.putHeader("Access-Control-Allow-Headers", requested == null ? "Content-Type" : requested);
            response.putHeader("Access-Control-Max-Age", "600");
        }
        response.setStatusCode(204).end();
    }

    private static String normalize(String origin) {
        String o = origin.trim().toLowerCase(Locale.ROOT);
        return o.endsWith("/") ? o.substring(0, o.length() - 1) : o;
    }
}
