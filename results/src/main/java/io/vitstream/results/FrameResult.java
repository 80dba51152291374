package io.vitstream.results;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * One message of a result topic: what one head said about one frame, or why the frame was
 * skipped. Every consumed frame gets exactly one such message per head topic, or one
 * dead-letter record.
 *
 * @param schema always {@link #SCHEMA}; bumped on incompatible changes
 * @param camera the camera / stream id (also the Kafka key)
 * @param head the head's name in the model
 * @param status {@code ok} or {@code skipped}
 * @param skipReason why the frame was skipped ({@code stale}, {@code stride}), else absent
 * @param frame where the frame came from
 * @param model which model answered
 * @param timings where the time went, milliseconds
 * @param publishedAtMs when this message was published, epoch milliseconds
 * @param result the head's answer; absent when skipped
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FrameResult(String schema, String camera, String head, Status status, String skipReason,
        FrameRef frame, ModelRef model, Timings timings, long publishedAtMs, HeadResult result) {

    /** The schema id of this version of the message. */
    public static final String SCHEMA = "vitstream.frame-result.v1";

    /** What happened to the frame. */
    public enum Status {
        /** The head ran; {@code result} holds its answer. */
        @com.fasterxml.jackson.annotation.JsonProperty("ok") OK,
        /** The frame was deliberately not processed; {@code skip_reason} says why. */
        @com.fasterxml.jackson.annotation.JsonProperty("skipped") SKIPPED
    }

    /**
     * Lineage: the input record this result answers.
     *
     * @param topic source topic
     * @param partition source partition
     * @param offset source offset
     * @param sequence the producer's frame sequence number, if it sent one
     * @param captureTimeMs capture time from the frame's header, else the record timestamp
     * @param width original frame width in pixels (absent when skipped before decoding)
     * @param height original frame height in pixels (absent when skipped before decoding)
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FrameRef(String topic, int partition, long offset, Long sequence, long captureTimeMs,
            Integer width, Integer height) {}

    /**
     * The model that produced the result.
     *
     * @param id the model's name (its checkpoint folder name unless configured)
     * @param digest {@code sha256:...} of its {@code model.safetensors}
     * @param precision {@code fp32}, {@code bf16} or {@code fp16}
     * @param device {@code cpu} or {@code gpu:N}
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ModelRef(String id, String digest, String precision, String device) {}

    /**
     * Milliseconds spent, measured inside the service except {@code total}.
     *
     * @param queueMs from the record's arrival in the service to the start of its batch
     * @param decodeMs decoding and preprocessing this frame
     * @param inferenceMs the batch's backbone and heads pass (shared by the batch)
     * @param totalMs from capture time to publishing (includes Kafka and camera clocks)
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Timings(double queueMs, double decodeMs, double inferenceMs, double totalMs) {}
}
