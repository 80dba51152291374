package io.vitstream.backbone;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Creates backbones of one architecture. Found through {@link java.util.ServiceLoader}; list the
 * implementation in {@code META-INF/services/io.vitstream.backbone.BackboneProvider}.
 */
public interface BackboneProvider {

    /** The architecture name this provider answers to, e.g. {@code "vit"}. */
    String name();

    /**
     * Builds an uninitialized backbone (parameters declared, no arrays) from its config section.
     *
     * @param config the backbone's JSON config, e.g. a Hugging Face {@code config.json}
     * @throws IllegalArgumentException naming the setting when the config is invalid
     */
    Backbone create(JsonNode config);

    /** Whether this provider can read the given config (e.g. its {@code model_type}). */
    default boolean accepts(JsonNode config) {
        JsonNode type = config.get("model_type");
        return type != null && name().equals(type.asText());
    }
}
