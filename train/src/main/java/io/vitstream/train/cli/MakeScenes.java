package io.vitstream.train.cli;

import io.vitstream.train.data.DetectionSet;
import io.vitstream.train.data.FashionMnist;
import io.vitstream.train.data.ImageSet;
import io.vitstream.train.scenes.FashionScenes;
import io.vitstream.train.scenes.SceneWriter;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code make-scenes}: writes a fashion-scenes COCO data set ({@code instances.json} and
 * {@code images/*.png}) from one Fashion-MNIST split with a fixed seed.
 */
final class MakeScenes {

    private MakeScenes() {}

    static void run(Args a, PrintStream log) {
        Path out = Path.of(a.required("out"));
        FashionMnist.Split split = FashionMnist.Split.valueOf(a.string("split", "train").toUpperCase(Locale.ROOT));
        ImageSet items = FashionMnist.load(a.path("data", FashionMnist.DEFAULT_DIR.toString()), split);
        FashionScenes d = FashionScenes.DEFAULT;
        FashionScenes scenes = new FashionScenes(a.integer("size", d.size()), a.integer("min-items", d.minItems()),
                a.integer("max-items", d.maxItems()), a.number("min-scale", d.minScale()), a.number("max-scale", d.maxScale()),
                a.number("max-overlap", d.maxOverlap()));
        int count = a.integer("count", 1000);
        long seed = a.integer("seed", 1);
        String prefix = a.string("prefix", "scene-");
        a.requireAllUsed();
        DetectionSet set = scenes.generate(items, count, seed);
        SceneWriter.write(set, out, prefix);
        int objects = set.objects().stream().mapToInt(o -> o.labels().length).sum();
        log.printf(Locale.ROOT, "make-scenes: %d scenes, %d objects from the %s split (seed %d) in %s%n",
                count, objects, split.name().toLowerCase(Locale.ROOT), seed, out);
    }
}
