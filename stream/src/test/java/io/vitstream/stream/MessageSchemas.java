package io.vitstream.stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.ValidationMessage;

import io.vitstream.results.Schemas;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The JSON Schemas of docs/messages.md, as the results artifact packs them, applied to what the
 * service really published: a record the schema refuses fails the test that read it.
 */
public final class MessageSchemas {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonSchema RESULT = Schemas.load("frame-result.schema.json");
    private static final JsonSchema DEAD_LETTER = Schemas.load("dead-letter-headers.schema.json");
    private static final JsonSchema EVENT = Schemas.load("event.schema.json");

    private MessageSchemas() {}

    /** Asserts that a result or skip record's value matches frame-result.schema.json. */
    public static void assertResult(ConsumerRecord<String, byte[]> r) {
        assertResult(r.value(), r.topic() + "/" + r.partition() + "@" + r.offset());
    }

    /** Asserts that a serialized result or skip notice matches frame-result.schema.json. */
    public static void assertResult(byte[] json, String where) {
        try {
            check(RESULT, JSON.readTree(json), where);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Asserts that an events-topic record's value matches event.schema.json. */
    public static void assertEvent(ConsumerRecord<String, byte[]> r) {
        try {
            check(EVENT, JSON.readTree(r.value()), r.topic() + "/" + r.partition() + "@" + r.offset());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Asserts that a dead letter's headers match dead-letter-headers.schema.json. */
    public static void assertDeadLetter(ConsumerRecord<String, byte[]> r) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header h : r.headers()) {
            headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
        }
        assertDeadLetter(headers, r.topic() + "/" + r.partition() + "@" + r.offset());
    }

    /** Asserts that dead-letter headers (name to text) match dead-letter-headers.schema.json. */
    public static void assertDeadLetter(Map<String, String> headers, String where) {
        check(DEAD_LETTER, JSON.valueToTree(headers), where);
    }

    private static void check(JsonSchema schema, JsonNode node, String where) {
        Set<ValidationMessage> errors = schema.validate(node);
        assertTrue(errors.isEmpty(), () -> where + " does not match its schema: " + errors + " in " + node);
    }
}
