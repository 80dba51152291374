package io.vitstream.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * {@code POST /v1/infer} kept apart from the stream (no skip policy, bounded concurrency, body
 * limit, bad camera names refused) and the optional API key over the HTTP API and the metrics,
 * with the health checks left open: the packaged service (its own process: a second Quarkus
 * configuration cannot share a JVM with the other service tests, PyTorch loads once per JVM) on
 * its embedded broker, with an API key and a camera stride of 3.
 */
class InferenceApiIT {

    static final String KEY = "s3cret-key";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static ServiceProcess service;
    private static URI root;

    @BeforeAll
    static void start() throws Exception {
        TestModel.write(Path.of("target/api-model"));
        Path log = Path.of("target/api-service.log");
        Files.deleteIfExists(log);
        service = ServiceProcess.start(Map.of("vitstream.model.path", "target/api-model",
                "vitstream.kafka.embedded.data-dir", "target/api-kafka", "vitstream.kafka.embedded.port", "0",
                "vitstream.kafka.embedded.wipe", "true", "vitstream.demo.enabled", "false",
                "vitstream.limits.max-bytes", "1048576", "vitstream.http.api-key", KEY, "vitstream.skip.stride", "3",
                "quarkus.http.port", "0"), log);
        service.awaitStarted(180);
        root = service.uri("/");
    }

    @AfterAll
    static void stop() throws Exception {
        if (service != null) {
            service.close();
        }
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(root.resolve(path));
        if (headers.length > 0) b.headers(headers);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(root.resolve(path)).header("Content-Type", "image/png")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (headers.length > 0) b.headers(headers);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theKeyGuardsTheApiAndMetricsButNotHealth() throws Exception {
        assertEquals(200, get("/q/health/live").statusCode(), "probes need no key");
        assertEquals(401, get("/q/metrics").statusCode());
        assertEquals(401, get("/q/metrics", "X-API-Key", "wrong").statusCode());
        assertEquals(200, get("/q/metrics", "X-API-Key", KEY).statusCode());
        HttpResponse<String> model = get("/v1/model");
        assertEquals(401, model.statusCode());
        assertEquals("Bearer", model.headers().firstValue("WWW-Authenticate").orElse(""));
        assertEquals(200, get("/v1/model", "Authorization", "Bearer " + KEY).statusCode());
        assertEquals(401, get("/results/latest", "Authorization", "Bearer " + KEY + "x").statusCode());
        assertEquals(401, post("/v1/infer", Images.encoded(32, 32, 1, "png")).statusCode());
    }

    /**
     * The live view's files load without the key (the page then asks for it); its data needs the
     * key, which a browser sends as the page's cookie on GET requests, never on a POST.
     */
    @Test
    void thePageLoadsWithoutTheKeyAndItsCookieCountsForReadsOnly() throws Exception {
        HttpResponse<String> page = get("/");
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("live.js"), page.body());
        assertEquals(200, get("/live.js").statusCode());
        // Every file of the page (its ES modules import each other) loads without the key.
        try (var files = Files.list(ServiceProcess.moduleDir().resolve("src/main/resources/META-INF/resources"))) {
            for (Path f : files.toList()) {
                assertEquals(200, get("/" + f.getFileName()).statusCode(), f.getFileName().toString());
            }
        }
        assertEquals(401, get("/live/cameras").statusCode());
        String cookie = "vitstream-api-key=" + KEY;
        assertEquals(200, get("/live/cameras", "Cookie", cookie).statusCode());
        assertEquals(401, get("/live/cameras", "Cookie", "vitstream-api-key=" + KEY + "x").statusCode());
        assertEquals(401, post("/v1/infer", Images.encoded(32, 32, 1, "png"), "Cookie", cookie).statusCode(),
                "a cookie alone must not authorize a POST");
    }

    @Test
    void restCallersAreNeverSkippedAndBadCameraNamesAreRefused() throws Exception {
        byte[] png = Images.encoded(48, 40, 2, "png");
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> r = post("/v1/infer?camera=cam-1", png, "X-API-Key", KEY);
            assertEquals(200, r.statusCode(), r.body());
            JsonNode heads = JSON.readTree(r.body());
            assertTrue(heads.size() >= 1, r.body());
            heads.forEach(h -> assertEquals("ok", h.path("status").asText(), "stride 3 is the stream's, not the API's: " + r.body()));
        }
        HttpResponse<String> bad = post("/v1/infer?camera=cam%00x", png, "X-API-Key", KEY);
        assertEquals(400, bad.statusCode(), bad.body());
        assertEquals("bad-key", JSON.readTree(bad.body()).path("reason").asText());
        HttpResponse<String> notImage = post("/v1/infer", "<html/>".getBytes(), "X-API-Key", KEY);
        assertEquals(422, notImage.statusCode());
        assertEquals("not-an-image", JSON.readTree(notImage.body()).path("reason").asText());

        // Its own accounting: the requests count under source="http", never as stream frames.
        String metrics = get("/q/metrics", "X-API-Key", KEY).body();
        assertTrue(series(metrics, "vitstream_frames_consumed_total{source=\"http\"}") >= 4, metrics);
        assertEquals(0.0, series(metrics, "vitstream_frames_consumed_total{source=\"kafka\"}"), "no frame came from Kafka");
        assertTrue(series(metrics, "vitstream_frames_dead_lettered_total{reason=\"not-an-image\",source=\"http\"}") >= 1, metrics);
    }

    /**
     * {@code precision=auto} (the default here) reports what it measured: the chosen path and
     * every candidate in {@code /v1/model}, the same in the metrics and the log, the chosen one
     * the fastest of those within tolerance.
     */
    @Test
    void autoPrecisionReportsItsChoiceAndMeasurements() throws Exception {
        JsonNode model = JSON.readTree(get("/v1/model", "X-API-Key", KEY).body());
        JsonNode selection = model.path("selection");
        String chosen = selection.path("chosen").asText();
        assertEquals(chosen, model.path("path").asText(), model.toString());
        assertEquals(chosen.equals("bf16") ? "bf16" : "fp32", model.path("precision").asText(), "results name the precision of the chosen path");
        List<String> paths = new ArrayList<>();
        double fastest = Double.MAX_VALUE;
        double chosenMs = -1;
        for (JsonNode c : selection.path("candidates")) {
            paths.add(c.path("path").asText());
            if (c.path("withinTolerance").asBoolean()) {
                double ms = c.path("msPerImage").asDouble();
                assertTrue(ms > 0, c.toString());
                fastest = Math.min(fastest, ms);
                if (c.path("path").asText().equals(chosen)) chosenMs = ms;
            } else {
                assertTrue(c.path("msPerImage").isNull(), "a path outside the tolerances is not timed: " + c);
            }
        }
        assertTrue(paths.containsAll(List.of("fp32", "fp32-onnxruntime")), paths.toString());
        assertEquals(fastest, chosenMs, "the chosen path is the fastest within tolerance: " + selection);
        String metrics = get("/q/metrics", "X-API-Key", KEY).body();
        assertTrue(metrics.lines().anyMatch(l -> l.startsWith("vitstream_model_path_info{") && l.contains("path=\"" + chosen + "\"")
                && l.contains("setting=\"auto\"")), metrics);
        assertTrue(metrics.lines().anyMatch(l -> l.startsWith("vitstream_model_path_images_per_second{")
                && l.contains("chosen=\"true\"") && l.contains("path=\"" + chosen + "\"")), metrics);
        assertTrue(Files.readString(Path.of("target/api-service.log")).contains("precision auto chose " + chosen));
    }

    /** The value of one series of a Prometheus text page (0 when absent). */
    private static double series(String page, String series) {
        return page.lines().filter(l -> l.startsWith(series + " ")).mapToDouble(l -> Double.parseDouble(l.substring(series.length() + 1)))
                .findFirst().orElse(0);
    }

    @Test
    void bodiesOverMaxBytesAre413AndConcurrencyIsBounded() throws Exception {
        // vitstream.limits.max-bytes is 1 MiB here.
        byte[] big = Images.encodedPadded(Images.encoded(40, 40, 3, "png"), 1_500_000);
        assertEquals(413, post("/v1/infer", big, "X-API-Key", KEY).statusCode());

        byte[] png = Images.encoded(96, 96, 4, "png");
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            HttpRequest req = HttpRequest.newBuilder(root.resolve("/v1/infer")).header("Content-Type", "image/png")
                    .header("X-API-Key", KEY).POST(HttpRequest.BodyPublishers.ofByteArray(png)).build();
            calls.add(HTTP.sendAsync(req, HttpResponse.BodyHandlers.ofString()));
        }
        int ok = 0;
        for (CompletableFuture<HttpResponse<String>> c : calls) {
            HttpResponse<String> r = c.get();
            if (r.statusCode() == 429) {
                assertEquals("1", r.headers().firstValue("Retry-After").orElse(""), "429 says when to retry");
            } else {
                assertEquals(200, r.statusCode(), r.body());
                ok++;
            }
        }
        assertTrue(ok >= 1, "some of the burst is served");
    }
}
