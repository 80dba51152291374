package io.vitstream.train.model;

import io.vitstream.backbone.dinov2.Dinov2Config;
import io.vitstream.backbone.nn.Activation;

import java.util.List;
import java.util.Map;

/**
 * A DINOv2 size written on one line for {@code --dinov2}: key=value pairs, e.g.
 * {@code "d=96,layers=6,heads=4,mlp_ratio=2,patch=4,registers=4,layerscale=1e-5,swiglu=false"},
 * optionally starting from a preset ({@code preset=S/14}). Keys: {@code preset, d, layers, heads,
 * mlp_ratio, patch, image} (the square side the position embeddings are made for), {@code registers}
 * (more than 0 makes a {@code dinov2_with_registers} model), {@code layerscale} (initial layer
 * scale), {@code swiglu}, {@code drop_path}, {@code dropout}.
 */
public final class Dinov2Spec {

    /** The released sizes (Oquab et al. 2023, table 17): D, layers, heads, SwiGLU. */
    static final Map<String, int[]> PRESETS = Map.of(
            "S/14", new int[] {384, 12, 6, 0},
            "B/14", new int[] {768, 12, 12, 0},
            "L/14", new int[] {1024, 24, 16, 0},
            "g/14", new int[] {1536, 40, 24, 1});

    private static final List<String> KEYS = List.of("preset", "d", "layers", "heads", "mlp_ratio", "patch", "image",
            "registers", "layerscale", "swiglu", "drop_path", "dropout");

    private Dinov2Spec() {}

    /**
     * Parses a spec; {@code image} defaults to the given side.
     *
     * @throws IllegalArgumentException naming the unknown key, preset or bad value
     */
    public static Dinov2Config parse(String spec, int image) {
        KeyValues kv = KeyValues.parse("--dinov2", spec, KEYS);
        String preset = kv.string("preset", null);
        int[] p = preset == null ? new int[] {96, 6, 4, 0} : PRESETS.get(preset);
        if (p == null) throw new IllegalArgumentException("--dinov2: unknown preset '" + preset + "'; known: " + PRESETS.keySet());
        int registers = kv.integer("registers", 0);
        return new Dinov2Config(registers > 0, kv.integer("image", image), kv.integer("patch", preset == null ? 4 : 14), 3,
                kv.integer("d", p[0]), kv.integer("layers", p[1]), kv.integer("heads", p[2]),
                kv.number("mlp_ratio", preset == null ? 2 : 4), Activation.GELU, 1e-6, true,
                kv.number("layerscale", 1e-5), kv.flag("swiglu", p[3] == 1), registers, registers > 0,
                kv.number("dropout", 0), 0, kv.number("drop_path", 0), 0.02);
    }
}
