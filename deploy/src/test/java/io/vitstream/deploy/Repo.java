package io.vitstream.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/** Files of the repository this module checks, read as the tools that use them read them. */
final class Repo {

    /** The repository root: the build context of the Dockerfiles. Tests run in deploy/. */
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path DEPLOY = ROOT.resolve("deploy");
    static final Path QUARKUS_APP = ROOT.resolve("stream/target/quarkus-app");
    static final ObjectMapper YAML = new YAMLMapper();

    private Repo() {}

    /** Every YAML document of a file (Kubernetes files may hold several, split by ---). */
    static List<JsonNode> yamlDocuments(Path file) {
        try (var parser = new YAMLFactory().createParser(file.toFile())) {
            List<JsonNode> docs = new ArrayList<>();
            var it = YAML.readValues(parser, JsonNode.class);
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
                    docs.add(doc);
                }
            }
            return docs;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + ROOT.relativize(file), e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Properties text as Quarkus reads it (java.util.Properties: continuations, escapes). */
    static Properties properties(String text) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    /** The service's packaged application.properties. */
    static Properties serviceProperties() {
        return properties(read(ROOT.resolve("stream/src/main/resources/application.properties")));
    }

    /** Fails with the command that makes it exist when the packaged service is missing. */
    static void requirePackagedService() {
        if (!Files.isRegularFile(QUARKUS_APP.resolve("quarkus-run.jar"))) {
            throw new AssertionError(ROOT.relativize(QUARKUS_APP) + " is missing: run ./mvnw package (this module"
                    + " depends on vitstream-stream, so a reactor build packages it first)");
        }
    }
}
