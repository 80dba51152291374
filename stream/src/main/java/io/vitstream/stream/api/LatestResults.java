package io.vitstream.stream.api;

import io.vitstream.results.FrameResult;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** The newest published result of each camera and head, for {@code GET /results/latest}. */
@ApplicationScoped
public class LatestResults {

    private final Map<String, Map<String, FrameResult>> byCamera = new ConcurrentHashMap<>();

    /** Records a result once Kafka acknowledged it. */
    public void put(FrameResult r) {
        byCamera.computeIfAbsent(r.camera(), c -> new ConcurrentHashMap<>()).merge(r.head(), r,
                (old, neu) -> neu.frame().offset() >= old.frame().offset() || neu.frame().partition() != old.frame().partition() ? neu : old);
    }

    /** Head name to newest result of one camera (empty if none yet). */
    public Map<String, FrameResult> camera(String camera) {
        return new TreeMap<>(byCamera.getOrDefault(camera, Map.of()));
    }

    /** Camera to head to newest result. */
    public Map<String, Map<String, FrameResult>> all() {
        Map<String, Map<String, FrameResult>> out = new TreeMap<>();
        byCamera.forEach((c, m) -> out.put(c, new TreeMap<>(m)));
        return out;
    }
}
