package io.vitstream.backbone.onnx;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A protocol-buffers message being written: just the wire format (varints, 64-bit integers,
 * 32-bit floats, length-delimited bytes and nested messages) that ONNX's model file needs,
 * so no protobuf library or generated classes are required.
 */
final class Proto {

    private static final int VARINT = 0;
    private static final int FIXED32 = 5;
    private static final int LENGTH = 2;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Proto int64(int field, long value) {
        tag(field, VARINT);
        varint(value);
        return this;
    }

    Proto float32(int field, float value) {
        tag(field, FIXED32);
        int bits = Float.floatToIntBits(value);
        for (int i = 0; i < 4; i++) {
            out.write((bits >>> (8 * i)) & 0xff);
        }
        return this;
    }

    Proto string(int field, String value) {
        return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    Proto bytes(int field, byte[] value) {
        tag(field, LENGTH);
        varint(value.length);
        out.writeBytes(value);
        return this;
    }

    Proto message(int field, Proto nested) {
        return bytes(field, nested.toByteArray());
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }

    private void tag(int field, int wireType) {
        varint(((long) field << 3) | wireType);
    }

    private void varint(long value) {
        long v = value;
        while ((v & ~0x7fL) != 0) {
            out.write((int) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
