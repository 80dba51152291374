package io.vitstream.deploy;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The Kubernetes manifests of deploy/k8s, every document of every file. */
final class Manifests {

    static final Path DIR = Repo.DEPLOY.resolve("k8s");

    /**
     * One document.
     *
     * @param file where it is
     * @param doc its content
     */
    record Doc(Path file, JsonNode doc) {
        String kind() {
            return doc.path("kind").asText();
        }

        String name() {
            return doc.at("/metadata/name").asText();
        }
    }

    private Manifests() {}

    static List<Path> files() {
        try (Stream<Path> s = Files.list(DIR)) {
            return s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every document of every manifest, the example Secret and kustomization.yaml included. */
    static List<Doc> all() {
        List<Doc> docs = new ArrayList<>();
        for (Path f : files()) {
            Repo.yamlDocuments(f).forEach(d -> docs.add(new Doc(f, d)));
        }
        return docs;
    }

    /** The one document of a kind (fails naming the kinds found otherwise). */
    static JsonNode one(String kind) {
        List<Doc> found = all().stream().filter(d -> d.kind().equals(kind)).toList();
        if (found.size() != 1) {
            throw new AssertionError("expected one " + kind + " in deploy/k8s, found " + found.size() + " among "
                    + all().stream().map(Doc::kind).toList());
        }
        return found.get(0).doc();
    }

    /** The service container of the Deployment. */
    static JsonNode container() {
        JsonNode containers = one("Deployment").at("/spec/template/spec/containers");
        for (JsonNode c : containers) {
            if (c.path("name").asText().equals("vitstream")) {
                return c;
            }
        }
        throw new AssertionError("no container 'vitstream' in the Deployment");
    }

    /** The ConfigMap's application.properties, as Quarkus reads it. */
    static java.util.Properties configProperties() {
        return Repo.properties(one("ConfigMap").at("/data/application.properties").asText());
    }
}
