package io.vitstream.results;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads and writes the value of a result-topic record ({@link FrameResult}) and of an events-topic
 * record ({@link Event}) as JSON. Thread-safe;
 * it needs nothing but the annotations on the records, so it works the same in a native image
 * with this artifact's reachability metadata.
 *
 * <p>Reading refuses a message of another schema version by name instead of guessing at it;
 * unknown fields are tolerated so a consumer built against v1 keeps reading v1 messages from a
 * newer producer.
 */
public final class ResultsJson {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final ObjectReader READER = MAPPER.readerFor(FrameResult.class);
    private static final ObjectWriter WRITER = MAPPER.writerFor(FrameResult.class);
    private static final ObjectReader EVENT_READER = MAPPER.readerFor(Event.class);
    private static final ObjectWriter EVENT_WRITER = MAPPER.writerFor(Event.class);

    private ResultsJson() {}

    /**
     * Parses one record value.
     *
     * @param value the record's value, UTF-8 JSON
     * @return the result
     * @throws IllegalArgumentException if the value is not JSON of a {@code vitstream.frame-result.v1}
     */
    public static FrameResult read(byte[] value) {
        FrameResult result = parse(READER, value, "frame result");
        if (!FrameResult.SCHEMA.equals(result.schema())) {
            throw new IllegalArgumentException("frame result of schema '" + result.schema() + "' from camera '"
                    + result.camera() + "': this client reads '" + FrameResult.SCHEMA + "'");
        }
        return result;
    }

    /** {@code value} read by {@code reader}; a value that is not such JSON names {@code what} and its first bytes. */
    private static <T> T parse(ObjectReader reader, byte[] value, String what) {
        try {
            return reader.readValue(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a vitstream " + what + " (" + value.length + " bytes, starting '"
                    + preview(value) + "'): " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes one record value, as the service publishes it.
     *
     * @param result the result
     * @return UTF-8 JSON
     */
    public static byte[] write(FrameResult result) {
        try {
            return WRITER.writeValueAsBytes(result);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the frame result of camera '" + result.camera() + "'", e);
        }
    }

    /**
     * Parses one record value of the {@code events} topic.
     *
     * @throws IllegalArgumentException if the value is not JSON of a {@code vitstream.event.v1}
     */
    public static Event readEvent(byte[] value) {
        Event event = parse(EVENT_READER, value, "event");
        if (!Event.SCHEMA.equals(event.schema())) {
            throw new IllegalArgumentException("event of schema '" + event.schema() + "' from camera '" + event.camera()
                    + "': this client reads '" + Event.SCHEMA + "'");
        }
        return event;
    }

    /** Writes one record value of the {@code events} topic, as the service publishes it. */
    public static byte[] write(Event event) {
        try {
            return EVENT_WRITER.writeValueAsBytes(event);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the event of camera '" + event.camera() + "'", e);
        }
    }

    private static String preview(byte[] value) {
        String text = new String(value, 0, Math.min(value.length, 40), StandardCharsets.UTF_8);
        return text.replaceAll("\\p{Cntrl}", "?");
    }
}
