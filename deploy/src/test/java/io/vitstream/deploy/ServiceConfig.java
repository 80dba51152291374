package io.vitstream.deploy;

import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import io.vitstream.stream.config.VitstreamConfig;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the service accepts as configuration, read from the service itself: the keys of its
 * {@code @ConfigMapping} interface (by reflection, the way SmallRye names them) and the names
 * of Kafka's client settings that {@code kafka.*} keys pass through to.
 */
final class ServiceConfig {

    /** Key to default ({@code null}: none); map-valued groups end in {@code .*}. */
    static final Map<String, String> VITSTREAM_KEYS = keys(VitstreamConfig.class, "vitstream");
    static final Set<String> KAFKA_CLIENT_KEYS = kafkaKeys();

    private ServiceConfig() {}

    /** Whether {@code key} is a setting of {@link VitstreamConfig}. */
    static boolean isVitstreamKey(String key) {
        return VITSTREAM_KEYS.keySet().stream().anyMatch(k -> k.endsWith(".*")
                ? key.startsWith(k.substring(0, k.length() - 1)) && key.length() > k.length() - 1
                : k.equals(key));
    }

    /** Whether an environment variable sets a {@link VitstreamConfig} key (SmallRye's mapping). */
    static boolean isVitstreamEnv(String name) {
        return VITSTREAM_KEYS.keySet().stream().anyMatch(k -> k.endsWith(".*")
                ? name.startsWith(env(k.substring(0, k.length() - 2)) + "_")
                : env(k).equals(name));
    }

    /** Whether {@code kafka.<name>} (or {@code KAFKA_<NAME>}) reaches a Kafka client setting. */
    static boolean isKafkaClientKey(String name) {
        return KAFKA_CLIENT_KEYS.contains(name);
    }

    /** The environment-variable form of a key: upper case, every other character an underscore. */
    static String env(String key) {
        return key.toUpperCase().replaceAll("[^A-Z0-9]", "_");
    }

    /** The effective default of a key, from its {@code @WithDefault}. */
    static Optional<String> defaultOf(String key) {
        if (!VITSTREAM_KEYS.containsKey(key)) {
            throw new IllegalArgumentException("no key '" + key + "' in VitstreamConfig: " + VITSTREAM_KEYS.keySet());
        }
        return Optional.ofNullable(VITSTREAM_KEYS.get(key));
    }

    private static Map<String, String> keys(Class<?> group, String prefix) {
        Map<String, String> out = new TreeMap<>();
        for (Method m : group.getDeclaredMethods()) {
            if (Modifier.isStatic(m.getModifiers()) || m.isDefault() || m.getParameterCount() > 0) {
                continue;
            }
            WithName named = m.getAnnotation(WithName.class);
            String key = prefix + "." + (named != null ? named.value() : kebab(m.getName()));
            Class<?> type = m.getReturnType();
            if (type.isInterface() && type.getEnclosingClass() == VitstreamConfig.class) {
                out.putAll(keys(type, key));
            } else if (Map.class.isAssignableFrom(type)) {
                out.put(key + ".*", null);
            } else {
                WithDefault def = m.getAnnotation(WithDefault.class);
                out.put(key, def == null ? null : def.value());
            }
        }
        return out;
    }

    private static String kebab(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }

    private static Set<String> kafkaKeys() {
        Set<String> names = new HashSet<>(ConsumerConfig.configNames());
        names.addAll(ProducerConfig.configNames());
        names.addAll(AdminClientConfig.configNames());
        return names;
    }
}
