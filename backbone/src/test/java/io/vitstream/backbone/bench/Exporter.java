package io.vitstream.backbone.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@code tools/export_onnx.py} on a checkpoint folder. */
final class Exporter {

    private Exporter() {}

    /**
     * Exports {@code folder} to {@code onnx} at 224x224.
     *
     * @return the exporter's last line, or a message starting with {@code "skipped"} when Python,
     *     torch or the export itself failed (the benchmark then runs without that ORT path)
     */
    static String run(ViTBenchmark.Options o, Path folder, Path onnx, String precision) {
        List<String> cmd = new java.util.ArrayList<>(List.of(o.python(), o.root().resolve("tools/export_onnx.py").toString(),
                folder.toString(), onnx.toString(), "--height", "224", "--width", "224", "--dtype", precision));
        if (!precision.equals("fp32")) cmd.add("--no-check");
        System.out.println("exporting: " + String.join(" ", cmd));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(30, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return "skipped: the exporter did not finish in 30 minutes";
            }
            String[] lines = out.split("\n");
            String last = lines[lines.length - 1].strip();
            if (p.exitValue() == 0) {
                System.out.println(out.replaceAll("(?m)^", "  "));
                return last.replaceFirst("^export_onnx: ", "").replace(o.root() + "/", "");
            }
            System.out.println(out.replaceAll("(?m)^", "  | "));
            return p.exitValue() == 2 ? "skipped: torch is not installed for " + o.python()
                    + " (apt-get install python3-torch)"
                    : "skipped: the exporter failed (exit " + p.exitValue() + "): " + last;
        } catch (IOException e) {
            return "skipped: cannot run " + o.python() + " (" + e.getMessage()
                    + "); install Debian's python3-torch or pass --python";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "skipped: interrupted";
        }
    }
}
