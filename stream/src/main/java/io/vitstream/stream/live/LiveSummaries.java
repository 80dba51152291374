package io.vitstream.stream.live;

import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import io.vitstream.analytics.LineSpec;
import io.vitstream.analytics.Point;
import io.vitstream.analytics.ZoneSpec;
import io.vitstream.results.FrameResult;
import io.vitstream.stream.analytics.AnalyticsService;
import io.vitstream.stream.analytics.AnalyticsStage;
import io.vitstream.stream.config.VitstreamConfig;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.common.TopicPartition;

/** A camera's summary as the page reads it ({@code CameraSummary} in {@code docs/live.md}). */
@ApplicationScoped
public class LiveSummaries {

    /** How often the consumer's lag is asked for again. */
    static final long LAG_REFRESH_MS = 1000;

    @Inject
    LiveState live;

    @Inject
    AnalyticsService analytics;

    @Inject
    KafkaClientService kafkaClients;

    /** "topic/partition" to records behind the end of the partition, from the frames consumer. */
    private volatile Map<String, Long> lags = Map.of();
    private final AtomicLong lagsAskedMs = new AtomicLong();

    @Inject
    VitstreamConfig config;

    /**
     * What a client compares to know whether the camera's summary changed: its frame version and
     * whether it is stale, without building the summary (trails, lines, counts). Empty for a
     * camera never processed.
     */
    public Optional<String> mark(String camera, long now) {
        return live.view(camera).filter(v -> v.last() != null).map(v -> v.last().version() + "/" + stale(v.last(), now));
    }

    private boolean stale(LiveState.LastFrame last, long now) {
        return Math.max(0, now - last.processedAtMs()) > config.live().staleAfter().toMillis();
    }

    /** The camera's summary as of now; empty for a camera never processed. */
    public Optional<Map<String, Object>> summary(String camera, long now) {
        return live.view(camera).filter(v -> v.last() != null).map(v -> summary(camera, v, now));
    }

    private Map<String, Object> summary(String camera, LiveState.View v, long now) {
        LiveState.LastFrame last = v.last();
        FrameResult.FrameRef ref = last.frame();
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("camera", camera);
        s.put("version", last.version());
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("topic", ref.topic());
        frame.put("partition", ref.partition());
        frame.put("offset", ref.offset());
        frame.put("capture_time_ms", ref.captureTimeMs());
        s.put("frame", frame);
        s.put("image", Map.of("width", ref.width() == null ? 0 : ref.width(), "height", ref.height() == null ? 0 : ref.height()));
        s.put("frame_url", "/live/cameras/" + URLEncoder.encode(camera, StandardCharsets.UTF_8).replace("+", "%20")
                + "/frame.jpg?v=" + last.version());
        long age = Math.max(0, now - last.processedAtMs());
        s.put("age_ms", age);
        s.put("stale", stale(last, now));
        s.put("fps", round(v.fps(), 2));
        s.put("latency_ms", round(v.latencyMs(), 1));
        s.put("lag", lag(ref.topic(), ref.partition()));
        s.put("detection_head", v.detectionHead());
        s.put("detections", v.detections() == null ? List.of() : v.detections().detections());
        List<Map<String, Object>> trails = new ArrayList<>();
        for (LiveState.Trail t : v.trails()) {
            List<double[]> pts = new ArrayList<>();
            t.points().forEach(p -> pts.add(new double[] {round(p[0], 1), round(p[1], 1)}));
            trails.add(Map.of("track_id", t.trackId(), "points", pts));
        }
        s.put("trails", trails);
        s.put("classification_head", v.classificationHead());
        s.put("top", v.classification() == null ? List.of() : v.classification().top());
        List<Map<String, Object>> lines = new ArrayList<>();
        List<Map<String, Object>> zones = new ArrayList<>();
        Object counts = Map.of();
        Optional<AnalyticsStage.View> a = analytics.stage().flatMap(st -> st.view(camera));
        if (a.isPresent()) {
            for (LineSpec l : a.get().config().lines()) {
                lines.add(Map.of("name", l.name(), "points", List.of(point(l.a()), point(l.b()))));
            }
            for (ZoneSpec z : a.get().config().zones()) {
                zones.add(Map.of("name", z.name(), "points", z.polygon().stream().map(LiveSummaries::point).toList()));
            }
            counts = a.get().counts();
        }
        s.put("lines", lines);
        s.put("zones", zones);
        s.put("counts", counts);
        return s;
    }

    /**
     * The frames consumer's lag on a partition (records between its position and the end of the
     * partition, as of its last fetch), or null when it does not hold the partition or has not
     * fetched yet. Asked on the consumer's polling thread at most once a second; the answer
     * arrives for a later summary.
     */
    private Long lag(String topic, int partition) {
        long now = System.currentTimeMillis();
        long asked = lagsAskedMs.get();
        if (now - asked >= LAG_REFRESH_MS && lagsAskedMs.compareAndSet(asked, now)) {
            try {
                KafkaConsumer<Object, Object> consumer = kafkaClients.getConsumer("frames");
                if (consumer != null) {
                    consumer.runOnPollingThread(c -> {
                        Map<String, Long> out = new java.util.HashMap<>();
                        for (TopicPartition tp : c.assignment()) {
                            OptionalLong l = c.currentLag(tp);
                            if (l.isPresent()) {
                                out.put(tp.topic() + "/" + tp.partition(), l.getAsLong());
                            }
                        }
                        return out;
                    }).subscribe().with(m -> lags = m, e -> lags = Map.of());
                }
            } catch (RuntimeException e) {
                lags = Map.of(); // no consumer (yet): no lag to show
            }
        }
        return lags.get(topic + "/" + partition);
    }

    private static double[] point(Point p) {
        return new double[] {p.x(), p.y()};
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
