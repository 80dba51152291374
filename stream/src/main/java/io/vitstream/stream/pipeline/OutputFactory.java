package io.vitstream.stream.pipeline;

import io.vitstream.backbone.image.ImageGeometry;
import io.vitstream.results.FrameResult;
import io.vitstream.results.HeadResult;
import io.vitstream.results.ResultsJson;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the records a frame produces: one JSON {@link FrameResult} per head (on that head's
 * topic, keyed by camera), or one dead letter with the original key and bytes and headers that
 * say why.
 */
public final class OutputFactory {

    private final Map<String, String> headTopics;
    private final String deadLetterTopic;
    private final FrameResult.ModelRef model;
    private final long deadLetterMaxBytes;
    private final TopicLimits limits;

    /** The longest {@code vitstream.dlq.message} header, in characters. */
    static final int MAX_MESSAGE_CHARS = 1000;

    /**
     * @param headTopics output topic of each head, in the model's head order
     * @param deadLetterTopic where refused frames go
     * @param deadLetterMaxBytes largest frame whose bytes are copied into its dead letter
     * @param model lineage of the model
     * @param limits the largest record each topic takes: a result over it becomes a
     *        {@code result-too-large} dead letter, a dead letter over it goes without the frame's bytes
     */
    public OutputFactory(Map<String, String> headTopics, String deadLetterTopic, long deadLetterMaxBytes,
            FrameResult.ModelRef model, TopicLimits limits) {
        this.headTopics = new LinkedHashMap<>(headTopics);
        this.deadLetterTopic = deadLetterTopic;
        this.deadLetterMaxBytes = deadLetterMaxBytes;
        this.model = model;
        this.limits = limits;
    }

    /** One result record per head; {@code total_ms} is filled in here, just before publishing. */
    public List<OutputRecord> results(Frame f, ImageGeometry g, Map<String, HeadResult> answers, FrameResult.Timings t) {
        List<OutputRecord> out = new ArrayList<>();
        long now = System.currentTimeMillis();
        FrameResult.Timings timings = new FrameResult.Timings(t.queueMs(), t.decodeMs(), t.inferenceMs(), now - f.captureTimeMs());
        FrameResult.FrameRef ref = ref(f, g.originalWidth(), g.originalHeight());
        headTopics.forEach((head, topic) -> out.add(fitted(record(topic, f, OutputRecord.Kind.RESULT, new FrameResult(
                FrameResult.SCHEMA, f.camera(), head, FrameResult.Status.OK, null, ref, model, timings, now, answers.get(head))))));
        return out;
    }

    /** One skip notice per head. */
    public List<OutputRecord> skipped(Frame f, String reason, double queueMs) {
        List<OutputRecord> out = new ArrayList<>();
        long now = System.currentTimeMillis();
        FrameResult.Timings timings = new FrameResult.Timings(queueMs, 0, 0, now - f.captureTimeMs());
        headTopics.forEach((head, topic) -> out.add(fitted(record(topic, f, OutputRecord.Kind.SKIPPED, new FrameResult(
                FrameResult.SCHEMA, f.camera(), head, FrameResult.Status.SKIPPED, reason, ref(f, null, null), model, timings, now,
                null)))));
        return out;
    }

    /** {@code r} if it fits its topic, else its {@link #tooLarge} dead letter. */
    private OutputRecord fitted(OutputRecord r) {
        return limits.fits(r) ? r : tooLarge(r);
    }

    /**
     * The dead letter of a result or skip notice its topic cannot take (reason
     * {@code result-too-large}, without the frame's bytes): published instead of it, so the
     * frame is answered and never retried for ever.
     */
    public OutputRecord tooLarge(OutputRecord r) {
        if (r.kind() == OutputRecord.Kind.DEAD_LETTER) {
            throw new IllegalArgumentException("a dead letter has no result to replace: " + r.source().position());
        }
        Frame f = r.source();
        String head = r.result() == null ? "?" : r.result().head();
        return deadLetter(f, f.camera(), "result-too-large", "the " + head + " result of the frame from camera '" + f.camera()
                + "' at " + f.position() + " is about " + TopicLimits.size(r) + " bytes, over the " + limits.limit(r.topic())
                + " bytes topic '" + r.topic() + "' takes (its max.message.bytes or the producer's max.request.size)",
                "org.apache.kafka.common.errors.RecordTooLargeException").withoutPayload();
    }

    /**
     * The original key and bytes, with the reason and the source position in headers; the bytes
     * are left out (value {@code null}, header {@code vitstream.dlq.payload: omitted}) when the
     * frame is larger than the dead-letter limit.
     */
    public OutputRecord deadLetter(Frame f, String reason, RuntimeException e) {
        return deadLetter(f, f.camera(), reason, "frame from camera '" + f.camera() + "' at " + f.position() + ": "
                + e.getMessage(), e.getClass().getName());
    }

    /**
     * The dead letter of a frame whose key is refused ({@link CameraKeys}): reason
     * {@code bad-key}, a bounded printable rendering of the key as its key and in its message,
     * the frame's bytes as for any dead letter.
     */
    public OutputRecord badKey(Frame f, String problem) {
        String shown = CameraKeys.shown(f.camera());
        return deadLetter(f, shown, "bad-key", "frame at " + f.position() + " with key '" + shown + "': " + problem,
                IllegalArgumentException.class.getName());
    }

    private OutputRecord deadLetter(Frame f, String key, String reason, String message, String exception) {
        Map<String, String> h = deadLetterHeaders(reason, message, exception, f.topic(), f.partition(), f.offset(), f.bytes().length);
        OutputRecord r = new OutputRecord(deadLetterTopic, key, f.bytes(), h, f, OutputRecord.Kind.DEAD_LETTER, null);
        return f.bytes().length > deadLetterMaxBytes || !limits.fits(r) ? r.withoutPayload() : r;
    }

    /**
     * The headers of a dead letter (docs/schemas/dead-letter-headers.schema.json) whose value is
     * the refused record's bytes: why, the message cut to {@link #MAX_MESSAGE_CHARS}, and where
     * the record is.
     */
    public static Map<String, String> deadLetterHeaders(String reason, String message, String exception, String topic,
            int partition, long offset, int payloadBytes) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put(Headers.DLQ_REASON, reason);
        h.put(Headers.DLQ_MESSAGE, message.length() <= MAX_MESSAGE_CHARS ? message
                : message.substring(0, MAX_MESSAGE_CHARS - 3) + "...");
        h.put(Headers.DLQ_EXCEPTION, exception);
        h.put(Headers.DLQ_TOPIC, topic);
        h.put(Headers.DLQ_PARTITION, Integer.toString(partition));
        h.put(Headers.DLQ_OFFSET, Long.toString(offset));
        h.put(Headers.DLQ_PAYLOAD_BYTES, Integer.toString(payloadBytes));
        h.put(Headers.DLQ_PAYLOAD, Headers.DLQ_PAYLOAD_INCLUDED);
        return h;
    }

    private static FrameResult.FrameRef ref(Frame f, Integer width, Integer height) {
        return new FrameResult.FrameRef(f.topic(), f.partition(), f.offset(), f.sequence(), f.captureTimeMs(), width, height);
    }

    private OutputRecord record(String topic, Frame f, OutputRecord.Kind kind, FrameResult r) {
        return new OutputRecord(topic, f.camera(), ResultsJson.write(r),
                Map.of(Headers.CONTENT_TYPE, "application/json", Headers.MODEL_DIGEST, model.digest()), f, kind, r);
    }

    /** The head-to-topic mapping in use. */
    public Map<String, String> headTopics() {
        return headTopics;
    }
}
