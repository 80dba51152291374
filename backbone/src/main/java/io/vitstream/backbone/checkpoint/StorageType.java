package io.vitstream.backbone.checkpoint;

import java.util.Locale;

/** Element types of a safetensors file that vitstream reads; the float ones it also writes. */
public enum StorageType {
    F32(4),
    F16(2),
    BF16(2),
    F64(8),
    I64(8),
    I32(4);

    private final int bytes;

    StorageType(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** Whether tensors of this type load as floating point. */
    public boolean isFloat() {
        return this == F32 || this == F16 || this == BF16 || this == F64;
    }

    /**
     * Parses a safetensors dtype string.
     *
     * @throws CheckpointException naming the tensor and the dtype
     */
    public static StorageType parse(String dtype, String tensor) {
        try {
            return valueOf(dtype.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new CheckpointException("tensor '" + tensor + "' has dtype " + dtype
                    + ", which vitstream does not read (F32, F16, BF16, F64, I64, I32)");
        }
    }
}
