package io.vitstream.train.model;

import io.vitstream.backbone.vit.ViTConfig;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A ViT size written on one line, for the command line: a preset ({@code "Ti/16"}) or
 * {@code key=value} pairs, e.g. {@code "d=96,layers=6,heads=4,mlp=192,patch=4"}. Keys:
 * {@code d, layers, heads, mlp, patch, image} (square side, or {@code HxW}), {@code drop_path},
 * {@code dropout}, {@code registers}, {@code cls} ({@code true}/{@code false}).
 */
public final class VitSpec {

    private VitSpec() {}

    /**
     * Parses a spec; {@code image} defaults to the given size.
     *
     * @throws IllegalArgumentException naming the unknown key or bad value
     */
    public static ViTConfig parse(String spec, int imageHeight, int imageWidth) {
        if (spec.contains("/")) {
            return ViTConfig.preset(spec).toBuilder().optImageSize(imageHeight, imageWidth).build();
        }
        Map<String, String> kv = new LinkedHashMap<>();
        for (String part : spec.split(",")) {
            String[] p = part.trim().split("=", 2);
            if (p.length != 2) throw new IllegalArgumentException("--vit: '" + part + "' is not key=value");
            kv.put(p[0].trim().toLowerCase(Locale.ROOT), p[1].trim());
        }
        ViTConfig.Builder b = ViTConfig.builder().optLayerNormEps(1e-6).optImageSize(imageHeight, imageWidth);
        for (Map.Entry<String, String> e : kv.entrySet()) {
            String v = e.getValue();
            try {
                switch (e.getKey()) {
                    case "d": b.setHiddenSize(Integer.parseInt(v)); break;
                    case "layers": b.setNumLayers(Integer.parseInt(v)); break;
                    case "heads": b.setNumHeads(Integer.parseInt(v)); break;
                    case "mlp": b.setIntermediateSize(Integer.parseInt(v)); break;
                    case "patch": b.setPatchSize(Integer.parseInt(v)); break;
                    case "image": imageSize(b, v); break;
                    case "drop_path": b.optDropPathRate(Double.parseDouble(v)); break;
                    case "dropout": b.optHiddenDropout(Double.parseDouble(v)); break;
                    case "registers": b.optNumRegisterTokens(Integer.parseInt(v)); break;
                    case "cls": b.optUseClassToken(Boolean.parseBoolean(v)); break;
                    default: throw new IllegalArgumentException("--vit: unknown key '" + e.getKey()
                            + "'; known: d, layers, heads, mlp, patch, image, drop_path, dropout, registers, cls");
                }
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException("--vit: '" + e.getKey() + "=" + v + "' is not a number", ex);
            }
        }
        return b.build();
    }

    private static void imageSize(ViTConfig.Builder b, String v) {
        String[] hw = v.toLowerCase(Locale.ROOT).split("x");
        b.optImageSize(Integer.parseInt(hw[0]), Integer.parseInt(hw[hw.length - 1]));
    }
}
