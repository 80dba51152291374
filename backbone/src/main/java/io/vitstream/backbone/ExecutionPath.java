package io.vitstream.backbone;

import ai.djl.Device;

import java.util.Arrays;
import java.util.Locale;

/**
 * How a model's forward pass is executed: the numeric precision and the runtime of the
 * backbone. Heads always run on the PyTorch engine, in the path's precision.
 */
public enum ExecutionPath {
    /** PyTorch fp32 (MKL's matrix products; its generic code path on AMD CPUs). */
    FP32("fp32", Precision.FP32, "pytorch"),
    /** fp32 backbone on ONNX Runtime's CPU kernels (MLAS, AVX-512 on any vendor), heads on PyTorch fp32. */
    FP32_ONNXRUNTIME("fp32-onnxruntime", Precision.FP32, "onnxruntime"),
    /** PyTorch bf16 (oneDNN on CPUs with AVX-512 BF16 or AMX; Ampere or newer GPUs). */
    BF16("bf16", Precision.BF16, "pytorch"),
    /** PyTorch fp16 (GPUs only). */
    FP16("fp16", Precision.FP16, "pytorch");

    private final String label;
    private final Precision precision;
    private final String runtime;

    ExecutionPath(String label, Precision precision, String runtime) {
        this.label = label;
        this.precision = precision;
        this.runtime = runtime;
    }

    /** The configuration name, e.g. {@code fp32-onnxruntime}. */
    public String label() {
        return label;
    }

    /** The precision of weights and activations. */
    public Precision precision() {
        return precision;
    }

    /** {@code pytorch} or {@code onnxruntime}: what runs the backbone. */
    public String runtime() {
        return runtime;
    }

    /**
     * Parses a path label; a bare precision ({@code fp32}, {@code bfloat16}, ...) means that
     * precision on PyTorch.
     *
     * @throws IllegalArgumentException naming the value and the accepted ones
     */
    public static ExecutionPath parse(String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        for (ExecutionPath p : values()) {
            if (p.label.equals(v)) return p;
        }
        if (v.equals("fp32-ort") || v.equals("onnxruntime")) return FP32_ONNXRUNTIME;
        try {
            Precision p = Precision.parse(v);
            return p == Precision.FP32 ? FP32 : p == Precision.BF16 ? BF16 : FP16;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown precision '" + value + "'; use auto or one of "
                    + Arrays.toString(Arrays.stream(values()).map(ExecutionPath::label).toArray()));
        }
    }

    /**
     * Rejects combinations that cannot work and explains why.
     *
     * @throws IllegalArgumentException naming the path and device
     */
    public void checkSupported(Device device) {
        precision.checkSupported(device);
        if (this == FP32_ONNXRUNTIME && device.isGpu()) {
            throw new IllegalArgumentException("precision fp32-onnxruntime runs on the CPU only (device is " + device
                    + "); use fp32, bf16 or fp16 on a GPU");
        }
    }
}
