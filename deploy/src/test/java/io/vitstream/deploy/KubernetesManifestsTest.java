package io.vitstream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The Kubernetes manifests: well-formed, consistent with each other and with the image. */
class KubernetesManifestsTest {

    private static final Map<String, Class<? extends KubernetesResource>> TYPED = Map.of("Deployment", Deployment.class,
            "Service", Service.class, "ConfigMap", ConfigMap.class, "Secret", Secret.class,
            "PodDisruptionBudget", PodDisruptionBudget.class);

    @Test
    void everyDocumentIsAKnownKindWithNoUnknownFields() {
        Set<String> kinds = new HashSet<>();
        for (Manifests.Doc d : Manifests.all()) {
            String where = Repo.ROOT.relativize(d.file()) + " (" + d.kind() + " " + d.name() + ")";
            assertFalse(d.doc().path("apiVersion").asText().isEmpty(), where + ": no apiVersion");
            kinds.add(d.kind());
            if (!d.kind().equals("Kustomization")) {
                assertFalse(d.name().isEmpty(), where + ": no metadata.name");
            }
            Class<? extends KubernetesResource> type = TYPED.get(d.kind());
            if (type != null) {
                assertEquals(List.of(), StrictModels.unknownFields(d.doc(), type), where + ": fields Kubernetes does not know");
            }
        }
        assertEquals(Set.of("Kustomization", "ConfigMap", "Secret", "Deployment", "Service", "ServiceMonitor",
                "PodDisruptionBudget", "ScaledObject", "TriggerAuthentication"), kinds);
    }

    @Test
    void kustomizationListsEveryManifestButTheExampleSecret() {
        JsonNode k = Manifests.one("Kustomization");
        Set<String> listed = new HashSet<>();
        k.path("resources").forEach(r -> listed.add(r.asText()));
        Set<String> files = new HashSet<>();
        Manifests.files().stream().map(p -> p.getFileName().toString())
                .filter(n -> !n.equals("kustomization.yaml") && !n.endsWith(".example.yaml")).forEach(files::add);
        assertEquals(files, listed);
        String image = Manifests.container().path("image").asText();
        assertTrue(k.path("images").findValuesAsText("name").contains(image), "kustomization sets no image for '" + image + "'");
    }

    @Test
    void podRunsOnAGpuNode() {
        JsonNode pod = Manifests.one("Deployment").at("/spec/template/spec");
        JsonNode resources = Manifests.container().path("resources");
        assertTrue(resources.at("/limits/nvidia.com~1gpu").asInt() >= 1, "no nvidia.com/gpu limit: " + resources);
        assertEquals(resources.at("/limits/nvidia.com~1gpu").asInt(), resources.at("/requests/nvidia.com~1gpu").asInt(),
                "extended resources need requests equal to limits");
        assertFalse(pod.path("nodeSelector").isEmpty(), "no node selector for GPU nodes");
        boolean tolerates = false;
        for (JsonNode t : pod.path("tolerations")) {
            tolerates |= t.path("key").asText().equals("nvidia.com/gpu") && t.path("effect").asText().equals("NoSchedule");
        }
        assertTrue(tolerates, "no toleration of the nvidia.com/gpu NoSchedule taint");
        for (String r : List.of("cpu", "memory")) {
            assertEquals(resources.at("/limits/" + r).asText(), resources.at("/requests/" + r).asText(),
                    r + ": requests equal limits keep the pod Guaranteed");
        }
    }

    /** SmallRye Health's endpoints under Quarkus's defaults, which the service does not move. */
    @Test
    void probesAndMetricsPointAtTheServicesEndpoints() {
        var props = Repo.serviceProperties();
        for (String moved : List.of("quarkus.http.root-path", "quarkus.http.non-application-root-path",
                "quarkus.smallrye-health.root-path", "quarkus.micrometer.export.prometheus.path")) {
            assertFalse(props.containsKey(moved), moved + " is set: the probe paths below assume the defaults");
        }
        JsonNode c = Manifests.container();
        assertEquals(Integer.parseInt(props.getProperty("quarkus.http.port")), c.at("/ports/0/containerPort").asInt());
        assertEquals("http", c.at("/ports/0/name").asText());
        Map<String, String> want = Map.of("startupProbe", "/q/health/started", "livenessProbe", "/q/health/live",
                "readinessProbe", "/q/health/ready");
        want.forEach((probe, path) -> {
            assertEquals(path, c.at("/" + probe + "/httpGet/path").asText(), probe);
            assertEquals("http", c.at("/" + probe + "/httpGet/port").asText(), probe);
        });
        JsonNode endpoint = Manifests.one("ServiceMonitor").at("/spec/endpoints/0");
        assertEquals("/q/metrics", endpoint.path("path").asText());
        assertEquals("http", endpoint.path("port").asText());
        assertEquals("http", Manifests.one("Service").at("/spec/ports/0/name").asText());
    }

    @Test
    void selectorsFindThePods() {
        JsonNode deployment = Manifests.one("Deployment");
        JsonNode labels = deployment.at("/spec/template/metadata/labels");
        assertEquals(labels, deployment.at("/spec/selector/matchLabels"));
        assertEquals(labels, Manifests.one("Service").at("/spec/selector"));
        assertEquals(labels, Manifests.one("PodDisruptionBudget").at("/spec/selector/matchLabels"));
        assertEquals(Manifests.one("Service").at("/metadata/labels"), Manifests.one("ServiceMonitor").at("/spec/selector/matchLabels"));
        assertEquals(1, Manifests.one("PodDisruptionBudget").at("/spec/maxUnavailable").asInt());
    }

    @Test
    void terminationLeavesTimeForQuarkusGracefulShutdown() {
        Duration shutdown = Duration.parse("PT" + Repo.serviceProperties().getProperty("quarkus.shutdown.timeout").toUpperCase());
        long grace = Manifests.one("Deployment").at("/spec/template/spec/terminationGracePeriodSeconds").asLong();
        assertTrue(grace >= shutdown.toSeconds() + 10, "grace " + grace + " s leaves no time after the " + shutdown + " shutdown timeout");
    }

    @Test
    void containerIsLockedDownAndItsWritablePlacesAreVolumes() {
        JsonNode pod = Manifests.one("Deployment").at("/spec/template/spec");
        JsonNode c = Manifests.container();
        assertTrue(pod.at("/securityContext/runAsNonRoot").asBoolean());
        String uid = Dockerfile.read(Repo.DEPLOY.resolve("docker/Dockerfile.cuda")).last("USER").get(0).args().get(0).split(":")[0];
        assertEquals(uid, pod.at("/securityContext/runAsUser").asText(), "the pod runs as the image's user");
        assertTrue(c.at("/securityContext/readOnlyRootFilesystem").asBoolean());
        assertFalse(c.at("/securityContext/allowPrivilegeEscalation").asBoolean(true));
        Set<String> mounts = new HashSet<>(c.path("volumeMounts").findValuesAsText("mountPath"));
        assertTrue(mounts.contains("/tmp"), "JNA, CUDA and Java need a writable /tmp");
        String workdir = Dockerfile.read(Repo.DEPLOY.resolve("docker/Dockerfile.cuda")).last("WORKDIR").get(0).args().get(0);
        assertTrue(mounts.contains(workdir + "/config"), "the ConfigMap must be mounted where Quarkus reads config/application.properties");
        String model = Manifests.configProperties().getProperty("vitstream.model.path");
        assertTrue(mounts.stream().anyMatch(m -> model.startsWith(m + "/")), "vitstream.model.path " + model + " is on no volume");
    }

    @Test
    void jvmFlagsLeaveRoomForNativeMemory() {
        String opts = envValue("JDK_JAVA_OPTIONS");
        assertTrue(opts.contains("-Dai.djl.pytorch.num_threads="), opts);
        int percent = Integer.parseInt(opts.replaceAll(".*-XX:MaxRAMPercentage=(\\d+).*", "$1"));
        assertTrue(percent <= 50, "a GPU pod needs most of its memory outside the heap (CUDA, PyTorch): " + percent + " %");
    }

    private static String envValue(String name) {
        for (JsonNode e : Manifests.container().path("env")) {
            if (e.path("name").asText().equals(name)) {
                return e.path("value").asText();
            }
        }
        throw new AssertionError("the container sets no " + name);
    }
}
