package io.vitstream.backbone;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collections;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Plugins of one kind found through {@link ServiceLoader}, by name: loaded once on first use,
 * each registration logged, two plugins under one name refused.
 *
 * @param <P> the provider interface
 */
public final class ProviderRegistry<P> {

    private static final Logger LOG = LoggerFactory.getLogger(ProviderRegistry.class);

    private final Class<P> type;
    private final String kind;
    private final Function<P, String> name;
    private volatile Map<String, P> providers;

    /**
     * @param type the provider interface listed in {@code META-INF/services}
     * @param kind what the plugins are, for messages ("backbone", "head")
     * @param name the name a provider registers under
     */
    public ProviderRegistry(Class<P> type, String kind, Function<P, String> name) {
        this.type = type;
        this.kind = kind;
        this.name = name;
    }

    /** Every provider by name, sorted. */
    public Map<String, P> all() {
        Map<String, P> found = providers;
        if (found == null) {
            synchronized (this) {
                found = providers;
                if (found == null) {
                    found = load();
                    providers = found;
                }
            }
        }
        return found;
    }

    private Map<String, P> load() {
        Map<String, P> byName = new TreeMap<>();
        for (P provider : ServiceLoader.load(type)) {
            P previous = byName.putIfAbsent(name.apply(provider), provider);
            if (previous != null) {
                throw new IllegalStateException("two " + kind + " providers named '" + name.apply(provider) + "': "
                        + previous.getClass().getName() + " and " + provider.getClass().getName());
            }
            LOG.info("registered {} '{}' ({})", kind, name.apply(provider), provider.getClass().getName());
        }
        return Collections.unmodifiableMap(byName);
    }
}
