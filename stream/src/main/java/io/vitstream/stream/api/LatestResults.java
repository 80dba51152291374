package io.vitstream.stream.api;

import io.vitstream.results.FrameResult;
import io.vitstream.stream.config.VitstreamConfig;
import io.vitstream.stream.pipeline.RecentlySeen;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The newest published result of each camera and head, for {@code GET /results/latest}: at most
 * {@code vitstream.limits.max-cameras} cameras (the least recently updated one is forgotten), and
 * a skip notice never replaces a real result (it is kept only while a camera has none).
 */
@ApplicationScoped
public class LatestResults {

    @Inject
    VitstreamConfig config;

    private RecentlySeen<String, Map<String, FrameResult>> byCamera;

    public LatestResults() {}

    /** For tests: a bound without CDI. */
    public LatestResults(int maxCameras) {
        byCamera = new RecentlySeen<>(maxCameras);
    }

    @PostConstruct
    void init() {
        byCamera = new RecentlySeen<>(config.limits().maxCameras());
    }

    /** Records a result once Kafka acknowledged it. */
    public void put(FrameResult r) {
        byCamera.computeIfAbsent(r.camera(), c -> new ConcurrentHashMap<>()).merge(r.head(), r, LatestResults::newer);
    }

    /** Which of two results of one camera and head to show: the later real one. */
    static FrameResult newer(FrameResult old, FrameResult neu) {
        boolean oldReal = old.status() == FrameResult.Status.OK;
        boolean neuReal = neu.status() == FrameResult.Status.OK;
        if (oldReal != neuReal) {
            return oldReal ? old : neu;
        }
        return neu.frame().offset() >= old.frame().offset() || neu.frame().partition() != old.frame().partition() ? neu : old;
    }

    /** Head name to newest result of one camera (empty if none yet). */
    public Map<String, FrameResult> camera(String camera) {
        Map<String, FrameResult> m = byCamera.get(camera);
        return m == null ? new TreeMap<>() : new TreeMap<>(m);
    }

    /** Camera to head to newest result. */
    public Map<String, Map<String, FrameResult>> all() {
        Map<String, Map<String, FrameResult>> out = new TreeMap<>();
        byCamera.forEach((c, m) -> out.put(c, new TreeMap<>(m)));
        return out;
    }
}
