package io.vitstream.results;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * An axis-aligned box in pixels of the original frame, corners (x1, y1) top-left and (x2, y2)
 * bottom-right, x to the right and y down, origin at the top-left corner of the frame.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Box(float x1, float y1, float x2, float y2) {

    /** Width in pixels. */
    public float width() {
        return x2 - x1;
    }

    /** Height in pixels. */
    public float height() {
        return y2 - y1;
    }
}
