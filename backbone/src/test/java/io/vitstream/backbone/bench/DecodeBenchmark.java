package io.vitstream.backbone.bench;

import io.vitstream.backbone.CameraFrames;
import io.vitstream.backbone.image.DecodeMode;
import io.vitstream.backbone.image.ImageDecoder;
import io.vitstream.backbone.image.ImageLimits;
import io.vitstream.backbone.image.ImagePreprocessor;
import io.vitstream.backbone.image.NativeCodec;
import io.vitstream.backbone.image.PreprocessorConfig;
import io.vitstream.backbone.image.Resampler;
import io.vitstream.backbone.image.RgbImage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Frames per second on one thread, encoded camera frame to a 224x224 ViT input, for each decode
 * path, in one run: JPEG and PNG at 640x480, 1280x720, 1920x1080 and 3840x2160. Run with
 * {@code tools/bench-decode.sh [--seconds 2]}; prints a Markdown table.
 *
 * <p>Columns: ImageIO alone (JDK decoder, no resize); native decode alone (full size);
 * before (ImageIO, then {@code Resampler.resize}, then a per-pixel normalization: the path
 * before the native decoder); {@code exact} and {@code fast} (what the service runs).
 */
public final class DecodeBenchmark {

    private DecodeBenchmark() {}

    public static void main(String[] args) {
        double seconds = 2;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--seconds")) {
                seconds = Double.parseDouble(args[++i]);
            } else {
                throw new IllegalArgumentException("unknown option " + args[i] + "; options: --seconds S");
            }
        }
        if (!NativeCodec.available()) {
            throw new IllegalStateException("native decoder unavailable: " + NativeCodec.unavailableReason());
        }
        PreprocessorConfig cfg = PreprocessorConfig.vitDefaults(224, 224);
        ImageLimits limits = ImageLimits.DEFAULT;
        ImageDecoder decoder = new ImageDecoder(limits);
        ImagePreprocessor exact = new ImagePreprocessor(cfg, limits, DecodeMode.EXACT);
        ImagePreprocessor fast = new ImagePreprocessor(cfg, limits, DecodeMode.FAST);

        Map<String, Consumer<byte[]>> paths = new LinkedHashMap<>();
        paths.put("ImageIO alone", decoder::decodeWithImageIO);
        paths.put("native alone", decoder::decode);
        paths.put("before (ImageIO + resize + normalize)", b -> before(decoder.decodeWithImageIO(b), cfg));
        paths.put("exact", exact::prepare);
        paths.put("fast", fast::prepare);

        System.out.println("### Decode to a 224x224 input, frames/s on one thread");
        System.out.println();
        System.out.println(Machine.describe() + "; " + NativeCodec.describe() + "; " + seconds
                + " s per cell after warm-up; camera-like frames from CameraFrames: JPEG q0.9 4:2:0 with sensor"
                + " noise (sd 4), the same scene without noise (smooth), PNG of the noisy scene");
        System.out.println();
        StringBuilder head = new StringBuilder("| frame | bytes |");
        StringBuilder rule = new StringBuilder("|---|---:|");
        for (String p : paths.keySet()) {
            head.append(' ').append(p).append(" |");
            rule.append("---:|");
        }
        System.out.println(head);
        System.out.println(rule);
        int[][] sizes = {{640, 480}, {1280, 720}, {1920, 1080}, {3840, 2160}};
        for (String format : new String[] {"JPEG", "JPEG smooth", "PNG"}) {
            for (int[] s : sizes) {
                byte[] frame = switch (format) {
                    case "JPEG" -> CameraFrames.jpeg(s[0], s[1], s[0]);
                    case "JPEG smooth" -> CameraFrames.jpeg(s[0], s[1], s[0], 0);
                    default -> CameraFrames.png(s[0], s[1], s[0]);
                };
                List<String> cells = new ArrayList<>();
                for (Map.Entry<String, Consumer<byte[]>> p : paths.entrySet()) {
                    if (format.equals("PNG") && p.getKey().equals("fast")) {
                        cells.add("= exact");
                        continue;
                    }
                    cells.add(String.format("%.1f", rate(p.getValue(), frame, seconds)));
                }
                System.out.printf("| %s %dx%d | %d | %s |%n", format, s[0], s[1], frame.length, String.join(" | ", cells));
            }
        }
    }

    /** Frames per second of {@code path} on this thread, after a warm-up of half the time. */
    private static double rate(Consumer<byte[]> path, byte[] frame, double seconds) {
        long warm = System.nanoTime() + (long) (seconds * 0.5e9);
        while (System.nanoTime() < warm) {
            path.accept(frame);
        }
        int n = 0;
        long t0 = System.nanoTime();
        long end = t0 + (long) (seconds * 1e9);
        long now;
        do {
            path.accept(frame);
            n++;
            now = System.nanoTime();
        } while (now < end);
        return n / ((now - t0) / 1e9);
    }

    /** The path before the native decoder: resize, then a per-pixel normalization into CHW. */
    private static float[] before(RgbImage img, PreprocessorConfig cfg) {
        RgbImage r = Resampler.resize(img, cfg.width(), cfg.height(), cfg.resample());
        int plane = r.width() * r.height();
        float[] out = new float[3 * plane];
        float scale = (float) cfg.rescaleFactor();
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < plane; i++) {
                float v = (r.rgb()[i * 3 + c] & 0xff) * scale;
                out[c * plane + i] = (v - cfg.mean()[c]) / cfg.std()[c];
            }
        }
        return out;
    }
}
