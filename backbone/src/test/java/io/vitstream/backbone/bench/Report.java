package io.vitstream.backbone.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

/** The Markdown section of {@code docs/benchmarks.md}. */
final class Report {

    private Report() {}

    static String section(ViTBenchmark.Options o, List<ViTBenchmark.Cell> cells, List<String> notes,
            String loadBefore, String loadAfter, double others) {
        StringBuilder s = new StringBuilder();
        s.append("### ViT encoder forward, 224x224, random weights").append(o.quick() ? " (quick run)" : "").append("\n\n");
        s.append("Measured ").append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append(" with\n\n    tools/bench-vit.sh ")
                .append(String.join(" ", o.args())).append("\n\n");
        s.append(Machine.describe()).append("\n- load average (1, 5, 15 min) before: ").append(loadBefore)
                .append("; after: ").append(loadAfter);
        double worst = cells.stream().mapToDouble(ViTBenchmark.Cell::others).max().orElse(0);
        s.append(String.format(Locale.ROOT, "\n- other processes used %.0f%% of the machine's CPU time over the whole run "
                + "(waits included) and at most %.0f%% while a reported cell was timed (last column)\n\n", others, worst));
        if (worst > o.busyPercent()) {
            s.append("**The machine was not idle**: other processes competed for the cores while some cells were timed "
                    + "(last column), so those numbers are slower and noisier than on an idle machine.\n\n");
        }
        s.append("Timed: cast of a ready fp32 input tensor to the model precision plus the encoder forward (output "
                + "`last_hidden_state`), no decoding or preprocessing. ").append(o.warmups()).append(" to ")
                .append(o.maxWarmups())
                .append(" warm-up runs (until a run is no longer 5% faster than the one before), then at least ")
                .append(o.minRuns()).append(" timed runs (more for fast cells, about ").append((int) (o.targetMs() / 1000))
                .append(" s per cell); median per batch, min–max shows the spread. A cell during which other processes "
                + "took more than ").append((int) o.busyPercent()).append("% of the CPU time is measured again (up to ")
                .append(o.attempts())
                .append(" attempts, the least disturbed one is kept); before the warm-up and each attempt of a full run "
                + "the benchmark waits (up to 10 minutes) until other processes use less than 10% of the CPU.\n\n");
        s.append("| model | path | precision | batch | runs | median ms/batch | ms/image | images/s | ms/image min–max "
                + "| others' CPU |\n");
        s.append("|---|---|---|---:|---:|---:|---:|---:|---|---:|\n");
        cells.forEach(c -> s.append(c.row()).append('\n'));
        s.append('\n');
        notes.forEach(n -> s.append("- ").append(n).append('\n'));
        return s.toString();
    }

    /** Replaces the text between the markers, appends the markers, or creates the file. */
    static void write(Path file, String section, String begin, String end) throws IOException {
        String block = begin + "\n" + section.strip() + "\n" + end;
        String text;
        if (!Files.exists(file)) {
            text = "# Benchmarks\n\n" + block + "\n";
        } else {
            String old = Files.readString(file, StandardCharsets.UTF_8);
            int b = old.indexOf(begin);
            int e = old.indexOf(end);
            if (b >= 0 && e > b) {
                text = old.substring(0, b) + block + old.substring(e + end.length());
            } else {
                text = old.stripTrailing() + "\n\n" + block + "\n";
            }
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
