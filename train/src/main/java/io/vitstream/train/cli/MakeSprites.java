package io.vitstream.train.cli;

import io.vitstream.analytics.sequences.Sprites;
import io.vitstream.train.data.FashionMnist;
import io.vitstream.train.data.ImageSet;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code make-sprites}: the sprite sheet the sequence generator draws its items from, the first
 * N images of every class of one Fashion-MNIST split (the committed sheet: 20 per class of the
 * test split, so a detector trained on the training split has never seen them).
 */
final class MakeSprites {

    static final String DEFAULT_OUT = "analytics/src/main/resources/io/vitstream/analytics/sequences";

    private MakeSprites() {}

    static void run(Args a, PrintStream log) {
        Path out = Path.of(a.string("out", DEFAULT_OUT));
        FashionMnist.Split split = FashionMnist.Split.valueOf(a.string("split", "test").toUpperCase(Locale.ROOT));
        Path data = a.path("data", FashionMnist.DEFAULT_DIR.toString());
        int perClass = a.integer("per-class", 20);
        a.requireAllUsed();
        ImageSet set = FashionMnist.load(data, split);
        String source = "fashion-mnist " + split.name().toLowerCase(Locale.ROOT);
        Sprites sprites = Sprites.firstPerClass(set.classes(), set.labels(), set.pixels(), perClass, source);
        sprites.write(out.resolve(Sprites.BUNDLED_PNG), out.resolve(Sprites.BUNDLED_LABELS));
        log.printf(Locale.ROOT, "make-sprites: %d sprites (%d per class, %s split) in %s%n", sprites.size(), perClass,
                split.name().toLowerCase(Locale.ROOT), out);
    }
}
