package io.vitstream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;

import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The laptop setup: a KRaft broker at the clients' version, the service, a source, a reader. */
class ComposeFileTest {

    private static final Path FILE = Repo.DEPLOY.resolve("compose/compose.yaml");
    private static final JsonNode COMPOSE = Repo.yamlDocuments(FILE).get(0);

    @Test
    void hasTheFourPartsAndAKraftBrokerAtTheClientsVersion() {
        Set<String> services = new HashSet<>();
        COMPOSE.path("services").fieldNames().forEachRemaining(services::add);
        assertTrue(services.containsAll(Set.of("kafka", "vitstream", "frames", "results")), services.toString());
        JsonNode kafka = COMPOSE.at("/services/kafka");
        assertEquals("apache/kafka:" + AppInfoParser.getVersion(), kafka.path("image").asText(),
                "the broker runs the Kafka version the service's clients are");
        assertEquals("broker,controller", kafka.at("/environment/KAFKA_PROCESS_ROLES").asText());
    }

    @Test
    void serviceIsBuiltFromTheJvmDockerfileAndConfiguredWithRealKeys() {
        JsonNode svc = COMPOSE.at("/services/vitstream");
        Path context = FILE.getParent().resolve(svc.at("/build/context").asText()).normalize();
        assertEquals(Repo.ROOT, context, "the build context is the repository root");
        assertTrue(Files.isRegularFile(context.resolve(svc.at("/build/dockerfile").asText())));
        svc.path("environment").fieldNames().forEachRemaining(name -> {
            if (name.startsWith("VITSTREAM_")) {
                assertTrue(ServiceConfig.isVitstreamEnv(name), name + " sets no key of VitstreamConfig");
            } else if (name.startsWith("KAFKA_")) {
                assertTrue(ServiceConfig.isKafkaClientKey(name.substring(6).toLowerCase().replace('_', '.')), name);
            }
        });
        assertEquals("kafka:9092", svc.at("/environment/KAFKA_BOOTSTRAP_SERVERS").asText());
        assertEquals("false", svc.at("/environment/VITSTREAM_KAFKA_EMBEDDED_ENABLED").asText());
        Duration shutdown = Duration.parse("PT" + Repo.serviceProperties().getProperty("quarkus.shutdown.timeout").toUpperCase());
        Duration grace = Duration.parse("PT" + svc.path("stop_grace_period").asText().toUpperCase());
        assertTrue(grace.compareTo(shutdown) > 0, "stop_grace_period " + grace + " <= shutdown timeout " + shutdown);
    }

    @Test
    void sourceSendsToTheFramesTopicAndReaderReadsCommittedResults() throws IOException {
        String topic = ServiceConfig.defaultOf("vitstream.topics.frames").orElseThrow();
        assertTrue(COMPOSE.at("/services/frames/command/0").asText().contains("-t " + topic + " "));
        String reader = COMPOSE.at("/services/results/command").toString();
        assertTrue(reader.contains("isolation.level=read_committed"), reader);
        assertTrue(reader.contains("\"classifications\"") && reader.contains("\"detections\""), reader);

        Matcher m = Pattern.compile("\\$\\{FRAMES_DIR:-([^}]+)}").matcher(COMPOSE.at("/services/frames/volumes/0").asText());
        assertTrue(m.find(), "the frame source mounts FRAMES_DIR with a default");
        try (Stream<Path> files = Files.list(FILE.getParent().resolve(m.group(1)).normalize())) {
            assertTrue(files.anyMatch(p -> p.toString().matches(".*\\.(jpg|jpeg|png)")), "no pictures in the default FRAMES_DIR");
        }
    }
}
