package io.vitstream.analytics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON form of a {@link CameraAnalytics}' state. Doubles are written so that they read back
 * bit for bit: as JSON numbers in the form of {@link Double#toString(double)}, which parses back
 * exactly, and a track's filter (14 doubles) as base64 of their IEEE 754 bits, big-endian, which
 * is about half as long.
 *
 * <pre>{"format": 1, "frames": 1234, "nextId": 18,
 *  "config": {"lines": {...}, "zones": {...}},                        (as CameraConfig#toJson)
 *  "counts": {"lines": {"door": {"person": [in, out]}},
 *             "zones": {"till": {"person": [enter, exit, dwell]}}},
 *  "tracks": [{"id": 17, "hits": 9, "misses": 0,                      (id 0: tentative)
 *              "kf": "base64 of cx, cy, w, h, their velocities, (pp, pv, vv) of the cx/w and cy/h blocks",
 *              "votes": [[labelId, "label", sum of scores], ...],
 *              "birth": [x1, y1, x2, y2],                              (only while it is kept)
 *              "seen": ms, "at": [x, y],                                (confirmed tracks:)
 *              "lines": [[side], [side, x, y], ...],                   (point omitted when it is "at")
 *              "zones": [null, [enteredMs, dwelled 0/1], ...]}]}</pre>
 * Per-track lines and zones follow the config's order.
 */
final class Snapshots {

    static final int FORMAT = 1;

    private Snapshots() {}

    static String write(CameraAnalytics analytics) {
        ObjectNode root = CameraConfig.JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("frames", analytics.framesSeen());
        root.put("nextId", analytics.tracker().nextId());
        root.set("config", analytics.config().toJsonTree());
        ObjectNode counts = root.putObject("counts");
        writeCounts(counts.putObject("lines"), analytics.rawCounts().lines());
        writeCounts(counts.putObject("zones"), analytics.rawCounts().zones());
        ArrayNode tracks = root.putArray("tracks");
        for (Track track : analytics.tracker().tracks()) {
            ObjectNode node = tracks.addObject();
            writeTrack(node, track);
            TrackPlaces memory = analytics.places().get(track);
            if (memory != null) {
                writePlaces(node, memory);
            }
        }
        return root.toString();
    }

    private static void writeCounts(ObjectNode out, Map<String, Map<String, long[]>> counts) {
        counts.forEach((name, byLabel) -> {
            ObjectNode labels = out.putObject(name);
            byLabel.forEach((label, values) -> {
                ArrayNode array = labels.putArray(label);
                for (long value : values) {
                    array.add(value);
                }
            });
        });
    }

    private static void writeTrack(ObjectNode node, Track track) {
        node.put("id", track.id());
        node.put("hits", track.hits());
        node.put("misses", track.misses());
        node.put("kf", pack(track.filter().state()));
        ArrayNode votes = node.putArray("votes");
        for (LabelVotes.Vote vote : track.votes().votes()) {
            votes.addArray().add(vote.labelId()).add(vote.label()).add(vote.total());
        }
        double[] birth = track.birthBox();
        if (birth != null) {
            node.putArray("birth").add(birth[0]).add(birth[1]).add(birth[2]).add(birth[3]);
        }
    }

    private static void writePlaces(ObjectNode node, TrackPlaces memory) {
        node.put("seen", memory.seenMs);
        node.putArray("at").add(memory.anchorX).add(memory.anchorY);
        ArrayNode lines = node.putArray("lines");
        for (int k = 0; k < memory.side.length; k++) {
            ArrayNode line = lines.addArray().add(memory.side[k]);
            boolean atAnchor = Double.compare(memory.sideX[k], memory.anchorX) == 0
                    && Double.compare(memory.sideY[k], memory.anchorY) == 0;
            if (!atAnchor) {
                line.add(memory.sideX[k]).add(memory.sideY[k]);
            }
        }
        ArrayNode zones = node.putArray("zones");
        for (int k = 0; k < memory.inside.length; k++) {
            if (memory.inside[k]) {
                zones.addArray().add(memory.enteredMs[k]).add(memory.dwelled[k] ? 1 : 0);
            } else {
                zones.addNull();
            }
        }
    }

    /**
     * Reads a snapshot back, with the config it was taken with.
     *
     * @throws IllegalArgumentException when it is not a snapshot of this format
     */
    static CameraAnalytics read(String snapshot, AnalyticsSettings settings) {
        JsonNode root;
        try {
            root = CameraConfig.JSON.readTree(snapshot);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("camera analytics snapshot is not JSON: " + e.getOriginalMessage(), e);
        }
        try {
            return read(root, settings);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("camera analytics snapshot is not readable: " + e.getMessage(), e);
        }
    }

    private static CameraAnalytics read(JsonNode root, AnalyticsSettings settings) {
        int format = required(root, "format").asInt();
        if (format != FORMAT) {
            throw new IllegalArgumentException("format " + format + ", this code reads format " + FORMAT);
        }
        CameraConfig config = CameraConfig.fromJson(required(root, "config"));
        List<Track> tracks = new ArrayList<>();
        Map<Track, TrackPlaces> places = new IdentityHashMap<>();
        for (JsonNode node : required(root, "tracks")) {
            Track track = readTrack(node);
            tracks.add(track);
            if (track.confirmed()) {
                places.put(track, readPlaces(node, config));
            }
        }
        Tracker tracker = new Tracker(settings.tracker(), tracks, required(root, "nextId").asLong());
        CameraAnalytics analytics =
                new CameraAnalytics(config, settings, tracker, places, required(root, "frames").asLong());
        JsonNode counts = required(root, "counts");
        readCounts(required(counts, "lines"), analytics.rawCounts().lines());
        readCounts(required(counts, "zones"), analytics.rawCounts().zones());
        return analytics;
    }

    private static Track readTrack(JsonNode node) {
        LabelVotes votes = new LabelVotes();
        for (JsonNode vote : required(node, "votes")) {
            votes.add(vote.get(0).asInt(), vote.get(1).asText(), vote.get(2).asDouble());
        }
        JsonNode birth = node.get("birth");
        return Track.restored(BoxKalman.fromState(unpack(required(node, "kf").asText())), votes,
                required(node, "id").asLong(), required(node, "hits").asInt(), required(node, "misses").asInt(),
                birth == null ? null : doubles(birth));
    }

    private static TrackPlaces readPlaces(JsonNode node, CameraConfig config) {
        TrackPlaces memory = new TrackPlaces(config.lines().size(), config.zones().size());
        memory.seenMs = required(node, "seen").asLong();
        double[] at = doubles(required(node, "at"));
        memory.anchorX = at[0];
        memory.anchorY = at[1];
        JsonNode lines = required(node, "lines");
        for (int k = 0; k < memory.side.length; k++) {
            JsonNode line = lines.get(k);
            memory.side[k] = line.get(0).asInt();
            memory.sideX[k] = line.size() > 1 ? line.get(1).asDouble() : at[0];
            memory.sideY[k] = line.size() > 1 ? line.get(2).asDouble() : at[1];
        }
        JsonNode zones = required(node, "zones");
        for (int k = 0; k < memory.inside.length; k++) {
            JsonNode zone = zones.get(k);
            if (!zone.isNull()) {
                memory.inside[k] = true;
                memory.enteredMs[k] = zone.get(0).asLong();
                memory.dwelled[k] = zone.get(1).asInt() != 0;
            }
        }
        return memory;
    }

    private static void readCounts(JsonNode node, Map<String, Map<String, long[]>> into) {
        for (Map.Entry<String, JsonNode> name : node.properties()) {
            Map<String, long[]> byLabel = into.get(name.getKey());
            if (byLabel == null) {
                throw new IllegalArgumentException("counts of '" + name.getKey() + "', which its config does not have");
            }
            for (Map.Entry<String, JsonNode> label : name.getValue().properties()) {
                long[] values = new long[label.getValue().size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = label.getValue().get(i).asLong();
                }
                byLabel.put(label.getKey(), values);
            }
        }
    }

    private static JsonNode required(JsonNode node, String member) {
        JsonNode value = node.get(member);
        if (value == null) {
            throw new IllegalArgumentException("'" + member + "' is missing");
        }
        return value;
    }

    private static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asDouble();
        }
        return out;
    }

    /** Base64 of the doubles' IEEE 754 bits, big-endian, no padding. */
    static String pack(double[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(8 * values.length);
        for (double value : values) {
            bytes.putDouble(value);
        }
        return Base64.getEncoder().withoutPadding().encodeToString(bytes.array());
    }

    static double[] unpack(String text) {
        ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(text));
        double[] values = new double[bytes.remaining() / 8];
        for (int i = 0; i < values.length; i++) {
            values[i] = bytes.getDouble();
        }
        return values;
    }
}
