package io.vitstream.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.ValidationMessage;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every kind of result message survives JSON both ways unchanged and is what
 * {@code docs/schemas/frame-result.schema.json} describes; the schema refuses what the service
 * must never publish.
 */
class FrameResultJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonSchema SCHEMA = Schemas.load("frame-result.schema.json");

    @Test
    void classificationRoundTripsAndMatchesTheSchema() throws IOException {
        assertRoundTripValid(Messages.classification());
    }

    @Test
    void detectionsRoundTripAndMatchTheSchema() throws IOException {
        assertRoundTripValid(Messages.detections());
    }

    @Test
    void skippedRoundTripsAndMatchesTheSchema() throws IOException {
        FrameResult skipped = Messages.skipped();
        JsonNode json = assertRoundTripValid(skipped);
        assertFalse(json.has("result"), "a skipped message has no result: " + json);
        assertFalse(json.get("frame").has("width"), "a skipped frame was never decoded: " + json);
        assertFalse(json.get("frame").has("sequence"), "no sequence header was sent: " + json);
    }

    @Test
    void fieldNamesAreSnakeCaseAsDocumented() throws IOException {
        JsonNode json = JSON.readTree(ResultsJson.write(Messages.detections()));
        assertEquals("detections", json.at("/result/type").asText());
        assertEquals(8, json.at("/result/detections/0/label_id").asInt());
        assertEquals(1795300000123L, json.at("/frame/capture_time_ms").asLong());
        assertEquals(12.25, json.at("/timings/inference_ms").asDouble());
        assertEquals(40.25, json.at("/result/detections/0/box/y1").asDouble());
    }

    /** Every JSON example in docs/messages.md reads into the records and writes back unchanged. */
    @Test
    void docsExamplesRoundTrip() throws IOException {
        List<String> examples = jsonBlocks(Files.readString(Path.of("../docs/messages.md")));
        assertFalse(examples.isEmpty(), "docs/messages.md has no ```json example");
        for (String example : examples) {
            JsonNode expected = JSON.readTree(example);
            byte[] bytes = example.getBytes(StandardCharsets.UTF_8);
            byte[] written = Event.SCHEMA.equals(expected.path("schema").asText())
                    ? ResultsJson.write(ResultsJson.readEvent(bytes)) : ResultsJson.write(ResultsJson.read(bytes));
            assertEquals(expected, JSON.readTree(written), "docs example changed on a round trip");
            String schema = Event.SCHEMA.equals(expected.path("schema").asText()) ? "event.schema.json" : "frame-result.schema.json";
            assertTrue(Schemas.load(schema).validate(expected).isEmpty(), "docs example invalid: " + Schemas.load(schema).validate(expected));
        }
    }

    @Test
    void schemaRefusesAnOkMessageWithoutResult() throws IOException {
        ObjectNode json = (ObjectNode) JSON.readTree(ResultsJson.write(Messages.classification()));
        json.remove("result");
        assertFalse(SCHEMA.validate(json).isEmpty(), "an ok message without result passed the schema");
    }

    @Test
    void schemaRefusesASkippedMessageWithAResultAndAnUnknownField() throws IOException {
        ObjectNode json = (ObjectNode) JSON.readTree(ResultsJson.write(Messages.detections()));
        json.put("status", "skipped").put("skip_reason", "stale");
        assertFalse(SCHEMA.validate(json).isEmpty(), "a skipped message with a result passed the schema");

        ObjectNode extra = (ObjectNode) JSON.readTree(ResultsJson.write(Messages.classification()));
        extra.put("fps", 4);
        assertFalse(SCHEMA.validate(extra).isEmpty(), "an undocumented field passed the schema");
    }

    @Test
    void readRefusesAnotherSchemaVersionByName() throws IOException {
        ObjectNode json = (ObjectNode) JSON.readTree(ResultsJson.write(Messages.classification()));
        json.put("schema", "vitstream.frame-result.v2");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ResultsJson.read(JSON.writeValueAsBytes(json)));
        assertTrue(e.getMessage().contains("'vitstream.frame-result.v2'") && e.getMessage().contains("'cam-1'"), e.getMessage());
    }

    @Test
    void readRefusesSomethingThatIsNotJson() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ResultsJson.read("<html>oops</html>".getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().startsWith("not a vitstream frame result (17 bytes, starting '<html>"), e.getMessage());
    }

    private static JsonNode assertRoundTripValid(FrameResult result) throws IOException {
        byte[] bytes = ResultsJson.write(result);
        assertEquals(result, ResultsJson.read(bytes), "records changed on a round trip");
        JsonNode json = JSON.readTree(bytes);
        Set<ValidationMessage> errors = SCHEMA.validate(json);
        assertTrue(errors.isEmpty(), () -> "schema errors " + errors + " in " + json);
        return json;
    }

    private static List<String> jsonBlocks(String markdown) {
        Matcher m = Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL).matcher(markdown);
        List<String> blocks = new ArrayList<>();
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }
}
