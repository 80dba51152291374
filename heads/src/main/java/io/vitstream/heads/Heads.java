package io.vitstream.heads;

import com.fasterxml.jackson.databind.JsonNode;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collections;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The registry of {@link HeadProvider}s found on the class path. */
public final class Heads {

    private static final Logger LOG = LoggerFactory.getLogger(Heads.class);
    private static volatile Map<String, HeadProvider> providers;

    private Heads() {}

    /** All registered providers by type name. */
    public static Map<String, HeadProvider> providers() {
        Map<String, HeadProvider> found = providers;
        if (found == null) {
            synchronized (Heads.class) {
                found = providers;
                if (found == null) {
                    found = load();
                    providers = found;
                }
            }
        }
        return found;
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

    private static Map<String, HeadProvider> load() {
        Map<String, HeadProvider> byName = new TreeMap<>();
        for (HeadProvider provider : ServiceLoader.load(HeadProvider.class)) {
            HeadProvider previous = byName.putIfAbsent(provider.name(), provider);
            if (previous != null) {
                throw new IllegalStateException("two head providers named '" + provider.name() + "': "
                        + previous.getClass().getName() + " and " + provider.getClass().getName());
            }
            LOG.info("registered head '{}' ({})", provider.name(), provider.getClass().getName());
        }
        return Collections.unmodifiableMap(byName);
    }
}
