package io.vitstream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The settings the manifests give the service and KEDA: every key is one the service has, every
 * credential comes from the Secret, and the autoscaler watches the group and topic the service
 * really consumes.
 */
class KubernetesConfigTest {

    /** Kafka's sasl.mechanism names in KEDA's spelling. */
    private static final Map<String, String> KEDA_SASL = Map.of("PLAIN", "plaintext", "SCRAM-SHA-256", "scram_sha256",
            "SCRAM-SHA-512", "scram_sha512", "OAUTHBEARER", "oauthbearer", "GSSAPI", "gssapi");

    @Test
    void everyConfigMapKeyIsAServiceSetting() {
        Properties config = Manifests.configProperties();
        assertFalse(config.isEmpty());
        for (String key : config.stringPropertyNames()) {
            if (key.startsWith("vitstream.")) {
                assertTrue(ServiceConfig.isVitstreamKey(key), key + " is no key of VitstreamConfig " + ServiceConfig.VITSTREAM_KEYS.keySet());
            } else if (key.startsWith("kafka.")) {
                assertTrue(ServiceConfig.isKafkaClientKey(key.substring("kafka.".length())), key + " is no Kafka client setting");
            } else {
                throw new AssertionError(key + ": only vitstream.* and kafka.* settings belong in the ConfigMap");
            }
        }
        assertEquals("false", config.getProperty("vitstream.kafka.embedded.enabled"), "a pod must never start its own broker");
    }

    @Test
    void everyEnvironmentVariableIsUsedAndEveryReferenceIsSet() {
        Set<String> env = new HashSet<>();
        for (JsonNode e : Manifests.container().path("env")) {
            String name = e.path("name").asText();
            env.add(name);
            if (name.startsWith("VITSTREAM_")) {
                assertTrue(ServiceConfig.isVitstreamEnv(name), name + " sets no key of VitstreamConfig");
            } else if (name.startsWith("KAFKA_")) {
                assertTrue(ServiceConfig.isKafkaClientKey(name.substring(6).toLowerCase().replace('_', '.')), name + " reaches no Kafka setting");
            }
        }
        Set<String> referenced = new HashSet<>();
        Matcher m = Pattern.compile("\\$\\{([A-Za-z0-9_]+)}").matcher(Manifests.one("ConfigMap").at("/data/application.properties").asText());
        while (m.find()) {
            referenced.add(m.group(1));
        }
        assertTrue(env.containsAll(referenced), "the ConfigMap expands " + referenced + " but the container sets only " + env);
        for (String name : env) {
            assertTrue(referenced.contains(name) || name.equals("JDK_JAVA_OPTIONS") || name.startsWith("VITSTREAM_")
                    || name.startsWith("KAFKA_"), name + " is set but nothing reads it");
        }
    }

    @Test
    void credentialsComeFromTheSecretAndTheCaFileIsMounted() {
        JsonNode secret = Manifests.one("Secret");
        String secretName = secret.at("/metadata/name").asText();
        Set<String> keys = new HashSet<>();
        secret.path("stringData").fieldNames().forEachRemaining(keys::add);
        for (JsonNode ref : Manifests.container().path("env").findValues("secretKeyRef")) {
            assertEquals(secretName, ref.path("name").asText());
            assertTrue(keys.contains(ref.path("key").asText()), "Secret " + secretName + " has no key " + ref.path("key"));
        }
        for (JsonNode ref : Manifests.one("TriggerAuthentication").at("/spec/secretTargetRef")) {
            assertEquals(secretName, ref.path("name").asText());
            assertTrue(keys.contains(ref.path("key").asText()), "KEDA reads missing key " + ref.path("key"));
        }
        JsonNode volume = null;
        for (JsonNode v : Manifests.one("Deployment").at("/spec/template/spec/volumes")) {
            if (v.at("/secret/secretName").asText().equals(secretName)) {
                volume = v;
            }
        }
        assertTrue(volume != null, "the Secret is not mounted");
        String mount = null;
        for (JsonNode vm : Manifests.container().path("volumeMounts")) {
            if (vm.path("name").asText().equals(volume.path("name").asText())) {
                mount = vm.path("mountPath").asText();
            }
        }
        JsonNode item = volume.at("/secret/items/0");
        assertTrue(keys.contains(item.path("key").asText()));
        Properties config = Manifests.configProperties();
        assertEquals(mount + "/" + item.path("path").asText(), config.getProperty("kafka.ssl.truststore.location"));
        assertEquals("PEM", config.getProperty("kafka.ssl.truststore.type"), "the CA file is PEM, as KEDA needs it too");
    }

    /** KEDA watches what the service consumes, and never scales past the partitions. */
    @Test
    void scaledObjectWatchesTheServicesGroupAndTopic() {
        JsonNode so = Manifests.one("ScaledObject");
        JsonNode trigger = so.at("/spec/triggers/0");
        assertEquals("kafka", trigger.path("type").asText());
        JsonNode meta = trigger.path("metadata");
        Properties service = Repo.serviceProperties();
        Properties config = Manifests.configProperties();
        assertEquals(service.getProperty("mp.messaging.incoming.frames.group.id"), meta.path("consumerGroup").asText());
        String topic = config.getProperty("vitstream.topics.frames", ServiceConfig.defaultOf("vitstream.topics.frames").orElseThrow());
        assertEquals(topic, meta.path("topic").asText());
        assertEquals(config.getProperty("kafka.bootstrap.servers"), meta.path("bootstrapServers").asText());
        assertEquals(KEDA_SASL.get(config.getProperty("kafka.sasl.mechanism")), meta.path("sasl").asText(), "KEDA's name of the mechanism");
        assertEquals(config.getProperty("kafka.security.protocol").endsWith("SSL"), meta.path("tls").asText().equals("enable"));
        assertEquals("false", meta.path("allowIdleConsumers").asText());
        assertEquals(Manifests.one("Deployment").at("/metadata/name").asText(), so.at("/spec/scaleTargetRef/name").asText());
        assertEquals(Manifests.one("TriggerAuthentication").at("/metadata/name").asText(), trigger.at("/authenticationRef/name").asText());

        int partitions = so.at("/metadata/annotations/vitstream.io~1frames-partitions").asInt();
        int max = so.at("/spec/maxReplicaCount").asInt();
        assertTrue(partitions > 0, "annotate the ScaledObject with vitstream.io/frames-partitions");
        assertTrue(max <= partitions, "maxReplicaCount " + max + " > " + partitions + " partitions: the extra pods would sit idle");
        assertTrue(so.at("/spec/minReplicaCount").asInt() >= 1 && so.at("/spec/minReplicaCount").asInt() <= max);
    }
}
