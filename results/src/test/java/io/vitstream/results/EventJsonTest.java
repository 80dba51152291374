package io.vitstream.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** The events topic's message: JSON names as documented, round trip, and the schema's rules per type. */
class EventJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final FrameResult.FrameRef FRAME = new FrameResult.FrameRef("frames", 2, 4411, 17L, 1795300000123L, 1280, 720);

    static Event lineCross() {
        return new Event(Event.SCHEMA, "line-cross", "cam-1", 7, "Bag", 8, "door", null, "in", null, FRAME,
                Map.of("Bag", Map.of("in", 3L, "out", 1L)), 1795300000181L);
    }

    static Event dwell() {
        return new Event(Event.SCHEMA, "dwell", "cam-1", 7, "Bag", 8, null, "till", null, 10_250L, FRAME,
                Map.of("Bag", Map.of("enter", 2L, "exit", 1L, "dwell", 1L)), 1795300000181L);
    }

    @Test
    void lineCrossHasTheDocumentedFieldsAndMatchesTheSchema() throws IOException {
        JsonNode json = JSON.readTree(ResultsJson.write(lineCross()));
        assertEquals("vitstream.event.v1", json.get("schema").asText());
        assertEquals(7, json.get("track_id").asLong());
        assertEquals(8, json.get("label_id").asInt());
        assertEquals("in", json.get("direction").asText());
        assertEquals(4411, json.at("/frame/offset").asLong());
        assertEquals(3, json.at("/counts/Bag/in").asLong());
        assertFalse(json.has("zone"), "absent, not null: " + json);
        assertFalse(json.has("dwell_ms"));
        assertTrue(Schemas.load("event.schema.json").validate(json).isEmpty(), Schemas.load("event.schema.json").validate(json).toString());
        assertEquals(lineCross().toString(), ResultsJson.readEvent(ResultsJson.write(lineCross())).toString());
    }

    @Test
    void dwellRoundTripsAndMatchesTheSchema() throws IOException {
        JsonNode json = JSON.readTree(ResultsJson.write(dwell()));
        assertEquals(10250, json.get("dwell_ms").asLong());
        assertTrue(Schemas.load("event.schema.json").validate(json).isEmpty());
        assertEquals(dwell().toString(), ResultsJson.readEvent(ResultsJson.write(dwell())).toString());
    }

    @Test
    void schemaRefusesWhatTheTypesRuleOut() throws IOException {
        ObjectNode noDirection = (ObjectNode) JSON.readTree(ResultsJson.write(lineCross()));
        noDirection.remove("direction");
        assertFalse(Schemas.load("event.schema.json").validate(noDirection).isEmpty(), "a line crossing needs its direction");
        ObjectNode zoneWithLine = (ObjectNode) JSON.readTree(ResultsJson.write(dwell()));
        zoneWithLine.put("line", "door");
        assertFalse(Schemas.load("event.schema.json").validate(zoneWithLine).isEmpty(), "a zone event names no line");
        ObjectNode dwellWithout = (ObjectNode) JSON.readTree(ResultsJson.write(dwell()));
        dwellWithout.remove("dwell_ms");
        assertFalse(Schemas.load("event.schema.json").validate(dwellWithout).isEmpty(), "dwell needs dwell_ms");
        ObjectNode unknownType = (ObjectNode) JSON.readTree(ResultsJson.write(dwell()));
        unknownType.put("type", "loiter");
        assertFalse(Schemas.load("event.schema.json").validate(unknownType).isEmpty());
    }

    @Test
    void readingRefusesAnotherSchemaByName() {
        byte[] other = ResultsJson.write(new Event("vitstream.event.v2", "dwell", "cam-9", 1, "Bag", 8, null, "z", null, 1L,
                FRAME, Map.of(), 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ResultsJson.readEvent(other));
        assertTrue(e.getMessage().contains("vitstream.event.v2") && e.getMessage().contains("cam-9"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ResultsJson.readEvent("{".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void trackIdIsWrittenOnlyWhenThereIsOne() throws IOException {
        Detection untracked = new Detection(8, "Bag", 0.5f, new Box(1, 2, 3, 4));
        assertFalse(JSON.readTree(JSON.writeValueAsBytes(untracked)).has("track_id"));
        JsonNode tracked = JSON.readTree(JSON.writeValueAsBytes(untracked.withTrackId(12)));
        assertEquals(12, tracked.get("track_id").asLong());
        assertEquals(List.of("label_id", "label", "score", "box", "track_id"), List.copyOf(iterable(tracked.fieldNames())));
    }

    private static List<String> iterable(java.util.Iterator<String> it) {
        List<String> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
