package io.vitstream.stream.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vitstream.results.FrameResult;
import io.vitstream.results.HeadResult;
import io.vitstream.stream.config.VitstreamConfig;
import io.vitstream.stream.pipeline.OutputRecord;
import io.vitstream.stream.pipeline.RecentlySeen;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the live view shows of each camera, fed with the records Kafka acknowledged (so the page
 * shows what downstream consumers read, nothing else): the newest processed frame's bytes, its
 * heads' answers, the tracks' recent centres, recent events, frame rate and latency. At most
 * {@code vitstream.limits.max-cameras} cameras (the least recently updated one is forgotten),
 * one frame each: nothing is read back from Kafka.
 */
@ApplicationScoped
public class LiveState {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Window of the frame rate. */
    static final long FPS_WINDOW_MS = 10_000;

    @Inject
    VitstreamConfig config;

    private RecentlySeen<String, CameraLive> cameras;
    private boolean enabled = true;
    private int trailLength;
    private int maxEvents;
    private long maxBytes;
    /** Bytes of the frames kept, as of the last {@link #record} (guarded by this). */
    private long keptBytes;

    public LiveState() {}

    /** For tests: bounds without CDI. */
    public LiveState(int maxCameras, int trailLength, int maxEvents, long maxBytes) {
        init(maxCameras, trailLength, maxEvents, maxBytes);
    }

    @PostConstruct
    void init() {
        init(config.limits().maxCameras(), config.live().trailLength(), config.live().events(), config.live().maxBytes());
        enabled = config.live().enabled();
    }

    /** Whether the live view is on ({@code vitstream.live.enabled}); off, nothing is kept. */
    public boolean enabled() {
        return enabled;
    }

    private void init(int maxCameras, int trailLength, int maxEvents, long maxBytes) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("vitstream.live.max-bytes must be >= 1, got " + maxBytes);
        }
        this.maxBytes = maxBytes;
        if (trailLength < 1) {
            throw new IllegalArgumentException("vitstream.live.trail-length must be >= 1, got " + trailLength);
        }
        if (maxEvents < 0) {
            throw new IllegalArgumentException("vitstream.live.events must be >= 0, got " + maxEvents);
        }
        this.cameras = new RecentlySeen<>(maxCameras);
        this.trailLength = trailLength;
        this.maxEvents = maxEvents;
    }

    /**
     * The newest processed frame of a camera.
     *
     * @param bytes the frame as it was consumed (encoded image)
     * @param frame its lineage (with its size)
     * @param version grows by one per processed frame of the camera
     * @param processedAtMs when its results were acknowledged
     */
    public record LastFrame(String camera, byte[] bytes, FrameResult.FrameRef frame, long version, long processedAtMs) {}

    /** A track's recent centres, oldest first. */
    public record Trail(long trackId, List<double[]> points) {}

    /**
     * One camera as of its newest processed frame.
     *
     * @param fps frames processed per second over the last {@link #FPS_WINDOW_MS}
     * @param latencyMs capture to publish of the newest frame
     * @param detectionHead name of the first detection head with a result, or null
     * @param classificationHead name of the first classification head with a result, or null
     * @param events recent events as published, newest first
     */
    public record View(LastFrame last, double fps, double latencyMs, String detectionHead, HeadResult.Detections detections,
            String classificationHead, HeadResult.Classification classification, List<Trail> trails, List<JsonNode> events) {}

    /** Records acknowledged by Kafka (after the commit in exactly-once mode). */
    public void record(List<OutputRecord> records) {
        record(records, System.currentTimeMillis());
    }

    /**
     * {@link #record(List)} at a given time (tests). One caller at a time: acknowledgements may
     * come from several producer threads, and the byte budget spans cameras.
     */
    synchronized void record(List<OutputRecord> records, long now) {
        if (!enabled) {
            return;
        }
        String newest = null;
        for (OutputRecord r : records) {
            if (r.kind() == OutputRecord.Kind.RESULT && r.result() != null && r.result().status() == FrameResult.Status.OK) {
                cameras.computeIfAbsent(r.key(), c -> new CameraLive()).result(r, now, trailLength);
                newest = r.key();
            } else if (r.kind() == OutputRecord.Kind.EVENT && maxEvents > 0) {
                CameraLive c = cameras.get(r.key());
                if (c != null) {
                    c.event(r.value(), maxEvents);
                }
            }
        }
        if (newest != null) {
            keepWithinBudget(newest);
        }
    }

    /** Forgets the least recently updated cameras while the kept frames pass {@code vitstream.live.max-bytes}. */
    private void keepWithinBudget(String newest) {
        long[] total = {0};
        cameras.forEach((k, c) -> total[0] += c.bytes());
        keptBytes = total[0];
        while (keptBytes > maxBytes) {
            CameraLive evicted = cameras.removeEldestExcept(newest);
            if (evicted == null) {
                break; // the newest frame alone is over the budget: it is still shown
            }
            keptBytes -= evicted.bytes();
        }
    }

    /** Bytes of the frames kept now. */
    public synchronized long keptBytes() {
        return keptBytes;
    }

    /** The newest processed frame of a camera. */
    public Optional<LastFrame> lastFrame(String camera) {
        CameraLive c = cameras.get(camera);
        return c == null ? Optional.empty() : Optional.ofNullable(c.snapshot(System.currentTimeMillis()).last());
    }

    /** A camera's view; empty for a camera never processed (or forgotten). */
    public Optional<View> view(String camera) {
        return view(camera, System.currentTimeMillis());
    }

    /** {@link #view(String)} at a given time (tests). */
    Optional<View> view(String camera, long now) {
        CameraLive c = cameras.get(camera);
        return c == null ? Optional.empty() : Optional.of(c.snapshot(now));
    }

    /** Every camera kept, sorted. */
    public Set<String> known() {
        Set<String> names = new TreeSet<>();
        cameras.forEach((k, v) -> names.add(k));
        return names;
    }

    /** Each camera's version (processed frames), for telling which changed. */
    public Map<String, Long> versions() {
        Map<String, Long> out = new LinkedHashMap<>();
        cameras.forEach((k, v) -> out.put(k, v.version()));
        return out;
    }

    /** One camera's state; its own lock, as frames of one camera may be acknowledged from two threads. */
    private static final class CameraLive {
        private long version;
        private long firstMs;
        private LastFrame last;
        private double latencyMs;
        private final Deque<Long> processed = new ArrayDeque<>();
        private String detectionHead;
        private HeadResult.Detections detections;
        private String classificationHead;
        private HeadResult.Classification classification;
        /** Track id to recent centres; a track absent from {@code trailLength} frames in a row is dropped. */
        private final Map<Long, Deque<double[]>> trails = new LinkedHashMap<>();
        private final Map<Long, Long> lastSeen = new LinkedHashMap<>();
        private final Deque<JsonNode> events = new ArrayDeque<>();

        synchronized long version() {
            return version;
        }

        synchronized long bytes() {
            return last == null ? 0 : last.bytes().length;
        }

        synchronized void result(OutputRecord r, long now, int trailLength) {
            FrameResult fr = r.result();
            boolean newFrame = last == null || last.frame().offset() != fr.frame().offset()
                    || last.frame().partition() != fr.frame().partition() || !last.frame().topic().equals(fr.frame().topic());
            if (newFrame) {
                if (last != null && last.frame().partition() == fr.frame().partition() && fr.frame().offset() < last.frame().offset()
                        && last.frame().topic().equals(fr.frame().topic())) {
                    return; // an older frame acknowledged late: the page keeps the newest
                }
                if (version == 0) {
                    firstMs = now;
                }
                version++;
                last = new LastFrame(fr.camera(), r.source().bytes(), fr.frame(), version, now);
                latencyMs = fr.timings().totalMs();
                processed.addLast(now);
                while (!processed.isEmpty() && processed.peekFirst() < now - FPS_WINDOW_MS) processed.removeFirst();
                detections = null;
                classification = null;
            }
            if (fr.result() instanceof HeadResult.Detections d && (detectionHead == null || detectionHead.equals(fr.head()))) {
                detectionHead = fr.head();
                detections = d;
                trails(d, trailLength);
            } else if (fr.result() instanceof HeadResult.Classification c
                    && (classificationHead == null || classificationHead.equals(fr.head()))) {
                classificationHead = fr.head();
                classification = c;
            }
        }

        private void trails(HeadResult.Detections d, int trailLength) {
            for (var det : d.detections()) {
                if (det.trackId() == null) continue;
                Deque<double[]> t = trails.computeIfAbsent(det.trackId(), id -> new ArrayDeque<>());
                t.addLast(new double[] {(det.box().x1() + det.box().x2()) / 2, (det.box().y1() + det.box().y2()) / 2});
                while (t.size() > trailLength) t.removeFirst();
                lastSeen.put(det.trackId(), version);
            }
            for (Iterator<Map.Entry<Long, Long>> it = lastSeen.entrySet().iterator(); it.hasNext();) {
                Map.Entry<Long, Long> e = it.next();
                if (version - e.getValue() >= trailLength) {
                    trails.remove(e.getKey());
                    it.remove();
                }
            }
        }

        synchronized void event(byte[] value, int maxEvents) {
            try {
                events.addFirst(JSON.readTree(value));
            } catch (IOException e) {
                return; // we wrote it; cannot happen short of a bug, and the page is not the place to fail
            }
            while (events.size() > maxEvents) events.removeLast();
        }

        synchronized View snapshot(long now) {
            while (!processed.isEmpty() && processed.peekFirst() < now - FPS_WINDOW_MS) processed.removeFirst();
            double fps = fps(now);
            List<Trail> t = new ArrayList<>();
            trails.forEach((id, pts) -> {
                if (lastSeen.getOrDefault(id, -1L) == version) {
                    t.add(new Trail(id, List.copyOf(pts)));
                }
            });
            return new View(last, fps, latencyMs, detectionHead, detections, classificationHead, classification, t,
                    List.copyOf(events));
        }

        /**
         * Frames processed in the last {@link #FPS_WINDOW_MS} over that window (over the time since
         * the camera's first frame while that is shorter, at least a second): a burst of frames
         * acknowledged together, as after a restart, does not read as a camera at 30 frames/s.
         */
        private double fps(long now) {
            if (processed.isEmpty()) {
                return 0;
            }
            long span = Math.max(1000, Math.min(FPS_WINDOW_MS, now - firstMs));
            return processed.size() * 1000.0 / span;
        }
    }
}
