package io.vitstream.stream.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** JSON text to a tree, for embedding in REST answers. */
public final class AnalyticsJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AnalyticsJson() {}

    public static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("not JSON: " + json, e);
        }
    }
}
