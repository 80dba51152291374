package io.vitstream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;

/**
 * Runs the images' bake step on the packaged service's jars and checks it lays the library out
 * where DJL 0.35.1 looks for it (pytorch-engine's LibUtils): the folder named
 * {@code <version>-<flavor>-<classifier>} with the native jar's version, every library the jar
 * lists, and the JNI named after the DJL version. Files are compared with the jar entries by size.
 */
class BakeDjlTest {

    @Test
    void cpuBakeLaysOutTheLibraryAsDjlExtractsIt(@TempDir Path out) throws IOException, InterruptedException {
        Repo.requirePackagedService();
        Path lib = Repo.QUARKUS_APP.resolve("lib/main");
        Process p = new ProcessBuilder("sh", Repo.DEPLOY.resolve("docker/bake-djl.sh").toString(), "cpu", lib.toString(),
                out.toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "bake-djl.sh did not finish");
        assertEquals(0, p.exitValue(), log);

        Path nativeJar = jar(lib, "ai.djl.pytorch.pytorch-native-cpu-");
        Properties nat = properties(nativeJar, "native/lib/pytorch.properties");
        Properties engine = properties(jar(lib, "ai.djl.pytorch.pytorch-engine-"), "pytorch-engine.properties");
        String folder = nat.getProperty("version") + "-cpu-" + nat.getProperty("classifier");
        Path dir = out.resolve("pytorch").resolve(folder);
        assertEquals(dir.toRealPath(), out.resolve("pytorch/active").toRealPath(), "active points at " + folder);
        try (ZipFile zip = new ZipFile(nativeJar.toFile())) {
            for (String name : nat.getProperty("libraries").split(",")) {
                var entry = zip.stream().filter(e -> e.getName().endsWith("/" + name)).findFirst().orElseThrow();
                assertEquals(entry.getSize(), Files.size(dir.resolve(name)), name);
            }
        }
        Path jni = dir.resolve(engine.getProperty("djl_version") + "-libdjl_torch.so");
        try (ZipFile zip = new ZipFile(jar(lib, "ai.djl.pytorch.pytorch-jni-").toFile())) {
            assertEquals(zip.getEntry("jnilib/linux-x86_64/cpu/libdjl_torch.so").getSize(), Files.size(jni));
        }
    }

    private static Path jar(Path lib, String prefix) throws IOException {
        try (var s = Files.list(lib)) {
            List<Path> found = s.filter(f -> f.getFileName().toString().startsWith(prefix)).toList();
            assertEquals(1, found.size(), prefix + "* in " + lib);
            return found.get(0);
        }
    }

    private static Properties properties(Path jar, String entry) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile()); InputStream in = zip.getInputStream(zip.getEntry(entry))) {
            Properties p = new Properties();
            p.load(in);
            return p;
        }
    }
}
