package io.vitstream.stream.api;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vitstream.stream.config.VitstreamConfig;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * {@code vitstream.http.api-key}: when set, every HTTP request but the health checks
 * ({@code /q/health}, which the kubelet calls without credentials) must carry the key, as
 * {@code Authorization: Bearer <key>} or {@code X-API-Key: <key>} (GET requests also as the
 * page's cookie {@link #COOKIE}); others get 401. The live view's own files need no key. Checked in a
 * Vert.x route filter, so it covers the REST API and {@code /q/metrics} alike.
 */
@ApplicationScoped
public class ApiKeyFilter {

    /**
     * The live view's files at the root (HTML, its ES modules and CSS; no data in them): served
     * without the key, so the page can load and ask for it.
     */
    static final java.util.regex.Pattern PAGE = java.util.regex.Pattern.compile("/|/[A-Za-z0-9_-]+\\.(html|js|css)");

    /**
     * A browser cannot put a header on an event stream or an image, so the page sends the key as
     * this cookie (set by the page, {@code SameSite=Strict}); it counts for GET requests only,
     * so another site cannot make a browser POST with it.
     */
    static final String COOKIE = "vitstream-api-key";

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
            if (path.equals("/q/health") || path.startsWith("/q/health/") || PAGE.matcher(path).matches()) {
                rc.next();
                return;
            }
            String cookie = rc.request().method() == HttpMethod.GET ? cookie(rc.request().getCookie(COOKIE)) : null;
            if (matches(expected, presented(rc.request().getHeader(HttpHeaders.AUTHORIZATION), rc.request().getHeader("X-API-Key")))
                    || matches(expected, cookie)) {
                rc.next();
                return;
            }
            rc.response().setStatusCode(401).putHeader("WWW-Authenticate", "Bearer")
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .end("{\"error\":\"this endpoint needs the API key (vitstream.http.api-key): Authorization: Bearer <key> or X-API-Key: <key>\"}");
        }, 200);
    }

    private static String cookie(io.vertx.core.http.Cookie c) {
        return c == null ? null : java.net.URLDecoder.decode(c.getValue(), StandardCharsets.UTF_8);
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
