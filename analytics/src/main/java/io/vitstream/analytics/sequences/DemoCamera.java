package io.vitstream.analytics.sequences;

import io.vitstream.analytics.CameraConfig;
import io.vitstream.analytics.LineSpec;
import io.vitstream.analytics.Point;
import io.vitstream.analytics.ZoneSpec;

import java.util.List;

/**
 * Lines and zones that suit generated sequences (and the demo's cameras showing them), scaled to
 * the frame: a counting line down the middle, drawn bottom to top so that moving right is
 * {@code in}; a zone around the centre that never reaches the frame's edges (an item leaving the
 * frame from inside a zone is noticed only when its track is dropped).
 */
public final class DemoCamera {

    private DemoCamera() {}

    /**
     * {@code {"lines": {"middle": [W/2, H, W/2, 0]}, "zones": {"centre": the rectangle from
     * (0.2 W, 0.35 H) to (0.8 W, 0.95 H)}}}; for 1280x720: middle [640, 720, 640, 0], centre
     * [256, 252, 1024, 252, 1024, 684, 256, 684]. The zone sits low because the anchor is the
     * bottom of an item's box; it is large so that slow items stay in it for a 10 s dwell (on 20
     * default sequences: 110 crossings, 119 zone entries, 19 dwells).
     */
    public static CameraConfig config(int width, int height) {
        double w = width;
        double h = height;
        LineSpec middle = new LineSpec("middle", new Point(w / 2, h), new Point(w / 2, 0));
        // Percentages multiplied first, so 1280x720 gives whole pixels.
        ZoneSpec centre = new ZoneSpec("centre", List.of(new Point(w * 20 / 100, h * 35 / 100), new Point(w * 80 / 100, h * 35 / 100),
                new Point(w * 80 / 100, h * 95 / 100), new Point(w * 20 / 100, h * 95 / 100)));
        return new CameraConfig(List.of(middle), List.of(centre));
    }
}
