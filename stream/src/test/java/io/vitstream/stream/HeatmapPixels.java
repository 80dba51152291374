package io.vitstream.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;

import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The detail view's heat map canvas read back: the map must change the frame's pixels inside its region. */
final class HeatmapPixels {

    /**
     * Reads the heat canvas at points inside the region at the page's opacity, then with the
     * opacity slider at 0 (the explained frame alone), then puts the slider back; one script, so
     * nothing else is drawn in between.
     */
    private static final String READ = """
            const canvas = document.getElementById('heat-canvas');
            const ctx = canvas.getContext('2d', {willReadFrequently: true});
            const slider = document.getElementById('opacity');
            const read = () => arguments[0].map(([x, y]) => Array.from(ctx.getImageData(x, y, 1, 1).data.slice(0, 3)));
            const shown = read();
            const opacity = slider.value;
            slider.value = '0';
            slider.dispatchEvent(new Event('input'));
            const bare = read();
            slider.value = opacity;
            slider.dispatchEvent(new Event('input'));
            return {shown, bare};""";

    private HeatmapPixels() {}

    /** At least 80% of a 16 x 9 lattice of points in the region change by more than 12 in some channel. */
    @SuppressWarnings("unchecked")
    static void assertHeatmapChangesTheFrame(WebDriver browser, JsonNode explain) {
        JavascriptExecutor js = (JavascriptExecutor) browser;
        Map<String, Object> shown = (Map<String, Object>) js.executeScript(
                "const h = window.vitstreamLive.heatmap; const c = document.getElementById('heat-canvas');"
                        + " return {w: c.width, h: c.height, offset: h.offset, frameOffset: h.frameOffset, same: h.sameFrame};");
        assertEquals(Boolean.TRUE, shown.get("same"), "the heat map is not drawn over the explained frame: " + shown);
        double scale = ((Number) shown.get("w")).doubleValue() / explain.path("image").path("width").asDouble();
        JsonNode r = explain.path("region");
        List<List<Long>> points = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            for (int j = 0; j < 9; j++) {
                long x = Math.round((r.path("x").asDouble() + r.path("width").asDouble() * (i + 0.5) / 16) * scale);
                long y = Math.round((r.path("y").asDouble() + r.path("height").asDouble() * (j + 0.5) / 9) * scale);
                points.add(List.of(x, y));
            }
        }
        Map<String, List<List<Long>>> px = (Map<String, List<List<Long>>>) js.executeScript(READ, points);
        int changed = 0;
        for (int k = 0; k < points.size(); k++) {
            long diff = 0;
            for (int c = 0; c < 3; c++) {
                diff = Math.max(diff, Math.abs(px.get("shown").get(k).get(c) - px.get("bare").get(k).get(c)));
            }
            changed += diff > 12 ? 1 : 0;
        }
        assertTrue(changed >= 0.8 * points.size(), changed + " of " + points.size() + " points in the region changed with the heat map");
    }
}
