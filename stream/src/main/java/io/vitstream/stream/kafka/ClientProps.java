package io.vitstream.stream.kafka;

import org.eclipse.microprofile.config.Config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Client settings for the Kafka clients the service makes itself (admin, the analytics state
 * reader, the camera-config reader): {@code kafka.*} first, then the channel's own
 * {@code mp.messaging.*.<channel>.*}, so security settings given for the channels apply to them too.
 */
public final class ClientProps {

    private ClientProps() {}

    /**
     * @param channel e.g. {@code mp.messaging.outgoing.results}
     * @param names the settings the client knows (e.g. {@code ConsumerConfig.configNames()})
     * @return the settings found, with {@code bootstrap.servers} of the channel
     */
    public static Map<String, Object> of(Config mp, String channel, Set<String> names) {
        Map<String, Object> props = new LinkedHashMap<>();
        for (String prefix : List.of("kafka.", channel + ".")) {
            for (String name : mp.getPropertyNames()) {
                String key = name.startsWith(prefix) ? name.substring(prefix.length()) : null;
                if (key != null && names.contains(key)) {
                    mp.getOptionalValue(name, String.class).ifPresent(v -> props.put(key, v));
                }
            }
        }
        props.put("bootstrap.servers", bootstrapServers(mp, channel));
        return props;
    }

    /** A channel's brokers: its own {@code bootstrap.servers}, else {@code kafka.bootstrap.servers}. */
    public static String bootstrapServers(Config mp, String channel) {
        return mp.getOptionalValue(channel + ".bootstrap.servers", String.class)
                .or(() -> mp.getOptionalValue(EmbeddedKafkaConfigSource.KEY, String.class))
                .orElseThrow(() -> new IllegalStateException("no kafka.bootstrap.servers is set and no embedded broker runs"));
    }
}
