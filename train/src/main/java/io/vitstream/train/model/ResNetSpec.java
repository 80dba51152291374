package io.vitstream.train.model;

import io.vitstream.backbone.resnet.ResNetConfig;

import java.util.List;

/**
 * A ResNet-50 written on one line for {@code --resnet50}: the ResNet-50 block counts (3, 4, 6, 3)
 * with {@code channels=N} bottleneck widths N, 2N, 4N, 8N (ResNet-50: 64; C5 has 32N channels)
 * or four widths {@code channels=a/b/c/d}, {@code dilation=true} for the stride-16 C5 of
 * DETR-DC5, and {@code image=N} or {@code HxW}.
 */
public final class ResNetSpec {

    private static final List<String> KEYS = List.of("channels", "dilation", "image");

    private ResNetSpec() {}

    /**
     * Parses a spec; {@code image} defaults to the given size.
     *
     * @throws IllegalArgumentException naming the unknown key or bad value
     */
    public static ResNetConfig parse(String spec, int imageHeight, int imageWidth) {
        KeyValues kv = KeyValues.parse("--resnet50", spec, KEYS);
        ResNetConfig preset = ResNetConfig.resnet50(kv.flag("dilation", false));
        int[] size = kv.size("image", imageHeight, imageWidth);
        return new ResNetConfig(preset.name(), preset.layers(), channels(kv.string("channels", "64")), preset.dilated(),
                size[0], size[1]);
    }

    private static int[] channels(String v) {
        String[] parts = v.split("/");
        int[] out = new int[4];
        try {
            if (parts.length == 1) {
                int n = Integer.parseInt(parts[0]);
                for (int i = 0; i < 4; i++) out[i] = n << i;
            } else if (parts.length == 4) {
                for (int i = 0; i < 4; i++) out[i] = Integer.parseInt(parts[i]);
            } else {
                throw new IllegalArgumentException("--resnet50: 'channels=" + v + "' must be N or four widths a/b/c/d");
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--resnet50: 'channels=" + v + "' is not N or a/b/c/d", e);
        }
        return out;
    }
}
