package io.vitstream.stream.pipeline;

/** The Kafka header names vitstream reads and writes (documented in docs/messages.md). */
public final class Headers {

    /** Input: capture time, epoch milliseconds as decimal ASCII. */
    public static final String CAPTURE_TIME = "vitstream.capture-time-ms";
    /** Input: the camera's frame sequence number, decimal ASCII. */
    public static final String SEQUENCE = "vitstream.sequence";

    /** Output: content type of the value. */
    public static final String CONTENT_TYPE = "content-type";
    /** Output: the model digest that produced the record. */
    public static final String MODEL_DIGEST = "vitstream.model-digest";

    /** Annotated frame: the source topic of the frame drawn. */
    public static final String SOURCE_TOPIC = "vitstream.source-topic";
    /** Annotated frame: the source partition, decimal ASCII. */
    public static final String SOURCE_PARTITION = "vitstream.source-partition";
    /** Annotated frame: the source offset, decimal ASCII. */
    public static final String SOURCE_OFFSET = "vitstream.source-offset";

    /** Dead letter: machine-readable reason ({@code not-an-image}, {@code truncated}, ...). */
    public static final String DLQ_REASON = "vitstream.dlq.reason";
    /** Dead letter: human-readable explanation. */
    public static final String DLQ_MESSAGE = "vitstream.dlq.message";
    /** Dead letter: the exception class that refused the frame. */
    public static final String DLQ_EXCEPTION = "vitstream.dlq.exception";
    /** Dead letter: source topic. */
    public static final String DLQ_TOPIC = "vitstream.dlq.source-topic";
    /** Dead letter: source partition. */
    public static final String DLQ_PARTITION = "vitstream.dlq.source-partition";
    /** Dead letter: source offset. */
    public static final String DLQ_OFFSET = "vitstream.dlq.source-offset";
    /** Dead letter: {@link #DLQ_PAYLOAD_INCLUDED} or {@link #DLQ_PAYLOAD_OMITTED}. */
    public static final String DLQ_PAYLOAD = "vitstream.dlq.payload";
    /** {@link #DLQ_PAYLOAD}: the value is the frame's bytes. */
    public static final String DLQ_PAYLOAD_INCLUDED = "included";
    /** {@link #DLQ_PAYLOAD}: the frame's bytes were left out; the value is null. */
    public static final String DLQ_PAYLOAD_OMITTED = "omitted";
    /** Dead letter: size of the refused frame in bytes, decimal ASCII. */
    public static final String DLQ_PAYLOAD_BYTES = "vitstream.dlq.payload-bytes";

    private Headers() {}
}
