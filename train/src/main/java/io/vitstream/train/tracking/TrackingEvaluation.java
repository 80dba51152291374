package io.vitstream.train.tracking;

import io.vitstream.analytics.AnalyticsSettings;
import io.vitstream.analytics.CameraAnalytics;
import io.vitstream.analytics.Observation;
import io.vitstream.analytics.sequences.FrameEvent;
import io.vitstream.analytics.sequences.TruthEvents;
import io.vitstream.analytics.sequences.TruthFrame;
import io.vitstream.analytics.sequences.TruthObject;
import io.vitstream.train.eval.EventMetrics;
import io.vitstream.train.eval.TrackingMetrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One {@link CameraAnalytics} per sequence, fed a detector's boxes frame by frame at the frames'
 * capture times; its confirmed tracks scored against the truth ({@link TrackingMetrics}) and its
 * events against the truth's events ({@link TruthEvents}, {@link EventMetrics}).
 *
 * <p>A track box is a detection the tracker gave a confirmed track id on that frame (as the
 * service publishes them); tentative detections are not. Truth counts on the frames an item is
 * drawn; an item with less than {@code minInFrame} of its box inside the frame is ignored
 * (detectors trained on whole items rarely find a sliver at the edge, and it should not count
 * either way).
 *
 * @param settings what each sequence's {@link CameraAnalytics} gets; its anchor, dwell and line
 *     tolerance also define the true events
 * @param minInFrame least share of an item's box inside the frame for its truth to count
 * @param eventWindow largest frame difference of a reported and a true event that match
 */
public record TrackingEvaluation(AnalyticsSettings settings, double minInFrame, int eventWindow) {

    /** What one sequence gave. */
    public record Outcome(String name, TrackingMetrics.Counts tracking, Map<String, EventMetrics.Counts> events, long detections) {

        /** The sum of several sequences' outcomes. */
        public static Outcome total(List<Outcome> all) {
            TrackingMetrics.Counts t = TrackingMetrics.Counts.ZERO;
            Map<String, EventMetrics.Counts> e = new TreeMap<>();
            long d = 0;
            for (Outcome o : all) {
                t = t.plus(o.tracking);
                o.events.forEach((k, v) -> e.merge(k, v, EventMetrics.Counts::plus));
                d += o.detections;
            }
            return new Outcome("all", t, e, d);
        }
    }

    public TrackingEvaluation {
        if (!(minInFrame >= 0 && minInFrame <= 1)) throw new IllegalArgumentException("--min-in-frame must be in [0, 1], got " + minInFrame);
        if (eventWindow < 0) throw new IllegalArgumentException("--event-window must be >= 0 frames, got " + eventWindow);
    }

    /** Detects, tracks and scores one sequence. */
    public Outcome run(EvalSequence s, Detector detector) {
        List<List<Observation>> detections = detector.detect(s);
        return score(s, detections);
    }

    /** Tracks and scores one sequence's given detections (one list per frame). */
    public Outcome score(EvalSequence s, List<List<Observation>> detections) {
        if (detections.size() != s.truth().size()) {
            throw new IllegalStateException(s.name() + ": " + detections.size() + " frames of detections for " + s.truth().size() + " frames");
        }
        CameraAnalytics analytics = new CameraAnalytics(s.config(), settings);
        List<TrackingMetrics.Frame> frames = new ArrayList<>();
        List<FrameEvent> reported = new ArrayList<>();
        long count = 0;
        for (int f = 0; f < s.truth().size(); f++) {
            TruthFrame truth = s.truth().get(f);
            List<Observation> dets = detections.get(f);
            count += dets.size();
            CameraAnalytics.Outcome out = analytics.update(dets, truth.timeMs());
            List<TrackingMetrics.Box> tracks = new ArrayList<>();
            for (int k = 0; k < dets.size(); k++) {
                long id = out.trackIds()[k];
                Observation d = dets.get(k);
                if (id != 0) tracks.add(new TrackingMetrics.Box(id, d.x1(), d.y1(), d.x2(), d.y2()));
            }
            out.events().forEach(e -> reported.add(FrameEvent.of(truth.index(), e)));
            frames.add(truthFrame(truth, tracks));
        }
        List<FrameEvent> expected = TruthEvents.of(s.truth(), s.config(), settings);
        return new Outcome(s.name(), TrackingMetrics.sequence(frames), EventMetrics.sequence(expected, reported, eventWindow), count);
    }

    private TrackingMetrics.Frame truthFrame(TruthFrame truth, List<TrackingMetrics.Box> tracks) {
        List<TrackingMetrics.Box> counted = new ArrayList<>();
        List<TrackingMetrics.Box> ignored = new ArrayList<>();
        for (TruthObject o : truth.objects()) {
            if (!o.visible()) continue;
            TrackingMetrics.Box b = new TrackingMetrics.Box(o.id(), o.x1(), o.y1(), o.x2(), o.y2());
            (o.inFrame() >= minInFrame ? counted : ignored).add(b);
        }
        return new TrackingMetrics.Frame(counted, ignored, tracks);
    }
}
