package io.vitstream.train.cli;

import io.vitstream.analytics.AnalyticsSettings;
import io.vitstream.analytics.Anchor;
import io.vitstream.analytics.CameraConfig;
import io.vitstream.analytics.TrackerSettings;
import io.vitstream.analytics.sequences.DemoCamera;
import io.vitstream.analytics.sequences.SequenceSettings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/** The options of {@code make-sequences} and {@code evaluate-tracking} that describe sequences and their events. */
final class SequenceOptions {

    private SequenceOptions() {}

    /** The generator's settings from {@code --size --frames --fps --objects ...}. */
    static SequenceSettings settings(Args a) {
        SequenceSettings d = SequenceSettings.DEFAULT;
        int[] size = size(a.string("size", d.width() + "x" + d.height()));
        return new SequenceSettings(size[0], size[1], a.integer("frames", d.frames()), a.number("fps", d.fps()),
                a.integer("objects", d.objects()), a.number("min-scale", d.minScale()), a.number("max-scale", d.maxScale()),
                a.number("min-speed", d.minSpeed()), a.number("max-speed", d.maxSpeed()), a.number("noise", d.noise()),
                a.number("occlusion", d.occlusionProbability()), a.integer("max-occlusion", d.maxOcclusion()),
                a.number("max-overlap", d.maxOverlap()));
    }

    /** {@code --config FILE} (camera-config JSON), else {@link DemoCamera}'s line and zone for the frame size. */
    static CameraConfig config(Args a, int width, int height) {
        Path file = a.path("config", null);
        if (file == null) return DemoCamera.config(width, height);
        try {
            return CameraConfig.fromJson(Files.readString(file));
        } catch (IOException e) {
            throw new IllegalArgumentException("--config " + file + ": cannot read it (" + e.getMessage() + ")");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--config " + file + ": " + e.getMessage());
        }
    }

    /** The rules of events ({@code --anchor --dwell-s --line-tolerance}) with the given tracker settings. */
    static AnalyticsSettings analytics(Args a, TrackerSettings tracker) {
        AnalyticsSettings d = AnalyticsSettings.DEFAULT;
        double dwell = a.number("dwell-s", d.dwell().toMillis() / 1000.0);
        if (!(dwell >= 0)) throw new IllegalArgumentException("--dwell-s must be >= 0, got " + dwell);
        return new AnalyticsSettings(tracker, Duration.ofMillis(Math.round(dwell * 1000)),
                Anchor.parse("--anchor", a.string("anchor", d.anchor().wire())), a.number("line-tolerance", d.lineTolerance()));
    }

    private static int[] size(String value) {
        String[] wh = value.toLowerCase(Locale.ROOT).split("x");
        try {
            if (wh.length == 2) return new int[] {Integer.parseInt(wh[0].strip()), Integer.parseInt(wh[1].strip())};
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--size must be WIDTHxHEIGHT, e.g. 1280x720, got '" + value + "'");
    }
}
