package io.vitstream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.vitstream.stream.config.DeliveryMode;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * deploy/k8s-exactly-once: the base manifests with the Deployment turned into a StatefulSet
 * (stable pod names, so stable transactional ids) and the delivery mode set to exactly-once.
 * The structure is checked everywhere; the rendered output where a kubectl with kustomize v5 is
 * installed (CI has none).
 */
class ExactlyOnceOverlayTest {

    private static final Path DIR = Repo.DEPLOY.resolve("k8s-exactly-once");

    @Test
    void theStatefulSetTakesTheDeploymentsPodsAndTheModeIsExactlyOnce() {
        JsonNode set = Repo.yamlDocuments(DIR.resolve("statefulset/statefulset.yaml")).get(0);
        assertEquals(List.of(), StrictModels.unknownFields(set, StatefulSet.class), "fields Kubernetes does not know");
        JsonNode deployment = Manifests.one("Deployment");
        assertEquals(deployment.at("/metadata/name").asText(), set.at("/metadata/name").asText(),
                "same name: the ScaledObject, PDB and Service find it");
        assertEquals(deployment.at("/spec/template/metadata/labels"), set.at("/spec/selector/matchLabels"),
                "the selector matches the pod template copied from the Deployment");
        assertEquals(Manifests.one("Service").at("/metadata/name").asText(), set.at("/spec/serviceName").asText());
        assertEquals("Parallel", set.at("/spec/podManagementPolicy").asText(), "consumers do not wait for each other");

        JsonNode inner = Repo.yamlDocuments(DIR.resolve("statefulset/kustomization.yaml")).get(0);
        assertEquals("../../k8s", inner.at("/resources/0").asText());
        JsonNode replacement = inner.at("/replacements/0");
        assertEquals("Deployment", replacement.at("/source/kind").asText());
        assertEquals("spec.template", replacement.at("/source/fieldPath").asText());
        assertEquals("StatefulSet", replacement.at("/targets/0/select/kind").asText());

        JsonNode outer = Repo.yamlDocuments(DIR.resolve("kustomization.yaml")).get(0);
        String patches = outer.path("patches").toString();
        assertTrue(patches.contains("$patch: delete") && patches.contains("kind: Deployment"), "the Deployment is removed");
        String env = "VITSTREAM_DELIVERY_MODE";
        assertTrue(ServiceConfig.isVitstreamEnv(env) && ServiceConfig.env("vitstream.delivery.mode").equals(env));
        assertTrue(patches.contains("value: " + DeliveryMode.EXACTLY_ONCE.code()), patches);
        assertTrue(patches.contains("value: StatefulSet"), "KEDA scales the StatefulSet");
    }

    @Test
    void kustomizeRendersOneStatefulSetInExactlyOnceMode() throws Exception {
        List<JsonNode> docs = render();
        List<String> kinds = docs.stream().map(d -> d.path("kind").asText()).toList();
        assertTrue(!kinds.contains("Deployment") && kinds.stream().filter("StatefulSet"::equals).count() == 1, kinds.toString());
        JsonNode set = docs.stream().filter(d -> d.path("kind").asText().equals("StatefulSet")).findFirst().orElseThrow();
        assertEquals(List.of(), StrictModels.unknownFields(set, StatefulSet.class));
        JsonNode container = set.at("/spec/template/spec/containers/0");
        assertEquals(Manifests.container().path("resources"), container.path("resources"), "the Deployment's container");
        boolean mode = false;
        for (JsonNode e : container.path("env")) {
            mode |= e.path("name").asText().equals("VITSTREAM_DELIVERY_MODE") && e.path("value").asText().equals("exactly-once");
        }
        assertTrue(mode, "VITSTREAM_DELIVERY_MODE=exactly-once: " + container.path("env"));
        JsonNode scaled = docs.stream().filter(d -> d.path("kind").asText().equals("ScaledObject")).findFirst().orElseThrow();
        assertEquals("StatefulSet", scaled.at("/spec/scaleTargetRef/kind").asText());
    }

    /** {@code kubectl kustomize}, or the test is skipped where no kubectl with kustomize v5 is installed. */
    private static List<JsonNode> render() throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder("kubectl", "kustomize", DIR.toString()).redirectErrorStream(false).start();
        } catch (IOException e) {
            Assumptions.abort("no kubectl: " + e.getMessage());
            return List.of();
        }
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "kubectl kustomize did not finish");
        if (p.exitValue() != 0 && (err.contains("replacements") || err.contains("unknown field"))) {
            Assumptions.abort("kubectl's kustomize is too old for replacements: " + err);
        }
        assertEquals(0, p.exitValue(), err);
        List<JsonNode> docs = new ArrayList<>();
        Repo.YAML.readerFor(JsonNode.class).readValues(out).forEachRemaining(d -> docs.add((JsonNode) d));
        return docs;
    }
}
