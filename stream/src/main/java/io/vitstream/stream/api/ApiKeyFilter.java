package io.vitstream.stream.api;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vitstream.stream.config.VitstreamConfig;

import io.vertx.core.http.HttpHeaders;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * {@code vitstream.http.api-key}: when set, every HTTP request but the health checks
 * ({@code /q/health}, which the kubelet calls without credentials) must carry the key, as
 * {@code Authorization: Bearer <key>} or {@code X-API-Key: <key>}; others get 401. Checked in a
 * Vert.x route filter, so it covers the REST API and {@code /q/metrics} alike.
 */
@ApplicationScoped
public class ApiKeyFilter {

    void register(@Observes Filters filters, VitstreamConfig config) {
        if (config.http().apiKey().isEmpty()) {
            return;
        }
        String key = config.http().apiKey().get();
        if (key.isBlank()) {
            throw new IllegalArgumentException("vitstream.http.api-key is set but blank");
        }
        byte[] expected = key.getBytes(StandardCharsets.UTF_8);
        filters.register(rc -> {
            String path = rc.normalizedPath();
            if (path.equals("/q/health") || path.startsWith("/q/health/")) {
                rc.next();
                return;
            }
            if (matches(expected, presented(rc.request().getHeader(HttpHeaders.AUTHORIZATION), rc.request().getHeader("X-API-Key")))) {
                rc.next();
                return;
            }
            rc.response().setStatusCode(401).putHeader("WWW-Authenticate", "Bearer")
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .end("{\"error\":\"this endpoint needs the API key (vitstream.http.api-key): Authorization: Bearer <key> or X-API-Key: <key>\"}");
        }, 200);
    }

    private static String presented(String authorization, String apiKeyHeader) {
        if (apiKeyHeader != null) {
            return apiKeyHeader;
        }
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).strip();
        }
        return null;
    }

    /** Constant-time comparison, so response timing does not reveal how much of a guess was right. */
    static boolean matches(byte[] expected, String presented) {
        return presented != null && MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8));
    }
}
