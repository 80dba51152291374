package io.vitstream.stream.explain;

import io.vitstream.analytics.CameraConfig;
import io.vitstream.backbone.explain.AttentionRollout.HeadFusion;
import io.vitstream.backbone.image.ImageDecoder;
import io.vitstream.results.Detection;
import io.vitstream.results.FrameResult;
import io.vitstream.results.HeadResult;
import io.vitstream.stream.pipeline.Frame;
import io.vitstream.stream.pipeline.Headers;
import io.vitstream.stream.pipeline.OutputRecord;
import io.vitstream.stream.pipeline.RecentlySeen;
import io.vitstream.stream.pipeline.TopicLimits;

import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The side topics' stage, after analytics: appends to a batch's records, for its processed frames
 * (those with results), the attention map of every {@code every}-th frame of each camera
 * ({@code explanations} topic, JSON) and every frame drawn with its detections, track ids, lines
 * and zones ({@code annotated} topic, JPEG). They join the batch's records, so in exactly-once
 * mode they are published in the same transaction as the frame's results.
 *
 * <p>A side record its topic cannot take (over its {@code max.message.bytes}) is dropped, logged
 * and counted, never dead-lettered: the frame itself was answered. A side record that cannot be
 * made (the model fails on the explanation) is dropped the same way rather than failing the batch.
 * The count per camera is kept for at most {@code maxCameras} cameras; a batch consumed again
 * after an abort counts its frames again, so which frames are explained may shift then.
 */
public final class SideTopics {

    private static final Logger LOG = Logger.getLogger(SideTopics.class);

    /**
     * @param every explain every N-th processed frame of each camera; 0: never
     * @param explanations the explanations topic
     * @param annotated the annotated-frames topic; empty: none
     * @param maxCameras cameras whose count is kept
     */
    public record Settings(int every, String explanations, Optional<String> annotated, int maxCameras) {

        public Settings {
            if (every < 0) {
                throw new IllegalArgumentException("vitstream.explain.every must be >= 0 (0: off), got " + every);
            }
        }

        /** Whether the stage adds anything. */
        public boolean on() {
            return every > 0 || annotated.isPresent();
        }
    }

    private final Settings settings;
    private final Explainer explainer;
    private final ImageDecoder decoder;
    private final Function<String, CameraConfig> cameras;
    private final TopicLimits limits;
    private final String modelDigest;
    private final Consumer<OutputRecord> dropped;
    private final RecentlySeen<String, AtomicLong> counts;

    /**
     * @param explainer the explanations' maker, on the stream's model and preprocessor
     * @param decoder decodes frames for annotating
     * @param cameras each camera's lines and zones now
     * @param limits the topics' limits, read from the broker
     * @param dropped told of each side record dropped for its size
     */
    public SideTopics(Settings settings, Explainer explainer, ImageDecoder decoder, Function<String, CameraConfig> cameras,
            TopicLimits limits, String modelDigest, Consumer<OutputRecord> dropped) {
        this.settings = settings;
        this.explainer = explainer;
        this.decoder = decoder;
        this.cameras = cameras;
        this.limits = limits;
        this.modelDigest = modelDigest;
        this.dropped = dropped;
        this.counts = new RecentlySeen<>(settings.maxCameras());
    }

    /** {@code records} followed by the side records of their processed frames. */
    public List<OutputRecord> apply(List<OutputRecord> records) {
        if (!settings.on()) {
            return records;
        }
        Map<Frame, List<Detection>> frames = processedFrames(records);
        List<OutputRecord> out = new ArrayList<>(records.size() + 2 * frames.size());
        out.addAll(records);
        frames.forEach((f, detections) -> {
            long n = counts.computeIfAbsent(f.camera(), c -> new AtomicLong()).incrementAndGet();
            if (settings.every() > 0 && n % settings.every() == 0) {
                made(f, settings.explanations(), () -> explanation(f)).ifPresent(out::add);
            }
            settings.annotated().ifPresent(topic -> made(f, topic, () -> annotated(f, topic, detections)).ifPresent(out::add));
        });
        return out;
    }

    /** The frames with results, in order, with the detections of every detection head (after tracking). */
    private static Map<Frame, List<Detection>> processedFrames(List<OutputRecord> records) {
        Map<Frame, List<Detection>> frames = new LinkedHashMap<>();
        for (OutputRecord r : records) {
            if (r.kind() == OutputRecord.Kind.RESULT && r.result() != null && r.result().status() == FrameResult.Status.OK) {
                List<Detection> d = frames.computeIfAbsent(r.source(), f -> new ArrayList<>());
                if (r.result().result() instanceof HeadResult.Detections found) {
                    d.addAll(found.detections());
                }
            }
        }
        return frames;
    }

    /** The record {@code make} gives, if it can be made and fits its topic. */
    private Optional<OutputRecord> made(Frame f, String topic, java.util.function.Supplier<OutputRecord> make) {
        OutputRecord r;
        try {
            r = make.get();
        } catch (RuntimeException e) {
            LOG.warnf("no record for topic '%s' of the frame from camera '%s' at %s: %s", topic, f.camera(), f.position(), e.toString());
            return Optional.empty();
        }
        if (!limits.fits(r)) {
            LOG.warnf("the %s record of the frame from camera '%s' at %s is about %d bytes, over the %d bytes topic '%s' takes;"
                    + " dropped", r.kind(), f.camera(), f.position(), TopicLimits.size(r), limits.limit(topic), topic);
            dropped.accept(r);
            return Optional.empty();
        }
        return Optional.of(r);
    }

    private OutputRecord explanation(Frame f) {
        Explanation e = explainer.explain(f.bytes(), explainer.layers(), HeadFusion.MEAN);
        byte[] json = ExplanationJson.write(e, ExplanationJson.SCHEMA, f.camera(), ExplanationJson.Lineage.of(f));
        return new OutputRecord(settings.explanations(), f.camera(), json,
                Map.of(Headers.CONTENT_TYPE, "application/json", Headers.MODEL_DIGEST, modelDigest), f,
                OutputRecord.Kind.EXPLANATION, null);
    }

    private OutputRecord annotated(Frame f, String topic, List<Detection> detections) {
        byte[] jpeg = FrameAnnotator.jpeg(decoder.decode(f.bytes()), detections, cameras.apply(f.camera()));
        Map<String, String> h = new LinkedHashMap<>();
        h.put(Headers.CONTENT_TYPE, "image/jpeg");
        h.put(Headers.MODEL_DIGEST, modelDigest);
        h.put(Headers.SOURCE_TOPIC, f.topic());
        h.put(Headers.SOURCE_PARTITION, Integer.toString(f.partition()));
        h.put(Headers.SOURCE_OFFSET, Long.toString(f.offset()));
        h.put(Headers.CAPTURE_TIME, Long.toString(f.captureTimeMs()));
        if (f.sequence() != null) {
            h.put(Headers.SEQUENCE, Long.toString(f.sequence()));
        }
        return new OutputRecord(topic, f.camera(), jpeg, h, f, OutputRecord.Kind.ANNOTATED, null);
    }
}
