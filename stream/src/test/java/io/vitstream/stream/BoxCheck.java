package io.vitstream.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

/**
 * One camera's boxes on its tile against the server: takes the server's newest summary and frame
 * (same version), waits for the page to show that version, then checks the page's box count and
 * reads the tile's canvas at the midpoints of each box's edges, which this class places itself
 * from the server's box and the canvas's size: there the pixel must have the class's colour
 * ({@link #PALETTE}, docs/live.md) where the frame itself has a clearly different colour.
 */
final class BoxCheck {

    /** The page's box colour of class {@code label_id mod 10}, as docs/live.md specifies it. */
    static final int[] PALETTE = {0xff3b30, 0x34c759, 0x0a84ff, 0xffd60a, 0xbf5af2, 0xff9f0a, 0x64d2ff, 0xff375f, 0x5e5ce6, 0xa2f000};
    /** A canvas pixel this close (largest channel difference) to the class colour is the box. */
    private static final int MATCH = 48;
    /** A point is only evidence where the frame there is at least this far from the class colour. */
    private static final int DISTINCT = 96;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SHOWN = """
            const d = window.vitstreamLive.drawn[arguments[0]];
            const c = document.querySelector(`.tile[data-camera="${arguments[0]}"] canvas`);
            return d && c && d.version === arguments[1] && d.overlayVersion === arguments[1] ? [c.width, c.height] : null;""";
    private static final String READ = """
            const d = window.vitstreamLive.drawn[arguments[0]];
            if (!d || d.version !== arguments[1]) return null;
            const ctx = document.querySelector(`.tile[data-camera="${arguments[0]}"] canvas`).getContext('2d');
            return {boxes: d.boxes, pixels: arguments[2].map(([x, y]) => Array.from(ctx.getImageData(x - 1, y - 1, 3, 3).data))};""";

    private final JavascriptExecutor js;
    private final URI root;
    private final String camera;
    private final HttpClient http = HttpClient.newHttpClient();

    BoxCheck(WebDriver browser, URI root, String camera) {
        this.js = (JavascriptExecutor) browser;
        this.root = root;
        this.camera = camera;
    }

    /** Checks the first version the page shows that has detections; the number of boxes checked. */
    @SuppressWarnings("unchecked")
    int run(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode summary = JSON.readTree(http.send(request("/live/cameras/" + camera), HttpResponse.BodyHandlers.ofString()).body());
            long version = summary.path("version").asLong();
            JsonNode detections = summary.path("detections");
            HttpResponse<byte[]> jpeg = http.send(request("/live/cameras/" + camera + "/frame.jpg"), HttpResponse.BodyHandlers.ofByteArray());
            if (detections.isEmpty() || !jpeg.headers().firstValue("X-Vitstream-Version").orElse("").equals(Long.toString(version))) {
                Thread.sleep(200);
                continue;
            }
            BufferedImage frame = ImageIO.read(new ByteArrayInputStream(jpeg.body()));
            List<Long> size = awaitShown(version);
            if (size == null) {
                continue;
            }
            double sx = size.get(0) / (double) frame.getWidth();
            double sy = size.get(1) / (double) frame.getHeight();
            assertTrue(Math.abs(sx - sy) * frame.getHeight() < 2, "the tile's canvas " + size + " does not keep the frame's aspect ratio");
            List<Point> points = points(detections, frame, size);
            Map<String, Object> read = (Map<String, Object>) js.executeScript(READ, camera, version,
                    points.stream().map(p -> List.of(p.cx, p.cy)).toList());
            if (read == null) {
                continue;
            }
            assertEquals(detections.size(), ((Number) read.get("boxes")).intValue(),
                    camera + " version " + version + ": boxes drawn vs the server's detections " + detections);
            if (assertColours(points, (List<List<Long>>) read.get("pixels"), version)) {
                return detections.size();
            }
        }
        return 0;
    }

    private HttpRequest request(String path) {
        return HttpRequest.newBuilder(root.resolve(path)).build();
    }

    /** The canvas size once the page shows {@code version} with its own overlays; null if it skipped it. */
    @SuppressWarnings("unchecked")
    private List<Long> awaitShown(long version) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(4).toNanos();
        while (System.nanoTime() < deadline) {
            Object size = js.executeScript(SHOWN, camera, version);
            if (size != null) {
                return (List<Long>) size;
            }
            Thread.sleep(30);
        }
        return null;
    }

    /** A place on a box edge: in canvas pixels, the class colour, and the frame's colour there. */
    private record Point(long cx, long cy, int colour, int frameColour) {}

    /** Midpoints of the four edges of every detection, mapped to the canvas. */
    private static List<Point> points(JsonNode detections, BufferedImage frame, List<Long> size) {
        List<Point> out = new ArrayList<>();
        for (JsonNode d : detections) {
            JsonNode b = d.path("box");
            double x1 = b.path("x1").asDouble(), y1 = b.path("y1").asDouble(), x2 = b.path("x2").asDouble(), y2 = b.path("y2").asDouble();
            int colour = PALETTE[Math.floorMod(d.path("label_id").asInt(), PALETTE.length)];
            double[][] edges = {{x1, (y1 + y2) / 2}, {x2, (y1 + y2) / 2}, {(x1 + x2) / 2, y1}, {(x1 + x2) / 2, y2}};
            for (double[] e : edges) {
                long cx = Math.max(1, Math.min(size.get(0) - 2, Math.round(e[0] * size.get(0) / frame.getWidth())));
                long cy = Math.max(1, Math.min(size.get(1) - 2, Math.round(e[1] * size.get(1) / frame.getHeight())));
                int fx = (int) Math.max(0, Math.min(frame.getWidth() - 1, Math.round(e[0])));
                int fy = (int) Math.max(0, Math.min(frame.getHeight() - 1, Math.round(e[1])));
                out.add(new Point(cx, cy, colour, frame.getRGB(fx, fy) & 0xffffff));
            }
        }
        return out;
    }

    /**
     * At least 2, and 60%, of the points where the frame differs from the class colour show that
     * colour; false (nothing asserted) when fewer than 2 points tell the box from the frame.
     */
    private boolean assertColours(List<Point> points, List<List<Long>> pixels, long version) {
        int evidence = 0;
        int matched = 0;
        List<String> misses = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            Point p = points.get(i);
            if (distance(p.frameColour, p.colour) < DISTINCT) {
                continue;
            }
            evidence++;
            List<Long> px = pixels.get(i);
            int best = Integer.MAX_VALUE;
            for (int k = 0; k < 9; k++) {
                int rgb = (int) (px.get(4 * k) << 16 | px.get(4 * k + 1) << 8 | px.get(4 * k + 2));
                best = Math.min(best, distance(rgb, p.colour));
            }
            if (best <= MATCH) {
                matched++;
            } else {
                misses.add(String.format("(%d, %d) want #%06x, frame #%06x, nearest off by %d", p.cx, p.cy, p.colour, p.frameColour, best));
            }
        }
        if (evidence < 2) {
            return false;
        }
        assertTrue(matched >= 2 && matched >= 0.6 * evidence,
                camera + " version " + version + ": " + matched + " of " + evidence + " box-edge points have the box colour; misses " + misses);
        return true;
    }

    /** Largest channel difference of two 0xRRGGBB colours. */
    static int distance(int a, int b) {
        int d = 0;
        for (int shift = 0; shift <= 16; shift += 8) {
            d = Math.max(d, Math.abs((a >> shift & 0xff) - (b >> shift & 0xff)));
        }
        return d;
    }
}
