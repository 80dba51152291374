package io.vitstream.heads;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Creates heads of one type. Found through {@link java.util.ServiceLoader}; list the
 * implementation in {@code META-INF/services/io.vitstream.heads.HeadProvider}.
 */
public interface HeadProvider {

    /** The type name in {@code config.json}, e.g. {@code "detr"}. */
    String name();

    /**
     * Builds a head (parameters declared, no arrays) from its config section.
     *
     * @throws IllegalArgumentException naming the setting when the config is invalid
     */
    Head create(JsonNode config, HeadContext context);

    /**
     * The topic a streaming service publishes this type's results to unless configured
     * otherwise; by default the type name.
     */
    default String defaultTopic() {
        return name();
    }
}
