package io.vitstream.train.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Fashion-MNIST (Xiao, Rasul and Vollgraf 2017): 60,000 training and 10,000 test images of 28x28
 * grey clothing items in 10 classes, as four IDX files (Debian's {@code dataset-fashion-mnist}
 * installs them gzipped in {@link #DEFAULT_DIR}).
 */
public final class FashionMnist {

    /** Where Debian's package puts the files. */
    public static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");

    /** The class names, by label. */
    public static final List<String> CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    /** The two splits. */
    public enum Split {
        TRAIN("train"), TEST("t10k");

        private final String stem;

        Split(String stem) {
            this.stem = stem;
        }
    }

    private FashionMnist() {}

    /**
     * Loads one split from a folder holding the IDX files, gzipped ({@code .gz}) or not.
     *
     * @throws IllegalArgumentException naming the missing file and how to install it
     */
    public static ImageSet load(Path dir, Split split) {
        Idx.Array images = Idx.read(find(dir, split.stem + "-images-idx3-ubyte"));
        Idx.Array labels = Idx.read(find(dir, split.stem + "-labels-idx1-ubyte"));
        if (images.dims().length != 3 || labels.dims().length != 1 || images.count() != labels.count()) {
            throw new IllegalArgumentException(dir + ": " + split.stem + " images " + java.util.Arrays.toString(images.dims())
                    + " do not match labels " + java.util.Arrays.toString(labels.dims()));
        }
        int[] lab = new int[labels.count()];
        for (int i = 0; i < lab.length; i++) lab[i] = labels.data()[i] & 0xff;
        return new ImageSet(CLASSES, lab, images.dims()[1], images.dims()[2], 1, images.data());
    }

    private static Path find(Path dir, String stem) {
        for (String name : new String[] {stem + ".gz", stem}) {
            if (Files.isRegularFile(dir.resolve(name))) return dir.resolve(name);
        }
        throw new IllegalArgumentException("Fashion-MNIST file " + dir.resolve(stem + ".gz") + " not found"
                + " (install it with 'apt-get install dataset-fashion-mnist', or pass --data DIR)");
    }
}
