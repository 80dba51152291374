package io.vitstream.analytics;

import static io.vitstream.analytics.LineSpecTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CameraConfigTest {

    private static final String PREFIX = "vitstream.analytics.cameras.cam-1.";
    private static final LineSpec DOOR = new LineSpec("door", new Point(0, 100), new Point(200, 100));
    private static final ZoneSpec TILL =
            new ZoneSpec("till", List.of(new Point(10, 10), new Point(50, 10), new Point(50, 40)));

    @Test
    void fromSettingsSortsByName() {
        CameraConfig config = CameraConfig.fromSettings(PREFIX, Map.of(
                "lines.door", "0,100,200,100",
                "lines.aisle", "5,0,5,50",
                "zones.till", "10,10, 50,10, 50,40"));
        assertEquals(List.of("aisle", "door"), config.lines().stream().map(LineSpec::name).toList());
        assertEquals(DOOR, config.lines().get(1));
        assertEquals(List.of(TILL), config.zones());
    }

    @Test
    void fromSettingsNamesTheFullSettingOfABadValueOrKey() {
        assertMessage(() -> CameraConfig.fromSettings(PREFIX, Map.of("lines.door", "0,100,200")),
                PREFIX + "lines.door: expected 4 numbers x1,y1,x2,y2, got 3");
        assertMessage(() -> CameraConfig.fromSettings(PREFIX, Map.of("zones.till", "1,2,3,4,5,x")),
                PREFIX + "zones.till: value 6 'x' is not a number (in '1,2,3,4,5,x')");
        assertMessage(() -> CameraConfig.fromSettings(PREFIX, Map.of("line.door", "0,0,1,1")),
                "unknown setting '" + PREFIX + "line.door' (expected " + PREFIX + "lines.<name> or "
                        + PREFIX + "zones.<name>)");
        assertMessage(() -> CameraConfig.fromSettings(PREFIX, Map.of("lines.", "0,0,1,1")),
                PREFIX + "lines.: the name is missing or blank ('')");
    }

    @Test
    void camerasFromSettingsSplitsByCamera() {
        String prefix = "vitstream.analytics.cameras.";
        Map<String, CameraConfig> cameras = CameraConfig.camerasFromSettings(prefix, Map.of(
                "cam-1.lines.door", "0,100,200,100",
                "cam-1.zones.till", "10,10, 50,10, 50,40",
                "lobby.east.zones.till", "10,10, 50,10, 50,40"));
        assertEquals(List.of("cam-1", "lobby.east"), List.copyOf(cameras.keySet()));
        assertEquals(new CameraConfig(List.of(DOOR), List.of(TILL)), cameras.get("cam-1"));
        assertEquals(new CameraConfig(List.of(), List.of(TILL)), cameras.get("lobby.east"));
        assertMessage(() -> CameraConfig.camerasFromSettings(prefix, Map.of("cam-1.lines.door", "0,0,0,0")),
                prefix + "cam-1.lines.door: both ends are the same point (0.0, 0.0), so the line has no direction");
        assertMessage(() -> CameraConfig.camerasFromSettings(prefix, Map.of("cam-1.anchor", "center")),
                "unknown setting '" + prefix + "cam-1.anchor' (expected " + prefix + "<camera>.lines.<name> or "
                        + prefix + "<camera>.zones.<name>)");
    }

    @Test
    void jsonRoundTrip() {
        CameraConfig config = new CameraConfig(List.of(DOOR), List.of(TILL));
        assertEquals("{\"lines\":{\"door\":[0.0,100.0,200.0,100.0]},"
                + "\"zones\":{\"till\":[10.0,10.0,50.0,10.0,50.0,40.0]}}", config.toJson());
        assertEquals(config, CameraConfig.fromJson(config.toJson()));
        assertEquals(CameraConfig.EMPTY, CameraConfig.fromJson("{}"));
        assertEquals(new CameraConfig(List.of(), List.of(TILL)),
                CameraConfig.fromJson("{\"zones\": {\"till\": [10, 10, 50, 10, 50, 40]}}"));
        // Doubles come back bit for bit.
        LineSpec odd = new LineSpec("odd", new Point(0.1 + 0.2, 1.0 / 3), new Point(Math.PI, 1e-300));
        CameraConfig precise = new CameraConfig(List.of(odd), List.of());
        assertEquals(precise, CameraConfig.fromJson(precise.toJson()));
    }

    @Test
    void jsonErrorsGiveTheReason() {
        // Jackson's own words follow the prefix.
        IllegalArgumentException notJson =
                assertThrows(IllegalArgumentException.class, () -> CameraConfig.fromJson("{\"lines\": "));
        assertTrue(notJson.getMessage().startsWith("camera config could not be read as JSON: Unexpected end-of-input"),
                notJson.getMessage());
        assertMessage(() -> CameraConfig.fromJson("[1, 2]"),
                "camera config must be a JSON object like {\"lines\": {...}, \"zones\": {...}}, got ARRAY");
        assertMessage(() -> CameraConfig.fromJson("{\"line\": {}}"),
                "camera config: unknown member 'line' (expected lines, zones)");
        assertMessage(() -> CameraConfig.fromJson("{\"lines\": [0, 0, 1, 1]}"),
                "camera config: 'lines' must be an object of name: [numbers], got ARRAY");
        assertMessage(() -> CameraConfig.fromJson("{\"lines\": {\"door\": [0, 0, 1]}}"),
                "line 'door': expected 4 numbers x1,y1,x2,y2, got 3");
        assertMessage(() -> CameraConfig.fromJson("{\"lines\": {\"door\": \"0,0,1,1\"}}"),
                "line 'door': expected an array of numbers, got STRING");
        assertMessage(() -> CameraConfig.fromJson("{\"lines\": {\"door\": [0, \"0\", 1, 1]}}"),
                "line 'door': value 2 is not a number (\"0\")");
        assertMessage(() -> CameraConfig.fromJson("{\"zones\": {\"till\": [0, 0, 1e999, 0, 1, 1]}}"),
                "zone 'till': value 3 is not finite (Infinity)");
        assertMessage(() -> CameraConfig.fromJson("{\"zones\": {\"till\": [0, 0, 10, 10, 10, 0, 0, 10]}}"),
                "zone 'till': the polygon crosses itself: edge 1 (0.0, 0.0)-(10.0, 10.0)"
                        + " and edge 3 (10.0, 0.0)-(0.0, 10.0) meet");
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> CameraConfig.fromJson("{\"lines\": {\"door\": [0, 0, 1, 1], \"door\": [0, 0, 2, 2]}}"));
        assertEquals("camera config could not be read as JSON: Duplicate field 'door'", twice.getMessage());
    }

    @Test
    void duplicateNamesAreRefused() {
        assertMessage(() -> new CameraConfig(List.of(DOOR, DOOR), List.of()),
                "camera config: two lines named 'door'");
        assertMessage(() -> new CameraConfig(List.of(), List.of(TILL, TILL)),
                "camera config: two zones named 'till'");
        assertEquals(CameraConfig.EMPTY, new CameraConfig(null, null));
    }

    @Test
    void anchorPointsAndParsing() {
        assertEquals(new Point(15, 40), Anchor.BOTTOM_CENTER.of(10, 20, 20, 40));
        assertEquals(new Point(15, 30), Anchor.CENTER.of(10, 20, 20, 40));
        assertEquals(new Point(15, 20), Anchor.TOP_CENTER.of(10, 20, 20, 40));
        assertEquals(Anchor.BOTTOM_CENTER, Anchor.parse("s", "bottom-center"));
        assertEquals(Anchor.TOP_CENTER, Anchor.parse("s", " Top_Center "));
        assertEquals(Anchor.CENTER, Anchor.parse("s", "CENTER"));
        assertEquals("bottom-center", Anchor.BOTTOM_CENTER.wire());
        assertMessage(() -> Anchor.parse("vitstream.analytics.anchor", "feet"),
                "vitstream.analytics.anchor: unknown anchor 'feet' (expected bottom-center, center or top-center)");
        assertMessage(() -> Anchor.parse("vitstream.analytics.anchor", null),
                "vitstream.analytics.anchor: unknown anchor 'null' (expected bottom-center, center or top-center)");
    }
}
