package io.vitstream.stream.explain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vitstream.stream.pipeline.Frame;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An {@link Explanation} as the JSON of {@code /v1/explain} and of the {@code explanations} topic
 * (docs/live.md, docs/schemas/explanation.schema.json): snake_case, {@code map} as nested arrays.
 */
public final class ExplanationJson {

    /** The {@code schema} of a record on the {@code explanations} topic. */
    public static final String SCHEMA = "vitstream.explanation.v1";

    private static final ObjectMapper JSON = new ObjectMapper();

    private ExplanationJson() {}

    /** Where the frame came from; {@code captureTimeMs} {@code null} to leave it out. */
    public record Lineage(String topic, int partition, long offset, Long captureTimeMs) {

        /** The lineage of a consumed frame, with its capture time. */
        public static Lineage of(Frame f) {
            return new Lineage(f.topic(), f.partition(), f.offset(), f.captureTimeMs());
        }
    }

    /**
     * The JSON as UTF-8.
     *
     * @param schema {@link #SCHEMA} for the topic, {@code null} for the HTTP answer
     * @param camera {@code null} to leave out (a POSTed image)
     * @param frame {@code null} to leave out (a POSTed image)
     */
    public static byte[] write(Explanation e, String schema, String camera, Lineage frame) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (schema != null) {
            out.put("schema", schema);
        }
        if (camera != null) {
            out.put("camera", camera);
        }
        if (frame != null) {
            Map<String, Object> f = ordered("topic", frame.topic(), "partition", frame.partition(), "offset", frame.offset());
            if (frame.captureTimeMs() != null) {
                f.put("capture_time_ms", frame.captureTimeMs());
            }
            out.put("frame", f);
        }
        out.put("layers", e.layers());
        out.put("layer", e.layer());
        out.put("fusion", e.fusionName());
        out.put("token", e.classToken() ? "class" : "mean");
        out.put("grid", ordered("height", e.grid().height(), "width", e.grid().width()));
        out.put("image", ordered("width", e.imageWidth(), "height", e.imageHeight()));
        Explanation.Region r = e.region();
        out.put("region", ordered("x", r.x(), "y", r.y(), "width", r.width(), "height", r.height()));
        out.put("map", e.map());
        out.put("millis", Math.round(e.millis() * 10) / 10.0);
        try {
            return JSON.writeValueAsBytes(out);
        } catch (JsonProcessingException x) {
            throw new IllegalStateException("cannot write an explanation as JSON", x);
        }
    }

    /** A JSON object with the keys in the order given: key, value, key, value, ... */
    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }
}
