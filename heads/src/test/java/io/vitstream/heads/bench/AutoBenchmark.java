package io.vitstream.heads.bench;

import ai.djl.Device;

import io.vitstream.backbone.Djl;
import io.vitstream.backbone.RandomCheckpoints;
import io.vitstream.backbone.checkpoint.StorageType;
import io.vitstream.heads.PathSelection;
import io.vitstream.heads.VisionModel;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What {@code vitstream.model.precision=auto} measures and chooses on this machine: for each
 * preset (a random-weight Hugging Face {@code ViTForImageClassification} folder, 1000 labels,
 * 224x224) and batch size, {@link PathSelection#select} exactly as the service runs it at start,
 * with the default tolerances, and its table of candidates. {@code tools/bench-auto.sh}.
 *
 * <p>Options: {@code --presets S/16,B/16 --batches 1,8 --timed-batches 3}.
 */
public final class AutoBenchmark {

    private AutoBenchmark() {}

    public static void main(String[] args) {
        Djl.ensureOffline();
        List<String> presets = List.of("S/16", "B/16");
        List<Integer> batches = List.of(1, 8);
        int timed = 3;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--presets" -> presets = List.of(args[++i].split(","));
                case "--batches" -> batches = Arrays.stream(args[++i].split(",")).map(Integer::valueOf).toList();
                case "--timed-batches" -> timed = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; use --presets S/16,B/16 --batches 1,8 --timed-batches 3");
            }
        }
        List<String> rows = new ArrayList<>();
        Path work = Path.of("heads/target/bench-auto").toAbsolutePath();
        for (String preset : presets) {
            Path folder = RandomCheckpoints.classifier(work.resolve(preset.replace("/", "")), preset, 1000, StorageType.F32, 3);
            for (int batch : batches) {
                PathSelection.Result r = PathSelection.select(folder, Device.cpu(),
                        PathSelection.candidates(Device.cpu(), PathSelection.cpuHasBf16()), batch, timed,
                        PathSelection.Tolerances.DEFAULT);
                try (VisionModel chosen = r.model()) {
                    for (PathSelection.Candidate c : r.candidates()) {
                        rows.add(String.format(Locale.ROOT, "| ViT-%s | %d | %s | %s | %s | %s | %s |%s", preset, batch, c.path(),
                                c.msPerImage() == null ? "not timed" : String.format(Locale.ROOT, "%.1f", c.msPerImage()),
                                c.maxRelativeDiff() == null ? "" : String.format(Locale.ROOT, "%.2g", c.maxRelativeDiff()),
                                c.top1Agreement() == null ? "" : String.format(Locale.ROOT, "%.0f%%", 100 * c.top1Agreement()),
                                c.path().equals(r.chosen().label()) ? "**chosen**" : c.withinTolerance() ? "" : "outside tolerance",
                                c.note().startsWith("failed") ? " " + c.note() : ""));
                    }
                    System.out.println(r.describe());
                }
            }
        }
        System.out.printf(Locale.ROOT, "%n### precision=auto at start, random-weight classifiers, 224x224%n%n%s%n"
                + "- tolerances (defaults): relative diff <= %.2g, top-1 agreement >= %.0f%%; %d timed batches per candidate%n%n",
                io.vitstream.backbone.bench.Machine.describe(), PathSelection.Tolerances.DEFAULT.maxRelativeDiff(),
                100 * PathSelection.Tolerances.DEFAULT.minTop1Agreement(), timed);
        System.out.println("| model | batch | path | ms/image | max relative diff vs fp32 | top-1 agreement | |");
        System.out.println("|---|---:|---|---:|---:|---:|---|");
        rows.forEach(System.out::println);
    }
}
