package io.vitstream.stream.pipeline;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;

/**
 * The service's own meters (Prometheus names get {@code _total} and {@code _seconds} suffixes):
 * frames consumed, results published, frames dead-lettered and skipped by reason, batch size,
 * and decode, inference and capture-to-publish latency histograms. Consumer lag comes from the
 * Kafka client's own metrics.
 *
 * <p>Every meter carries the tag {@code source}: {@code kafka} for the stream, {@code http} for
 * {@code POST /v1/infer}, so requests never blur the stream's numbers.
 */
public final class StreamMetrics {

    /** {@code source} of the stream's meters. */
    public static final String KAFKA = "kafka";
    /** {@code source} of {@code POST /v1/infer}'s meters. */
    public static final String HTTP = "http";

    private final MeterRegistry registry;
    private final String source;
    private final Counter consumed;
    private final DistributionSummary batchSize;
    private final Timer decode;
    private final Timer inference;
    private final Timer endToEnd;

    public StreamMetrics(MeterRegistry registry) {
        this(registry, KAFKA);
    }

    /** @param source the {@code source} tag: {@link #KAFKA} or {@link #HTTP} */
    public StreamMetrics(MeterRegistry registry, String source) {
        this.registry = registry;
        this.source = source;
        this.consumed = Counter.builder("vitstream.frames.consumed").description("frames taken in (from Kafka, or by POST /v1/infer)")
                .tag("source", source).register(registry);
        this.batchSize = DistributionSummary.builder("vitstream.batch.size").description("frames per inference batch")
                .tag("source", source).publishPercentileHistogram().register(registry);
        this.decode = timer("vitstream.decode", "decoding and preprocessing one frame");
        this.inference = timer("vitstream.inference", "one backbone pass plus every head, per batch");
        this.endToEnd = timer("vitstream.end.to.end", "capture time to result published");
    }

    private Timer timer(String name, String description) {
        return Timer.builder(name).description(description).tag("source", source).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30)).register(registry);
    }

    public void consumed(int n) { consumed.increment(n); }
    public void batch(int n) { batchSize.record(n); }
    public void decodeNanos(long nanos) { decode.record(Duration.ofNanos(nanos)); }
    public void inferenceNanos(long nanos) { inference.record(Duration.ofNanos(nanos)); }
    public void endToEndMillis(long ms) { endToEnd.record(Duration.ofMillis(Math.max(0, ms))); }

    /** A batch split in two after the engine ran out of memory on it. */
    public void split() {
        registry.counter("vitstream.batch.splits", "source", source).increment();
    }

    /** A frame deliberately not processed. */
    public void skipped(String reason) {
        registry.counter("vitstream.frames.skipped", "reason", reason, "source", source).increment();
    }

    /** A frame sent to the dead-letter topic. */
    public void deadLettered(String reason) {
        registry.counter("vitstream.frames.dead.lettered", "reason", reason, "source", source).increment();
    }

    /** A record acknowledged by Kafka: results by head, skip notices and dead letters by kind. */
    public void published(OutputRecord r) {
        registry.counter("vitstream.records.published", "kind", r.kind().name().toLowerCase(java.util.Locale.ROOT),
                "topic", r.topic(), "source", source).increment();
        if (r.kind() == OutputRecord.Kind.RESULT) {
            endToEndMillis(System.currentTimeMillis() - r.source().captureTimeMs());
        }
    }
}
