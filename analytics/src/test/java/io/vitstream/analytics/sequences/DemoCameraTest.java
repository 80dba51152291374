package io.vitstream.analytics.sequences;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vitstream.analytics.CameraConfig;
import io.vitstream.analytics.LineSpec;
import io.vitstream.analytics.Point;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

class DemoCameraTest {

    @Test
    void at1280x720TheLineAndZoneAreTheDocumentedWholePixels() {
        CameraConfig c = DemoCamera.config(1280, 720);
        assertEquals(CameraConfig.fromJson("{\"lines\": {\"middle\": [640, 720, 640, 0]},"
                + " \"zones\": {\"centre\": [256, 252, 1024, 252, 1024, 684, 256, 684]}}"), c);
    }

    @Test
    void movingRightAcrossTheMiddleIsInAndTheZoneStaysOffTheEdges() {
        CameraConfig c = DemoCamera.config(1280, 720);
        LineSpec middle = c.lines().get(0);
        assertEquals(Optional.of(LineSpec.Direction.IN), middle.crossing(new Point(600, 400), new Point(700, 400)));
        assertEquals(Optional.of(LineSpec.Direction.OUT), middle.crossing(new Point(700, 400), new Point(600, 400)));
        for (Point edge : List.of(new Point(0, 500), new Point(1280, 500), new Point(640, 0), new Point(640, 720))) {
            assertFalse(c.zones().get(0).contains(edge), edge.toString());
        }
        assertTrue(c.zones().get(0).contains(new Point(640, 500)));
    }
}
