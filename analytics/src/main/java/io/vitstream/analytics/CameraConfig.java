package io.vitstream.analytics;

import java.util.List;
import java.util.Map;

/**
 * The lines and zones of one camera, in its frame's pixels. Names are unique per kind.
 *
 * <p>JSON form (the {@code camera-config} topic's value, key = camera):
 * <pre>{"lines": {"door": [x1, y1, x2, y2]}, "zones": {"till": [x1, y1, x2, y2, x3, y3]}}</pre>
 * Both members are optional; unknown members are refused (a typo would otherwise silently
 * configure nothing).
 */
public record CameraConfig(List<LineSpec> lines, List<ZoneSpec> zones) {

    /** No lines, no zones: tracking only. */
    public static final CameraConfig EMPTY = new CameraConfig(List.of(), List.of());

    /** Copies the lists; refuses duplicate names within lines or within zones. */
    public CameraConfig {
        // TODO validate and copy
    }

    /**
     * From settings {@code <prefix>lines.<name>=x1,y1,x2,y2} and {@code <prefix>zones.<name>=...}
     * (keys of {@code settings} are relative to the camera, e.g. {@code lines.door}).
     *
     * @param settingPrefix e.g. {@code vitstream.analytics.cameras.cam-1.}, for messages
     * @throws IllegalArgumentException naming the full setting of the first bad value, or an
     *     unknown key under the camera
     */
    public static CameraConfig fromSettings(String settingPrefix, Map<String, String> settings) {
        throw new UnsupportedOperationException("TODO");
    }

    /**
     * From the JSON form.
     *
     * @throws IllegalArgumentException with the reason (not JSON, unknown member, bad line or zone by name)
     */
    public static CameraConfig fromJson(String json) {
        throw new UnsupportedOperationException("TODO");
    }

    /** The JSON form (parsed back by {@link #fromJson}). */
    public String toJson() {
        throw new UnsupportedOperationException("TODO");
    }
}
