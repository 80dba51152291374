package io.vitstream.heads;

import com.fasterxml.jackson.databind.JsonNode;

import io.vitstream.backbone.ProviderRegistry;


import java.util.Map;

/** The registry of {@link HeadProvider}s found on the class path. */
public final class Heads {

    private static final ProviderRegistry<HeadProvider> REGISTRY =
            new ProviderRegistry<>(HeadProvider.class, "head", HeadProvider::name);

    private Heads() {}

    /** All registered providers by type name. */
    public static Map<String, HeadProvider> providers() {
        return REGISTRY.all();
    }

    /**
     * Creates a head from its config section, by its {@code "type"}.
     *
     * @param name the head's name in the model (for messages)
     * @throws IllegalArgumentException listing the known types when the type is unknown
     */
    public static Head create(String name, JsonNode config, HeadContext context) {
        JsonNode type = config.get("type");
        if (type == null || !type.isTextual()) {
            throw new IllegalArgumentException("config.json: head '" + name + "' has no \"type\"; known types: "
                    + providers().keySet());
        }
        HeadProvider provider = providers().get(type.asText());
        if (provider == null) {
            throw new IllegalArgumentException("config.json: head '" + name + "' has unknown type '" + type.asText()
                    + "'; known types: " + providers().keySet());
        }
        try {
            return provider.create(config, context);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("config.json: head '" + name + "': " + e.getMessage(), e);
        }
    }
}
