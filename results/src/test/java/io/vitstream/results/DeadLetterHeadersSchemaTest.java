package io.vitstream.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.ValidationMessage;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The dead-letter headers, as a consumer of frames-dlq sees them (name to UTF-8 text). */
class DeadLetterHeadersSchemaTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonSchema SCHEMA = Schemas.load("dead-letter-headers.schema.json");

    @Test
    void headersOfARefusedFrameMatchTheSchema() {
        Set<ValidationMessage> errors = SCHEMA.validate(JSON.valueToTree(headers("not-an-image", "2", "4411")));
        assertTrue(errors.isEmpty(), () -> "schema errors " + errors);
    }

    @Test
    void schemaRefusesAnUnknownReasonAndANonNumericOffset() {
        Set<ValidationMessage> errors = SCHEMA.validate(JSON.valueToTree(headers("blurry", "2", "-1")));
        assertEquals(2, errors.size(), () -> "expected the reason and the offset to be refused: " + errors);
    }

    @Test
    void schemaRefusesMissingHeaders() {
        Map<String, String> headers = headers("corrupt", "0", "7");
        headers.remove("vitstream.dlq.exception");
        assertEquals(1, SCHEMA.validate(JSON.valueToTree(headers)).size());
    }

    private static Map<String, String> headers(String reason, String partition, String offset) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("vitstream.dlq.reason", reason);
        h.put("vitstream.dlq.message", "frame from camera 'cam-7' at frames/" + partition + "@" + offset
                + ": not a JPEG or PNG (26 bytes, first bytes 3c 68 74 6d 6c 3e 6e 6f)");
        h.put("vitstream.dlq.exception", "io.vitstream.backbone.image.BadImageException");
        h.put("vitstream.dlq.source-topic", "frames");
        h.put("vitstream.dlq.source-partition", partition);
        h.put("vitstream.dlq.source-offset", offset);
        h.put("vitstream.dlq.payload", "included");
        h.put("vitstream.dlq.payload-bytes", "26");
        return h;
    }
}
