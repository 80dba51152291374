package io.vitstream.backbone;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

import java.util.Arrays;
import java.util.Locale;

/**
 * Numeric precision of weights and activations.
 *
 * <p>fp32 everywhere by default. bf16 pays off on CPUs with AVX-512 BF16 / AMX and on Ampere or
 * newer GPUs; fp16 only on GPUs (CPU kernels for half are slow or missing).
 */
public enum Precision {
    FP32,
    BF16,
    FP16;

    /**
     * Parses {@code fp32}, {@code bf16} or {@code fp16} (also {@code float32}, {@code bfloat16},
     * {@code float16}, {@code half}), case-insensitively.
     *
     * @throws IllegalArgumentException naming the value and the accepted ones
     */
    public static Precision parse(String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        switch (v) {
            case "fp32": case "float32": case "float": return FP32;
            case "bf16": case "bfloat16": return BF16;
            case "fp16": case "float16": case "half": return FP16;
            default:
                throw new IllegalArgumentException("unknown precision '" + value + "'; use one of "
                        + Arrays.toString(new String[] {"fp32", "bf16", "fp16"}));
        }
    }

    /** The lower-case name used in configuration and result records. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Casts an array to this precision (a new array in the same manager, or the array itself
     * when it already has it).
     */
    public NDArray cast(NDArray array) {
        switch (this) {
            case FP32: return array.getDataType() == DataType.FLOAT32 ? array : array.toType(DataType.FLOAT32, false);
            case FP16: return array.getDataType() == DataType.FLOAT16 ? array : array.toType(DataType.FLOAT16, false);
            default: return Djl.toBfloat16(array);
        }
    }

    /**
     * Rejects combinations that cannot work and explains why.
     *
     * @throws IllegalArgumentException naming the precision and device
     */
    public void checkSupported(Device device) {
        if (this == FP16 && !device.isGpu()) {
            throw new IllegalArgumentException("precision fp16 needs a GPU (device is " + device
                    + "); use bf16 or fp32 on CPU");
        }
    }
}
