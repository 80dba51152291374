package io.vitstream.analytics.sequences;

import io.vitstream.analytics.AnalyticsEvent;
import io.vitstream.analytics.AnalyticsSettings;
import io.vitstream.analytics.CameraConfig;
import io.vitstream.analytics.LineSpec;
import io.vitstream.analytics.Point;
import io.vitstream.analytics.ZoneSpec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The events a perfect detector and tracker would report on a sequence, by the rules of
 * {@link io.vitstream.analytics.CameraAnalytics}, from the ground-truth boxes.
 *
 * <p>Only frames where an item is drawn count ({@link TruthObject#visible()}): an occluded item
 * is not seen, so like a tracker the truth learns of a line crossed or a zone boundary passed
 * behind an occluder on the first frame the item shows again. The anchor is taken from the
 * visible box (clipped by the frame's edges), as a detector would report it.
 * <ul>
 * <li>{@code line-cross}: the anchor's side of a line ({@link LineSpec#side} with the settings'
 * tolerance, so points on the line do not count) differs from its last side off the line, and the
 * move from that point to this one crosses the segment ({@link LineSpec#crossing}, which also
 * gives the direction).
 * <li>{@code zone-enter}: the anchor is inside a zone and was not on the item's previous visible
 * frame, or this is the item's first visible frame.
 * <li>{@code zone-exit}: the anchor is outside a zone it was inside; or the item leaves the
 * frame while inside (reported on the first frame it is gone; a tracker only notices when it
 * drops the track, so zones should not reach the frame's edges). Items still inside when the
 * sequence ends never exit.
 * <li>{@code dwell}: once per visit, on the first visible frame whose capture time is at least
 * {@link AnalyticsSettings#dwell()} after the visit's zone-enter.
 * </ul>
 * Events of one frame come in item id order, then lines and zones in the configuration's order.
 */
public final class TruthEvents {

    private TruthEvents() {}

    /** What the truth remembers of one item. */
    private static final class State {
        final Point[] lastOff;
        final int[] lastSide;
        final boolean[] inside;
        final long[] enteredMs;
        final boolean[] dwelt;

        State(int lines, int zones) {
            lastOff = new Point[lines];
            lastSide = new int[lines];
            inside = new boolean[zones];
            enteredMs = new long[zones];
            dwelt = new boolean[zones];
        }
    }

    /** The events of a sequence's frames, in frame order. */
    public static List<FrameEvent> of(List<TruthFrame> frames, CameraConfig config, AnalyticsSettings settings) {
        List<LineSpec> lines = config.lines();
        List<ZoneSpec> zones = config.zones();
        Map<Integer, State> states = new HashMap<>();
        Map<Integer, String> labels = new HashMap<>();
        List<FrameEvent> out = new ArrayList<>();
        for (int f = 0; f < frames.size(); f++) {
            TruthFrame frame = frames.get(f);
            List<Integer> present = new ArrayList<>();
            for (TruthObject o : frame.objects()) {
                present.add(o.id());
                labels.put(o.id(), o.label());
                State st = states.computeIfAbsent(o.id(), k -> new State(lines.size(), zones.size()));
                if (!o.visible()) continue;
                Point p = settings.anchor().of(o.x1(), o.y1(), o.x2(), o.y2());
                crossings(f, o, p, st, lines, settings.lineTolerance(), out);
                zoneChanges(f, frame.timeMs(), o, p, st, zones, settings.dwell().toMillis(), out);
            }
            // Items gone from the frame since the previous one leave the zones they were in.
            if (f > 0) {
                for (TruthObject o : frames.get(f - 1).objects()) {
                    if (present.contains(o.id())) continue;
                    State st = states.remove(o.id());
                    for (int z = 0; z < zones.size(); z++) {
                        if (st.inside[z]) {
                            out.add(new FrameEvent(f, AnalyticsEvent.ZONE_EXIT, o.id(), labels.get(o.id()), null,
                                    zones.get(z).name(), null, frame.timeMs() - st.enteredMs[z]));
                        }
                    }
                }
            }
        }
        out.sort(java.util.Comparator.comparingInt(FrameEvent::frame).thenComparingLong(FrameEvent::id));
        return out;
    }

    private static void crossings(int f, TruthObject o, Point p, State st, List<LineSpec> lines, double tolerance,
            List<FrameEvent> out) {
        for (int l = 0; l < lines.size(); l++) {
            LineSpec line = lines.get(l);
            int side = line.side(p, tolerance);
            if (side == 0) continue;
            if (st.lastOff[l] != null && st.lastSide[l] != side) {
                Optional<LineSpec.Direction> d = line.crossing(st.lastOff[l], p);
                if (d.isPresent()) {
                    out.add(new FrameEvent(f, AnalyticsEvent.LINE_CROSS, o.id(), o.label(), line.name(), null, d.get().wire(), null));
                }
            }
            st.lastOff[l] = p;
            st.lastSide[l] = side;
        }
    }

    private static void zoneChanges(int f, long timeMs, TruthObject o, Point p, State st, List<ZoneSpec> zones, long dwellMs,
            List<FrameEvent> out) {
        for (int z = 0; z < zones.size(); z++) {
            String name = zones.get(z).name();
            boolean in = zones.get(z).contains(p);
            if (in && !st.inside[z]) {
                out.add(new FrameEvent(f, AnalyticsEvent.ZONE_ENTER, o.id(), o.label(), null, name, null, null));
                st.enteredMs[z] = timeMs;
                st.dwelt[z] = false;
            } else if (!in && st.inside[z]) {
                out.add(new FrameEvent(f, AnalyticsEvent.ZONE_EXIT, o.id(), o.label(), null, name, null, timeMs - st.enteredMs[z]));
            }
            st.inside[z] = in;
            if (in && !st.dwelt[z] && timeMs - st.enteredMs[z] >= dwellMs) {
                out.add(new FrameEvent(f, AnalyticsEvent.DWELL, o.id(), o.label(), null, name, null, timeMs - st.enteredMs[z]));
                st.dwelt[z] = true;
            }
        }
    }
}
