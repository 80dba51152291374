package io.vitstream.stream.analytics;

import io.vitstream.analytics.AnalyticsEvent;
import io.vitstream.analytics.AnalyticsSettings;
import io.vitstream.analytics.CameraAnalytics;
import io.vitstream.analytics.CameraConfig;
import io.vitstream.analytics.Duplicates;
import io.vitstream.analytics.Observation;
import io.vitstream.results.Detection;
import io.vitstream.results.Event;
import io.vitstream.results.FrameResult;
import io.vitstream.results.HeadResult;
import io.vitstream.results.ResultsJson;
import io.vitstream.stream.pipeline.Frame;
import io.vitstream.stream.pipeline.Headers;
import io.vitstream.stream.pipeline.OutputRecord;

import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Tracking, lines, zones and dwell over one micro-batch's records, camera by camera in frame
 * order: the tracked head's detection results get their {@code track_id}s, each frame's events
 * are added after its results, and each camera touched gets one state checkpoint after the batch.
 * All of them go out with the batch's other records, so in exactly-once mode they are in the
 * same transaction as the consumed offsets.
 *
 * <p>State is changed tentatively: {@link #commit()} makes the batch's states the committed ones
 * (exactly-once: after its transaction commits; at-least-once: at once), {@link #rollback()}
 * puts the cameras back to their committed state (the transaction aborted and the frames come
 * again). A frame at or before its camera's checkpointed position was applied already (frames
 * consumed again after a restart) and changes nothing: its detections go out without track ids
 * and it gives no events.
 *
 * <p>Not thread-safe by itself: the deliveries call it from their one processing thread; the
 * views for the REST API are copies ({@link #views()}).
 */
public final class AnalyticsStage {

    private static final Logger LOG = Logger.getLogger(AnalyticsStage.class);

    /** What the REST API shows of a camera, as of its last processed frame. */
    public record View(String camera, Map<String, Map<String, Map<String, Map<String, Long>>>> counts,
            List<CameraAnalytics.TrackView> tracks, CameraConfig config, String lastFrame) {}

    private final String head;
    private final AnalyticsSettings settings;
    private final double duplicateIou;
    private final Function<String, CameraConfig> configs;
    private final Supplier<Map<String, Checkpoint>> stored;
    private final String eventsTopic;
    private final String stateTopic;
    private final Map<String, Live> live = new HashMap<>();
    private final Map<String, Checkpoint> committed = new HashMap<>();
    private final Map<String, Checkpoint> pending = new LinkedHashMap<>();
    /** The last frame of each camera in the batch: the source of its checkpoint record. */
    private final Map<String, Frame> lastFrames = new LinkedHashMap<>();
    /** The batch's events by type, counted once it is published. */
    private final Map<String, Long> pendingEvents = new java.util.TreeMap<>();
    private final Map<String, View> views = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile boolean reload = true;

    private record Live(CameraAnalytics analytics, CameraConfig config) {}

    /**
     * @param head the detection head tracked
     * @param duplicateIou of two boxes overlapping by more than this IoU only the higher-scoring one is tracked ({@link Duplicates}); 1: all
     * @param configs each camera's lines and zones now
     * @param stored reads every camera's checkpoint from the state topic (blocking)
     */
    public AnalyticsStage(String head, AnalyticsSettings settings, double duplicateIou, Function<String, CameraConfig> configs,
            Supplier<Map<String, Checkpoint>> stored, String eventsTopic, String stateTopic) {
        this.head = head;
        this.settings = settings;
        this.duplicateIou = duplicateIou;
        this.configs = configs;
        this.stored = stored;
        this.eventsTopic = eventsTopic;
        this.stateTopic = stateTopic;
    }

    /** The detection head whose results are tracked. */
    public String head() {
        return head;
    }

    /** Partitions were assigned: the checkpoints are read again before the next batch. */
    public void reassigned() {
        reload = true;
    }

    /**
     * The batch's records with track ids, events and checkpoints added; the state changes stay
     * pending until {@link #commit()} or {@link #rollback()}.
     *
     * @throws IllegalStateException when the checkpoints must be read and cannot be (the batch is then consumed again)
     */
    public synchronized List<OutputRecord> apply(List<OutputRecord> records) {
        try {
            return applyPending(records);
        } catch (RuntimeException e) {
            // The batch is consumed again: the cameras it changed go back to their committed state.
            rollback();
            throw e;
        }
    }

    private List<OutputRecord> applyPending(List<OutputRecord> records) {
        reloadIfNeeded();
        List<OutputRecord> out = new ArrayList<>(records.size() + 8);
        for (OutputRecord r : records) {
            if (r.kind() == OutputRecord.Kind.RESULT && r.result() != null && head.equals(r.result().head())
                    && r.result().result() instanceof HeadResult.Detections d) {
                track(r, d, out);
            } else {
                out.add(r);
            }
        }
        // One checkpoint and one view per camera and batch, after its last frame.
        lastFrames.forEach((camera, f) -> {
            Live l = live.get(camera);
            Checkpoint cp = new Checkpoint(camera, f.topic(), f.partition(), f.offset(), l.analytics().snapshot());
            pending.put(camera, cp);
            views.put(camera, view(camera, l, f.position()));
            out.add(new OutputRecord(stateTopic, camera, cp.toBytes(), Map.of(Headers.CONTENT_TYPE, "application/json"), f,
                    OutputRecord.Kind.STATE, null));
        });
        return out;
    }

    private void track(OutputRecord r, HeadResult.Detections d, List<OutputRecord> out) {
        Frame f = r.source();
        Frame earlier = lastFrames.get(f.camera());
        Checkpoint at = committed.get(f.camera());
        boolean applied = earlier != null ? earlier.topic().equals(f.topic()) && earlier.partition() == f.partition()
                && f.offset() <= earlier.offset() : at != null && at.covers(f.topic(), f.partition(), f.offset());
        if (applied) {
            LOG.debugf("frame %s of camera '%s' was tracked before the restart; no track ids or events again", f.position(), f.camera());
            out.add(r);
            return;
        }
        Live l = live(f.camera());
        // Only well-formed boxes reach the tracker (it refuses a frame with any other), and of
        // duplicates only the best; a detection left out keeps no track id.
        List<Detection> all = d.detections();
        List<Integer> wellFormed = new ArrayList<>(all.size());
        List<Observation> candidates = new ArrayList<>(all.size());
        for (int i = 0; i < all.size(); i++) {
            Detection x = all.get(i);
            if (trackable(x)) {
                wellFormed.add(i);
                candidates.add(new Observation(x.box().x1(), x.box().y1(), x.box().x2(), x.box().y2(), x.score(), x.labelId(), x.label()));
            }
        }
        List<Integer> best = Duplicates.kept(candidates, duplicateIou);
        List<Integer> kept = best.stream().map(wellFormed::get).toList();
        List<Observation> obs = best.stream().map(candidates::get).toList();
        CameraAnalytics.Outcome o = l.analytics().update(obs, f.captureTimeMs());
        List<Detection> tracked = new ArrayList<>(all);
        for (int k = 0; k < kept.size(); k++) {
            long id = o.trackIds()[k];
            if (id > 0) {
                tracked.set(kept.get(k), all.get(kept.get(k)).withTrackId(id));
            }
        }
        FrameResult fr = r.result();
        FrameResult withIds = new FrameResult(fr.schema(), fr.camera(), fr.head(), fr.status(), fr.skipReason(), fr.frame(), fr.model(),
                fr.timings(), fr.publishedAtMs(), new HeadResult.Detections(tracked));
        out.add(new OutputRecord(r.topic(), r.key(), ResultsJson.write(withIds), r.headers(), f, r.kind(), withIds));
        for (AnalyticsEvent e : o.events()) {
            Event ev = new Event(Event.SCHEMA, e.type(), f.camera(), e.trackId(), e.label(), e.labelId(), e.line(), e.zone(),
                    e.direction(), e.dwellMs(), fr.frame(), e.counts(), System.currentTimeMillis());
            out.add(new OutputRecord(eventsTopic, f.camera(), ResultsJson.write(ev), Map.of(Headers.CONTENT_TYPE, "application/json"),
                    f, OutputRecord.Kind.EVENT, null));
        }
        o.events().forEach(e -> pendingEvents.merge(e.type(), 1L, Long::sum));
        lastFrames.put(f.camera(), f);
    }

    private static boolean trackable(Detection x) {
        return x.label() != null && x.box() != null && Float.isFinite(x.box().x1()) && Float.isFinite(x.box().y1())
                && Float.isFinite(x.box().x2()) && Float.isFinite(x.box().y2()) && x.box().x2() >= x.box().x1()
                && x.box().y2() >= x.box().y1() && Float.isFinite(x.score());
    }

    /** The camera's analytics, created on its first frame, reconfigured when its lines or zones changed. */
    private Live live(String camera) {
        CameraConfig now = configs.apply(camera);
        Live l = live.get(camera);
        if (l == null) {
            l = new Live(new CameraAnalytics(now, settings), now);
            live.put(camera, l);
        } else if (l.config() != now) {
            l.analytics().reconfigure(now);
            l = new Live(l.analytics(), now);
            live.put(camera, l);
            LOG.infof("camera '%s' reconfigured: %s", camera, CameraConfigs.describe(now));
        }
        return l;
    }

    /**
     * The batch is published: its states become the committed ones.
     *
     * @return the batch's events by type
     */
    public synchronized Map<String, Long> commit() {
        committed.putAll(pending);
        Map<String, Long> events = Map.copyOf(pendingEvents);
        pending.clear();
        lastFrames.clear();
        pendingEvents.clear();
        return events;
    }

    /** The batch was not published (its frames come again): its cameras go back to their committed states. */
    public synchronized void rollback() {
        java.util.Set<String> touched = new java.util.LinkedHashSet<>(lastFrames.keySet());
        touched.addAll(pending.keySet());
        for (String camera : touched) {
            Checkpoint cp = committed.get(camera);
            if (cp == null) {
                live.remove(camera);
                views.remove(camera);
            } else {
                restore(cp);
            }
        }
        pending.clear();
        lastFrames.clear();
        pendingEvents.clear();
    }

    private void restore(Checkpoint cp) {
        CameraConfig c = configs.apply(cp.camera());
        Live l = new Live(CameraAnalytics.restore(c, settings, cp.snapshot()), c);
        live.put(cp.camera(), l);
        views.put(cp.camera(), view(cp.camera(), l, cp.topic() + "/" + cp.partition() + "@" + cp.offset()));
    }

    /**
     * Reads the checkpoints (at start, after a rebalance): a camera whose stored state is further
     * along than the one held here (another instance processed it meanwhile) continues from it.
     */
    private void reloadIfNeeded() {
        if (!reload) {
            return;
        }
        Map<String, Checkpoint> read = stored.get();
        int restored = 0;
        for (Checkpoint cp : read.values()) {
            Checkpoint mine = committed.get(cp.camera());
            if (mine != null && mine.notBehind(cp)) {
                continue;
            }
            committed.put(cp.camera(), cp);
            restore(cp);
            restored++;
        }
        reload = false;
        LOG.infof("analytics state: %d cameras checkpointed, %d continued from their checkpoint", read.size(), restored);
    }

    private static View view(String camera, Live l, String lastFrame) {
        return new View(camera, l.analytics().counts(), l.analytics().tracks(), l.config(), lastFrame);
    }

    /** Every camera's counts and tracks, as of its last processed frame. */
    public Map<String, View> views() {
        return java.util.Collections.unmodifiableMap(views);
    }

    /** One camera's view. */
    public Optional<View> view(String camera) {
        return Optional.ofNullable(views.get(camera));
    }
}
