package io.vitstream.stream.kafka;

import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.Set;

/**
 * Supplies {@code kafka.bootstrap.servers} from the embedded broker once it runs, at a low
 * ordinal so any real setting (system property, environment, application.properties) wins.
 *
 * <p>It answers {@code null} until the broker has started, which matters twice: at build time
 * Quarkus reads every source and must not record an address as a default (a lazily starting
 * source would start a broker during {@code mvn package}), and at run time
 * {@link EmbeddedKafkaLifecycle} must see whether the user configured a broker. The name is
 * always listed because the Kafka connector builds its {@code kafka.*} client settings from
 * the listed names.
 */
public final class EmbeddedKafkaConfigSource implements ConfigSource {

    static final String KEY = "kafka.bootstrap.servers";

    @Override
    public Set<String> getPropertyNames() {
        return Set.of(KEY);
    }

    @Override
    public String getValue(String name) {
        return KEY.equals(name) ? EmbeddedKafkaLifecycle.bootstrapServers() : null;
    }

    @Override
    public int getOrdinal() {
        return 50;
    }

    @Override
    public String getName() {
        return "vitstream-embedded-kafka";
    }
}
