package io.vitstream.backbone.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.translate.TranslateException;

import io.vitstream.backbone.Backbone;
import io.vitstream.backbone.Djl;
import io.vitstream.backbone.Precision;

import java.util.Locale;

/** Checks once per preset that every measured path computes the same function. */
public final class Parity {

    /** ONNX Runtime fp32 must match our fp32 this closely (absolute, outputs are LayerNorm-scaled). */
    static final double ORT_FP32_TOLERANCE = 1e-3;

    private Parity() {}

    /**
     * Compares ours bf16 and ORT (fp32, bf16 when present) with ours fp32 on one seeded batch of 2.
     *
     * @return a line for the report
     * @throws IllegalStateException when ORT fp32 differs by more than {@link #ORT_FP32_TOLERANCE}
     */
    static String check(String preset, Backbone vit32, Backbone vit16, ViTBenchmark.OrtPath ort32,
            ViTBenchmark.OrtPath ort16) throws TranslateException {
        float[] ref = ours(vit32, Precision.FP32);
        StringBuilder line = new StringBuilder("ViT-" + preset + " parity on a seeded batch of 2 (vs ours fp32, |values| up to "
                + fmt(maxAbs(ref)) + "): ours bf16 " + compare(ref, ours(vit16, Precision.BF16)));
        if (ort32 != null) {
            float[] got = ort(ort32);
            double diff = maxDiff(ref, got);
            line.append("; ORT fp32 ").append(compare(ref, got));
            if (diff > ORT_FP32_TOLERANCE) {
                throw new IllegalStateException("ONNX Runtime fp32 output differs from ours by " + diff + ": " + line);
            }
        }
        if (ort16 != null) {
            line.append("; ORT bf16 ").append(compare(ref, ort(ort16)));
        }
        System.out.println(line);
        return line.toString();
    }

    /**
     * Compares an encoder session (ONNX Runtime, graph built in Java) with ours fp32.
     *
     * @throws IllegalStateException when it differs by more than {@link #ORT_FP32_TOLERANCE}
     */
    static String checkSession(String preset, Backbone vit32, io.vitstream.backbone.EncoderSession session) {
        float[] ref = ours(vit32, Precision.FP32);
        float[] got;
        try (NDManager m = Djl.engine().newBaseManager(); NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            got = session.features(ViTBenchmark.images(m, 2)).tokens().toFloatArray();
        }
        String line = "ViT-" + preset + " parity: " + session.runtime() + " graph built in Java vs ours fp32 " + compare(ref, got);
        if (maxDiff(ref, got) > ORT_FP32_TOLERANCE) {
            throw new IllegalStateException(line);
        }
        System.out.println(line);
        return line;
    }

    private static float[] ours(Backbone vit, Precision p) {
        try (NDManager m = Djl.engine().newBaseManager(); NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray x = ViTBenchmark.images(m, 2);
            return vit.features(p.cast(x)).tokens().toType(DataType.FLOAT32, false).toFloatArray();
        }
    }

    private static float[] ort(ViTBenchmark.OrtPath ort) throws TranslateException {
        try (NDManager m = ort.model().getNDManager().newSubManager()) {
            return ort.predictor().predict(new NDList(ViTBenchmark.ortInput(m, 2))).head().toFloatArray();
        }
    }

    private static String compare(float[] ref, float[] got) {
        double se = 0;
        double sr = 0;
        for (int i = 0; i < ref.length; i++) {
            se += (got[i] - ref[i]) * (double) (got[i] - ref[i]);
            sr += ref[i] * (double) ref[i];
        }
        return "max |diff| " + fmt(maxDiff(ref, got)) + String.format(Locale.ROOT, ", relative RMS %.2g", Math.sqrt(se / sr));
    }

    /** Largest |a - b| of two outputs of one size. */
    public static double maxDiff(float[] a, float[] b) {
        if (a.length != b.length) throw new IllegalStateException("output sizes differ: " + a.length + " vs " + b.length);
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }

    /** Largest |a|. */
    public static double maxAbs(float[] a) {
        double m = 0;
        for (float v : a) m = Math.max(m, Math.abs(v));
        return m;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.2g", v);
    }
}
