package io.vitstream.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.logging.Level;

/**
 * The live view ({@code docs/live.md}) in headless Chromium against the packaged service with its
 * demo source (3 cameras at 1 frame/s each): tiles, boxes drawn where the server's detections are
 * (from the page's state and from canvas pixels), keyboard navigation, the detail view's heat map,
 * text contrast, an unknown camera, the banner once the service is gone and the page by itself
 * again once it is back (restarted on the same port). Screenshots go to
 * {@code target/live-view/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LiveViewIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final List<String> CAMERAS = List.of("cam-1", "cam-2", "cam-3");
    private static final Path OUT = ServiceProcess.moduleDir().resolve("target/live-view");

    private static Map<String, String> settings;
    private static ServiceProcess service;
    private static ChromeDriver browser;
    private static URI root;
    private static String bootstrap;

    @BeforeAll
    static void start() throws Exception {
        if (HeadlessChrome.missing().isPresent()) {
            return; // every test then skips (or fails, VITSTREAM_REQUIRE_BROWSER=1) in requireBrowser, naming what is missing
        }
        Files.createDirectories(OUT);
        // A fixed port, so the page can find the service again after the restart in the last test.
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        // The broker's port is known too: one test sends frames of a camera of its own.
        int kafkaPort;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            kafkaPort = free.getLocalPort();
        }
        bootstrap = "127.0.0.1:" + kafkaPort;
        settings = Map.of("vitstream.kafka.embedded.data-dir", "target/live-kafka",
                "vitstream.kafka.embedded.port", Integer.toString(kafkaPort), "vitstream.kafka.embedded.wipe", "true",
                "vitstream.model.precision", "fp32", "vitstream.demo.fps", "3",
                // The demo cameras send a frame a second; a camera silent for 8 s has stopped.
                "vitstream.live.stale-after", "8s",
                "quarkus.http.host", "127.0.0.1", "quarkus.http.port", Integer.toString(port));
        service = ServiceProcess.start(settings, ServiceProcess.freshLog("live-view"));
        service.awaitStarted(180);
        root = service.uri("/");
        browser = HeadlessChrome.start(OUT.resolve("profile"), 1280, 900);
        browser.get(root.toString());
    }

    /** Per test rather than in start(), so the reason shows on each skipped test in the report. */
    @BeforeEach
    void requireBrowser() {
        HeadlessChrome.assumeInstalled();
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (service != null) {
            service.close();
        }
    }

    @Test
    @Order(1)
    void everyDemoCameraGetsATileWithTheServersBoxesDrawn() throws Exception {
        await(Duration.ofSeconds(90), "tiles for " + CAMERAS, () -> CAMERAS.stream()
                .allMatch(c -> !browser.findElements(By.cssSelector(".tile[data-camera='" + c + "'] canvas")).isEmpty()));
        int boxesChecked = 0;
        for (String camera : CAMERAS) {
            boxesChecked += new BoxCheck(browser, root, camera).run(Duration.ofSeconds(90));
        }
        assertTrue(boxesChecked > 0, "no camera had a detection to check within 90 s");
        assertTrue(number("return window.vitstreamLive.firstFrameMs") > 0, "firstFrameMs is not set");
        screenshot("grid.png");
        assertNoConsoleErrors(m -> false);
    }

    @Test
    @Order(2)
    void keyboardOpensAndClosesTheDetailView() throws Exception {
        showGrid();
        js("document.activeElement && document.activeElement.blur(); window.focus();");
        String focused = null;
        for (int i = 0; i < 10 && focused == null; i++) {
            new Actions(browser).sendKeys(Keys.TAB).perform();
            focused = (String) js("const e = document.activeElement; return e && e.classList.contains('tile') ? e.dataset.camera : null;");
        }
        assertTrue(focused != null, "Tab never reached a camera tile");
        new Actions(browser).sendKeys(Keys.ENTER).perform();
        String camera = focused;
        await(Duration.ofSeconds(10), "detail view of " + camera + " after Enter",
                () -> browser.findElement(By.id("detail")).isDisplayed() && !browser.findElement(By.id("grid")).isDisplayed());
        assertEquals("#camera=" + camera, js("return location.hash"));
        assertEquals(camera, browser.findElement(By.id("detail-title")).getText());
        new Actions(browser).sendKeys(Keys.ESCAPE).perform();
        await(Duration.ofSeconds(10), "grid after Escape", () -> browser.findElement(By.id("grid")).isDisplayed());
        assertEquals(camera, js("return document.activeElement.dataset.camera"), "focus did not go back to the tile");
    }

    @Test
    @Order(3)
    void theDetailViewShowsTheHeatmapOverTheExplainedFrame() throws Exception {
        showGrid();
        browser.findElement(By.cssSelector(".tile[data-camera='cam-1']")).click();
        await(Duration.ofSeconds(60), "a heat map of cam-1", () -> number(
                "const h = window.vitstreamLive.heatmap; return h && h.camera === 'cam-1' ? h.cells : 0") > 0);
        HttpResponse<String> answer = get("/v1/explain?camera=cam-1");
        for (int i = 0; i < 20 && answer.statusCode() == 429; i++) {
            Thread.sleep(500);
            answer = get("/v1/explain?camera=cam-1");
        }
        assertEquals(200, answer.statusCode(), answer.body());
        JsonNode explain = JSON.readTree(answer.body());
        int cells = explain.path("grid").path("height").asInt() * explain.path("grid").path("width").asInt();
        assertEquals(cells, (int) number("return window.vitstreamLive.heatmap.cells"), "cells drawn vs the server's grid");
        HeatmapPixels.assertHeatmapChangesTheFrame(browser, explain);
        int layers = explain.path("layers").asInt();
        assertEquals(layers + 1, browser.findElements(By.cssSelector("#layer option")).size(), "'all' and layers 1.." + layers);
        js("const s = document.getElementById('layer'); s.value = '1'; s.dispatchEvent(new Event('change'));");
        await(Duration.ofSeconds(30), "the heat map of layer 1", () -> number(
                "const h = window.vitstreamLive.heatmap; return h && h.layer === 1 ? h.cells : 0") == cells);
        js("const s = document.getElementById('layer'); s.value = ''; s.dispatchEvent(new Event('change'));");
        await(Duration.ofSeconds(30), "the heat map of all layers again", () -> number(
                "const h = window.vitstreamLive.heatmap; return h && h.layer === " + layers + " ? h.cells : 0") == cells);
        JsonNode summary = JSON.readTree(get("/live/cameras/cam-1").body());
        int top = Math.min(5, summary.path("top").size());
        await(Duration.ofSeconds(10), top + " classes in the top list",
                () -> browser.findElements(By.cssSelector("#top li")).size() == top);
        await(Duration.ofSeconds(10), "the events list", () -> !browser.findElements(By.cssSelector("#events li")).isEmpty());
        screenshot("detail.png");
        Contrast.assertReadable(browser, "#detail-title", "#detail-stats", "#back", ".panel h3", "#top .name", "#top .score",
                "#events li", "#heat-status", "label[for=layer]");
        assertNoConsoleErrors(m -> false);
    }

    /**
     * heatmap.js's interpolation and colour map on a 2 x 2 map [[0, 1], [2, 3]] whose cell centres
     * are at u, v = 0.25 and 0.75: the values there, halfway between them, and clamped beyond.
     */
    @Test
    @Order(3)
    @SuppressWarnings("unchecked")
    void theHeatmapIsInterpolatedBetweenCellCentres() {
        Map<String, Object> r = (Map<String, Object>) browser.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                import('/heatmap.js').then((m) => {
                  const map = [[0, 1], [2, 3]];
                  const at = (u, v) => m.bilinear(map, u, v);
                  done({centres: [at(0.25, 0.25), at(0.75, 0.25), at(0.25, 0.75), at(0.75, 0.75)],
                        between: [at(0.5, 0.25), at(0.25, 0.5), at(0.5, 0.5)],
                        clamped: [at(0, 0), at(1, 1), at(1, 0.25)],
                        colours: [m.colourOf(0), m.colourOf(1), m.colourOf(-1), m.colourOf(2)]});
                }, (e) => done({error: String(e)}));""");
        assertEquals(null, r.get("error"));
        assertEquals(List.of(0.0, 1.0, 2.0, 3.0), doubles(r.get("centres")));
        assertEquals(List.of(0.5, 1.0, 1.5), doubles(r.get("between")));
        assertEquals(List.of(0.0, 3.0, 1.0), doubles(r.get("clamped")));
        assertEquals(List.of(List.of(0L, 0L, 4L), List.of(252L, 255L, 164L), List.of(0L, 0L, 4L), List.of(252L, 255L, 164L)),
                r.get("colours"), "colour map ends, clamped outside [0, 1]");
    }

    @SuppressWarnings("unchecked")
    private static List<Double> doubles(Object numbers) {
        return ((List<Number>) numbers).stream().map(Number::doubleValue).toList();
    }

    @Test
    @Order(4)
    void theGridsTextIsReadable() throws Exception {
        showGrid();
        Contrast.assertReadable(browser, "h1", "#summary", ".caption strong", ".caption .stats");
    }

    @Test
    @Order(5)
    void anUnknownCameraIsA404WithItsMessageOnThePage() throws Exception {
        HttpResponse<String> frame = get("/live/cameras/nope/frame.jpg");
        assertEquals(404, frame.statusCode());
        assertTrue(frame.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), frame.headers().toString());
        String error = JSON.readTree(frame.body()).path("error").asText();
        assertTrue(error.contains("nope"), error);
        browser.get(root.resolve("/#camera=nope").toString());
        String expected = JSON.readTree(get("/live/cameras/nope").body()).path("error").asText();
        await(Duration.ofSeconds(15), "the server's 404 message on the page", () -> {
            WebElement e = browser.findElement(By.id("detail-error"));
            return e.isDisplayed() && e.getText().contains("no camera 'nope'");
        });
        assertEquals(expected, browser.findElement(By.id("detail-error")).getText());
        Contrast.assertReadable(browser, "#detail-error");
        // The page's own requests for the unknown camera are the only errors allowed here.
        assertNoConsoleErrors(m -> m.contains("nope"));
        showGrid();
    }

    /**
     * A camera that sent two frames and stopped: its tile appears with its frame, then says it
     * has had no frames for that long, from the server's {@code stale} and {@code age_ms}.
     */
    @Test
    @Order(6)
    void aCameraThatStopsSendingIsShownAsStopped() throws Exception {
        showGrid();
        String camera = "cam-stops";
        try (KafkaProducer<String, byte[]> producer = KafkaClients.producer(bootstrap)) {
            for (int i = 0; i < 2; i++) {
                producer.send(KafkaClients.frame("frames", camera, i, Images.encoded(640, 360, 40 + i, "jpg"))).get();
            }
        }
        await(Duration.ofSeconds(60), "a tile for " + camera + " with its frame drawn", () ->
                number("const d = window.vitstreamLive.drawn['" + camera + "']; return d ? d.version : 0") >= 1);
        By overlay = By.cssSelector(".tile[data-camera='" + camera + "'] .stale");
        assertTrue(!browser.findElement(overlay).isDisplayed(), "a camera that just sent is not shown as stopped");
        await(Duration.ofSeconds(40), "the tile of " + camera + " saying it has no frames", () ->
                browser.findElement(overlay).isDisplayed());
        String text = browser.findElement(overlay).getText();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("No frames for (\\d+) s").matcher(text);
        assertTrue(m.matches(), text);
        assertTrue(Integer.parseInt(m.group(1)) >= 8, "shown as stopped before stale-after: " + text);
        JsonNode summary = JSON.readTree(get("/live/cameras/" + camera).body());
        assertTrue(summary.path("stale").asBoolean(), summary.toString());
        assertTrue(summary.path("age_ms").asLong() >= 8000, summary.toString());
        // The demo cameras keep sending: none of them is shown as stopped.
        for (String c : CAMERAS) {
            assertTrue(!browser.findElement(By.cssSelector(".tile[data-camera='" + c + "'] .stale")).isDisplayed(),
                    c + " shown as stopped");
        }
        Contrast.assertReadable(browser, ".tile[data-camera='" + camera + "'] .stale");
    }

    @Test
    @Order(7)
    void aBannerSaysWhenTheServiceIsGoneAndThePageRecoversWhenItIsBack() throws Exception {
        showGrid();
        assertEquals("up", js("return window.vitstreamLive.connection"));
        assertTrue(!browser.findElement(By.id("banner")).isDisplayed(), "banner shown while the service runs");
        service.crash();
        await(Duration.ofSeconds(15), "the unreachable banner", () -> {
            WebElement b = browser.findElement(By.id("banner"));
            return b.isDisplayed() && b.getText().contains("unreachable");
        });
        assertEquals("status", browser.findElement(By.id("banner")).getAttribute("role"));
        Contrast.assertReadable(browser, "#banner");
        screenshot("service-down.png");

        double restartedAt = number("return performance.now()");
        service = ServiceProcess.start(settings, ServiceProcess.freshLog("live-view-restarted"));
        service.awaitStarted(180);
        await(Duration.ofSeconds(90), "the page back with new frames after the restart", () ->
                !browser.findElement(By.id("banner")).isDisplayed() && "up".equals(js("return window.vitstreamLive.connection"))
                        && number("const d = window.vitstreamLive.drawn['cam-1']; return d ? d.drawnAt : 0") > restartedAt);
    }

    /** Back to the grid (Back button when a detail view is open), console messages so far dropped. */
    private static void showGrid() throws Exception {
        if (browser.findElement(By.id("detail")).isDisplayed()) {
            browser.findElement(By.id("back")).click();
        }
        await(Duration.ofSeconds(10), "the grid", () -> browser.findElement(By.id("grid")).isDisplayed());
        browser.manage().logs().get(LogType.BROWSER);
    }

    private static void assertNoConsoleErrors(Predicate<String> expected) {
        List<String> severe = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).map(LogEntry::getMessage)
                .filter(expected.negate()).toList();
        assertTrue(severe.isEmpty(), "browser console errors: " + severe);
    }

    private static void screenshot(String name) throws Exception {
        Files.write(OUT.resolve(name), browser.getScreenshotAs(OutputType.BYTES));
    }

    static Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    static double number(String script) {
        Object o = js(script);
        return o instanceof Number n ? n.doubleValue() : 0;
    }

    static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(root.resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static void await(Duration timeout, String what, Check check) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!check.ok()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + what + " within " + timeout.toSeconds() + " s; service log tail:\n" + service.tail());
            }
            Thread.sleep(100);
        }
    }

    @FunctionalInterface
    interface Check {
        boolean ok() throws Exception;
    }
}
