package io.vitstream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

/**
 * The Dockerfiles against what {@code ./mvnw package} produced (no container engine runs here,
 * so this is what can be checked without building the images).
 */
class DockerfilesTest {

    @ParameterizedTest
    @ValueSource(strings = {"Dockerfile.jvm", "Dockerfile.cuda"})
    void everyCopySourceExistsAfterPackageAndIsInTheBuildContext(String name) throws IOException {
        Repo.requirePackagedService();
        Dockerfile file = Dockerfile.read(Repo.DEPLOY.resolve("docker").resolve(name));
        List<String> kept = contextIncludes(name);
        int checked = 0;
        for (Dockerfile.Instruction copy : Stream.concat(file.all("COPY").stream(), file.all("ADD").stream()).toList()) {
            if (copy.flags().containsKey("from")) {
                continue;
            }
            for (String source : copy.args().subList(0, copy.args().size() - 1)) {
                assertTrue(matches(source) > 0, name + ": " + copy.keyword() + " source '" + source + "' matches nothing");
                assertTrue(kept.stream().anyMatch(source::startsWith),
                        name + ": '" + source + "' is left out of the build context by " + name + ".dockerignore");
                checked++;
            }
        }
        assertTrue(checked >= 5, name + ": only " + checked + " COPY sources");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Dockerfile.jvm", "Dockerfile.cuda"})
    void runsTheFastJarAsANonRootUserOffline(String name) {
        Dockerfile file = Dockerfile.read(Repo.DEPLOY.resolve("docker").resolve(name));
        List<Dockerfile.Instruction> user = file.last("USER");
        assertEquals(1, user.size(), name + ": one USER in the final stage");
        String uid = user.get(0).args().get(0).split(":")[0];
        assertTrue(uid.matches("\\d+") && Integer.parseInt(uid) > 0,
                name + ": USER must be a numeric non-root id (runAsNonRoot checks it), is " + uid);

        List<String> entry = file.last("ENTRYPOINT").get(0).args();
        assertEquals("java", entry.get(0));
        assertTrue(entry.contains("-Dai.djl.offline=true"), name + ": DJL offline mode: " + entry);
        assertEquals(List.of("-jar", "/deployments/quarkus-run.jar"), entry.subList(entry.size() - 2, entry.size()));
        assertEquals("/deployments", file.last("WORKDIR").get(0).args().get(0), "config/application.properties is read from here");

        Map<String, String> env = file.env();
        assertEquals("true", env.get("OPT_OUT_TRACKING"), name);
        assertEquals("127.0.0.1", Repo.serviceProperties().getProperty("quarkus.http.host"),
                "the service listens on loopback by default");
        assertEquals("0.0.0.0", env.get("QUARKUS_HTTP_HOST"), name + ": in a container probes and scrapes come from outside");
        assertFalse(env.containsKey("PYTORCH_VERSION"), name + ": a PYTORCH_VERSION mismatch makes DJL download");
        String opts = env.getOrDefault("JDK_JAVA_OPTIONS", "");
        for (String flag : List.of("-XX:MaxRAMPercentage=", "-XX:MaxDirectMemorySize=", "-Dai.djl.pytorch.num_threads=",
                "-Dai.djl.pytorch.num_interop_threads=")) {
            assertTrue(opts.contains(flag), name + ": JDK_JAVA_OPTIONS lacks " + flag + ": " + opts);
        }
        env.keySet().stream().filter(k -> k.startsWith("VITSTREAM_")).forEach(k ->
                assertTrue(ServiceConfig.isVitstreamEnv(k), name + ": " + k + " sets no key of VitstreamConfig"));
    }

    /** The image loads the library bake-djl.sh put in place, for a flavour DJL's JNI jar has. */
    @ParameterizedTest
    @ValueSource(strings = {"Dockerfile.jvm", "Dockerfile.cuda"})
    void bakedEngineMatchesTheEnvironmentAndTheJniJar(String name) throws IOException {
        Repo.requirePackagedService();
        Dockerfile file = Dockerfile.read(Repo.DEPLOY.resolve("docker").resolve(name));
        Map<String, String> env = file.env();
        String bake = file.all("RUN").stream().map(i -> i.args().get(0)).filter(r -> r.contains("bake-djl.sh"))
                .findFirst().orElseThrow(() -> new AssertionError(name + " does not run bake-djl.sh"));
        String[] words = bake.split("\\s+");
        int at = List.of(words).indexOf("/build/bake-djl.sh");
        String flavor = words[at + 1];
        String cache = words[at + 3];
        assertEquals(flavor, env.get("PYTORCH_FLAVOR"), name + ": the flavour baked is the one loaded");
        assertEquals(cache, env.get("ENGINE_CACHE_DIR"), name);
        assertEquals(cache + "/pytorch/active", env.get("PYTORCH_LIBRARY_PATH"), name);
        assertTrue(file.last("COPY").stream().anyMatch(c -> "engine".equals(c.flags().get("from"))
                && c.args().equals(List.of(cache, cache))), name + ": the final stage copies " + cache + " from the engine stage");

        Path jni = onlyJar("ai.djl.pytorch.pytorch-jni-*.jar");
        try (ZipFile zip = new ZipFile(jni.toFile())) {
            String entry = "jnilib/linux-x86_64/" + flavor + "/libdjl_torch.so";
            assertTrue(zip.getEntry(entry) != null, jni.getFileName() + " has no " + entry + ": DJL cannot load flavour " + flavor);
        }
    }

    private static Path onlyJar(String glob) throws IOException {
        PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + glob);
        try (Stream<Path> s = Files.list(Repo.QUARKUS_APP.resolve("lib/main"))) {
            List<Path> found = s.filter(p -> m.matches(p.getFileName())).toList();
            assertEquals(1, found.size(), glob + " in lib/main: " + found);
            return found.get(0);
        }
    }

    /** Paths the Dockerfile's own .dockerignore re-includes after excluding everything. */
    private static List<String> contextIncludes(String dockerfile) {
        List<String> lines = Repo.read(Repo.DEPLOY.resolve("docker").resolve(dockerfile + ".dockerignore")).lines()
                .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertEquals("*", lines.get(0), dockerfile + ".dockerignore starts by excluding everything");
        assertTrue(lines.subList(1, lines.size()).stream().allMatch(l -> l.startsWith("!")), dockerfile + ".dockerignore: " + lines);
        return lines.subList(1, lines.size()).stream().map(l -> l.substring(1)).toList();
    }

    /** Files or folders a COPY source names, relative to the build context (globs as Docker's). */
    private static long matches(String source) throws IOException {
        String clean = source.endsWith("/") ? source.substring(0, source.length() - 1) : source;
        if (!clean.contains("*") && !clean.contains("?")) {
            return Files.exists(Repo.ROOT.resolve(clean)) ? 1 : 0;
        }
        Path dir = Repo.ROOT.resolve(clean).getParent();
        PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + Repo.ROOT.resolve(clean));
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(m::matches).count();
        }
    }

    /** The decoder library the image bakes is in the packaged jar, and the service is pointed at it. */
    @ParameterizedTest
    @ValueSource(strings = {"Dockerfile.jvm", "Dockerfile.cuda"})
    void bakesTheNativeDecoderItLoads(String name) throws IOException {
        Repo.requirePackagedService();
        Dockerfile file = Dockerfile.read(Repo.DEPLOY.resolve("docker").resolve(name));
        String unzip = file.all("RUN").stream().map(r -> r.args().get(0)).filter(r -> r.contains("opencv")).findFirst()
                .orElseThrow(() -> new AssertionError(name + ": no RUN extracts the OpenCV library"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("'([^']+\\.so)' -d (\\S+)").matcher(unzip);
        assertTrue(m.find(), name + ": cannot read the extracted entry from " + unzip);
        String entry = m.group(1);
        String dir = m.group(2);
        try (Stream<Path> jars = Files.list(Repo.QUARKUS_APP.resolve("lib/main"))) {
            Path jar = jars.filter(p -> p.getFileName().toString().startsWith("org.openpnp.opencv-")).findFirst()
                    .orElseThrow(() -> new AssertionError("no org.openpnp.opencv jar in the packaged service"));
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                assertTrue(zip.getEntry(entry) != null, name + ": " + entry + " is not in " + jar.getFileName());
            }
        }
        String lib = entry.substring(entry.lastIndexOf('/') + 1);
        assertEquals(dir + "/" + lib, file.env().get("OPENCV_JAVA_LIBRARY"), name + ": OPENCV_JAVA_LIBRARY");
        assertTrue(file.last("COPY").stream().anyMatch(c -> c.args().get(0).equals(dir)), name + ": " + dir
                + " is not copied into the final stage");
    }
}
