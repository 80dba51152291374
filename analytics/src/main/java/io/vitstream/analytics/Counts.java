package io.vitstream.analytics;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Running counts of one camera per line and per zone (in the config's order), per class (sorted
 * by name): crossings in and out; zone enters, exits and dwells.
 */
final class Counts {

    /** The names of a line's counts, in their order in the arrays. */
    static final List<String> LINE_KEYS = List.of("in", "out");
    /** The names of a zone's counts, in their order in the arrays. */
    static final List<String> ZONE_KEYS = List.of("enter", "exit", "dwell");
    static final int ENTER = 0;
    static final int EXIT = 1;
    static final int DWELL = 2;

    private final Map<String, Map<String, long[]>> lines = new LinkedHashMap<>();
    private final Map<String, Map<String, long[]>> zones = new LinkedHashMap<>();

    Counts(CameraConfig config) {
        reconfigure(config);
    }

    /** Keeps the counts of the names that stay, starts new names at 0, drops the others. */
    void reconfigure(CameraConfig config) {
        Map<String, Map<String, long[]>> oldLines = new LinkedHashMap<>(lines);
        Map<String, Map<String, long[]>> oldZones = new LinkedHashMap<>(zones);
        lines.clear();
        zones.clear();
        config.lines().forEach(line -> lines.put(line.name(), oldLines.getOrDefault(line.name(), new TreeMap<>())));
        config.zones().forEach(zone -> zones.put(zone.name(), oldZones.getOrDefault(zone.name(), new TreeMap<>())));
    }

    /**
     * Counts a crossing.
     *
     * @return the line's counts after it, {@code {label: {"in": n, "out": m}}}
     */
    Map<String, Map<String, Long>> addLine(String line, String label, LineSpec.Direction direction) {
        Map<String, long[]> byLabel = lines.get(line);
        byLabel.computeIfAbsent(label, l -> new long[LINE_KEYS.size()])[direction.ordinal()]++;
        return view(byLabel, LINE_KEYS, null);
    }

    /**
     * Counts a zone event.
     *
     * @param kind {@link #ENTER}, {@link #EXIT} or {@link #DWELL}
     * @return the zone's counts after it, {@code {label: {"enter": n, "exit": m, "dwell": k}}}
     */
    Map<String, Map<String, Long>> addZone(String zone, String label, int kind) {
        Map<String, long[]> byLabel = zones.get(zone);
        byLabel.computeIfAbsent(label, l -> new long[ZONE_KEYS.size()])[kind]++;
        return view(byLabel, ZONE_KEYS, null);
    }

    /**
     * Everything, for the REST API: {@code {"lines": {name: {label: {"in", "out"}}}, "zones":
     * {name: {label: {"enter", "exit", "dwell", "inside"}}}}.
     *
     * @param inside per zone, per label, how many confirmed tracks are inside now
     */
    Map<String, Map<String, Map<String, Map<String, Long>>>> view(Map<String, Map<String, Long>> inside) {
        Map<String, Map<String, Map<String, Long>>> lineViews = new LinkedHashMap<>();
        lines.forEach((name, byLabel) -> lineViews.put(name, view(byLabel, LINE_KEYS, null)));
        Map<String, Map<String, Map<String, Long>>> zoneViews = new LinkedHashMap<>();
        zones.forEach((name, byLabel) ->
                zoneViews.put(name, view(byLabel, ZONE_KEYS, inside.getOrDefault(name, Map.of()))));
        Map<String, Map<String, Map<String, Map<String, Long>>>> all = new LinkedHashMap<>();
        all.put("lines", Collections.unmodifiableMap(lineViews));
        all.put("zones", Collections.unmodifiableMap(zoneViews));
        return Collections.unmodifiableMap(all);
    }

    /**
     * One line's or zone's counts as maps, labels sorted; with {@code inside} not null (zones for
     * the REST API) every label also gets {@code "inside"}, and labels only inside appear too.
     */
    private static Map<String, Map<String, Long>> view(Map<String, long[]> byLabel, List<String> keys,
            Map<String, Long> inside) {
        TreeMap<String, long[]> labels = new TreeMap<>(byLabel);
        if (inside != null) {
            inside.keySet().forEach(label -> labels.putIfAbsent(label, new long[keys.size()]));
        }
        Map<String, Map<String, Long>> out = new LinkedHashMap<>();
        labels.forEach((label, counts) -> {
            Map<String, Long> named = new LinkedHashMap<>();
            for (int k = 0; k < keys.size(); k++) {
                named.put(keys.get(k), counts[k]);
            }
            if (inside != null) {
                named.put("inside", inside.getOrDefault(label, 0L));
            }
            out.put(label, Collections.unmodifiableMap(named));
        });
        return Collections.unmodifiableMap(out);
    }

    /** The raw counts by line name, then label, for snapshots. */
    Map<String, Map<String, long[]>> lines() {
        return lines;
    }

    /** The raw counts by zone name, then label, for snapshots. */
    Map<String, Map<String, long[]>> zones() {
        return zones;
    }
}
