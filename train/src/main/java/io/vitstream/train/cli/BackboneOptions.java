package io.vitstream.train.cli;

import io.vitstream.backbone.Backbone;
import io.vitstream.backbone.dinov2.Dinov2;
import io.vitstream.backbone.resnet.ResNet;
import io.vitstream.backbone.vit.ViT;
import io.vitstream.train.model.Dinov2Spec;
import io.vitstream.train.model.ResNetSpec;
import io.vitstream.train.model.VitSpec;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code --backbone vit|dinov2|resnet50} and the size option of each ({@code --vit},
 * {@code --dinov2}, {@code --resnet50}), shared by train-classifier and train-detector. A size
 * option describes a new backbone; with {@code --init} the backbone comes from the folder, and
 * {@code --backbone}, when given, must name its family.
 *
 * @param name the chosen family
 * @param spec its size option's value (the default when not given)
 */
record BackboneOptions(String name, String spec) {

    /** The default size of each family: small models for Fashion-MNIST-sized images. */
    static final Map<String, String> DEFAULT_SPECS = Map.of(
            "vit", "d=96,layers=6,heads=4,mlp=192,patch=4",
            "dinov2", "d=96,layers=6,heads=4,mlp_ratio=2,patch=4,registers=0,layerscale=1e-5,swiglu=false",
            "resnet50", "channels=64,dilation=false");

    static final List<String> NAMES = List.of("vit", "dinov2", "resnet50");

    /**
     * Reads the options.
     *
     * @param init the checkpoint folder, or {@code null} for a new backbone
     * @throws IllegalArgumentException for an unknown family, a size option of another family, or
     *     a size option given with {@code --init}
     */
    static BackboneOptions read(Args a, Path init) {
        String asked = a.string("backbone", null);
        String name = asked == null ? "vit" : asked;
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("--backbone must be one of " + String.join(", ", NAMES) + ", got '" + name + "'");
        }
        String vit = a.string("vit", null);
        String dinov2 = a.string("dinov2", null);
        String resnet = a.string("resnet50", null);
        Map<String, String> given = new java.util.LinkedHashMap<>();
        if (vit != null) given.put("vit", vit);
        if (dinov2 != null) given.put("dinov2", dinov2);
        if (resnet != null) given.put("resnet50", resnet);
        for (String option : given.keySet()) {
            if (init != null) {
                throw new IllegalArgumentException("--" + option + " describes a new backbone; with --init " + init
                        + " the backbone comes from that folder");
            }
            if (!option.equals(name)) {
                throw new IllegalArgumentException("--" + option + " given but --backbone is " + name
                        + (asked == null ? " (the default); add --backbone " + option : ""));
            }
        }
        return new BackboneOptions(asked == null && init != null ? null : name, given.getOrDefault(name, DEFAULT_SPECS.get(name)));
    }

    /** A new, uninitialized backbone of the chosen family and size for inputs of {@code height x width}. */
    Backbone create(int height, int width) {
        switch (name) {
            case "vit": return new ViT(VitSpec.parse(spec, height, width));
            case "dinov2":
                if (height != width) throw new IllegalArgumentException("--backbone dinov2 needs square inputs, got " + height + "x" + width);
                return new Dinov2(Dinov2Spec.parse(spec, height));
            case "resnet50": return new ResNet(ResNetSpec.parse(spec, height, width));
            default: throw new IllegalStateException(name);
        }
    }

    /**
     * Checks a loaded backbone against an explicit {@code --backbone}.
     *
     * @throws IllegalArgumentException naming both when they differ
     */
    void check(Backbone loaded, Path init) {
        if (name != null && !name.equals(family(loaded))) {
            throw new IllegalArgumentException("--backbone " + name + " but --init " + init + " holds a "
                    + loaded.architecture() + " backbone (" + loaded.describe() + "); drop --backbone or pick another folder");
        }
    }

    /** The {@code --backbone} name of a backbone: {@code dinov2} covers DINOv2 with registers. */
    static String family(Backbone b) {
        return b.architecture().startsWith("dinov2") ? "dinov2" : b.architecture();
    }
}
