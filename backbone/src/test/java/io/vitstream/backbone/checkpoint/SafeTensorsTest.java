package io.vitstream.backbone.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import io.vitstream.backbone.Fixtures;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

class SafeTensorsTest {

    @TempDir
    Path dir;

    @Test
    void roundTripsF32ExactlyAndKeepsIntegers() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.randomNormal(new Shape(3, 4));
            NDArray ids = m.arange(0, 5, 1, DataType.INT64);
            Path f = dir.resolve("t.safetensors");
            SafeTensors.write(f, Map.of("a", a, "ids", ids), StorageType.F32, Map.of());
            Map<String, NDArray> back = SafeTensors.read(f, m);
            assertArrayEquals(a.toFloatArray(), back.get("a").toFloatArray());
            assertArrayEquals(new long[] {0, 1, 2, 3, 4}, back.get("ids").toLongArray());
            assertEquals(new Shape(3, 4), back.get("a").getShape());
        }
    }

    /**
     * Read tensors live in the engine's memory, not in Java direct buffers that the JVM counts
     * against {@code -XX:MaxDirectMemorySize} (DJL's {@code create(ByteBuffer)} keeps the buffer
     * it is given alive for as long as the array): 8 MiB of weights may grow Java's direct memory
     * by at most the one reused staging buffer (the largest tensor).
     */
    @Test
    void readTensorsAreNotHeldInJavaDirectMemory() {
        java.lang.management.BufferPoolMXBean direct = java.lang.management.ManagementFactory
                .getPlatformMXBeans(java.lang.management.BufferPoolMXBean.class).stream()
                .filter(b -> b.getName().equals("direct")).findFirst().orElseThrow();
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> tensors = new java.util.LinkedHashMap<>();
            for (int i = 0; i < 8; i++) {
                tensors.put("w" + i, m.randomNormal(new Shape(256, 1024)));
            }
            Path f = dir.resolve("eight-mib.safetensors");
            SafeTensors.write(f, tensors, StorageType.F32, Map.of());
            long before = direct.getMemoryUsed();
            Map<String, NDArray> back = SafeTensors.read(f, m);
            long grown = direct.getMemoryUsed() - before;
            assertTrue(grown <= (1 << 20) + 65536, "Java direct memory grew by " + grown + " bytes for 8 MiB of tensors");
            for (String k : tensors.keySet()) {
                assertArrayEquals(tensors.get(k).toFloatArray(), back.get(k).toFloatArray(), k);
            }
        }
    }

    /** Half formats round to nearest even: the stored values are the rounded ones, not the inputs. */
    @Test
    void halfFormatsRoundAsTorchDoes() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] values = {1f, 1.00390625f, 3.140625f, -65504f, 1e-8f, 0.1f};
            NDArray a = m.create(values);
            for (StorageType t : new StorageType[] {StorageType.F16, StorageType.BF16}) {
                Path f = dir.resolve(t + ".safetensors");
                SafeTensors.write(f, Map.of("a", a), t, Map.of());
                float[] back = SafeTensors.read(f, m).get("a").toFloatArray();
                for (int i = 0; i < values.length; i++) {
                    float expected = t == StorageType.F16
                            ? HalfFloats.f16ToFloat(HalfFloats.floatToF16(values[i]))
                            : HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(values[i]));
                    assertEquals(expected, back[i], 0f, t + " value " + values[i]);
                }
            }
        }
    }

    @Test
    void halfFloatConversionsOnKnownBitPatterns() {
        assertEquals(1.0f, HalfFloats.f16ToFloat((short) 0x3c00));
        assertEquals(-2.0f, HalfFloats.f16ToFloat((short) 0xc000));
        assertEquals(65504f, HalfFloats.f16ToFloat((short) 0x7bff));
        assertEquals(0x1p-24f, HalfFloats.f16ToFloat((short) 0x0001));
        assertEquals((short) 0x3c00, HalfFloats.floatToF16(1f));
        // 1 + 2^-11 is halfway between 1 and the next half (1 + 2^-10): ties go to even (1).
        assertEquals((short) 0x3c00, HalfFloats.floatToF16(1f + 0x1p-11f));
        assertEquals((short) 0x7c00, HalfFloats.floatToF16(1e6f));
        assertEquals(1.0f, HalfFloats.bf16ToFloat((short) 0x3f80));
        assertEquals((short) 0x3f80, HalfFloats.floatToBf16(1.00390625f)); // tie -> even
        assertEquals((short) 0x3f81, HalfFloats.floatToBf16(1.0078125f));
        assertTrue(Float.isNaN(HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(Float.NaN))));
    }

    @Test
    void readsTheCommittedHalfPrecisionCheckpoints() {
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> f32 = SafeTensors.read(Fixtures.fixture("vit-tiny-gelu").resolve("model.safetensors"), m);
            Map<String, NDArray> bf16 = SafeTensors.read(Fixtures.fixture("vit-bf16").resolve("model.safetensors"), m);
            assertEquals(f32.keySet(), bf16.keySet());
            NDArray a = f32.get("vit.layernorm.weight");
            NDArray b = bf16.get("vit.layernorm.weight");
            // bf16 keeps 8 significant bits: round-to-nearest is off by at most half a unit, 2^-8 relative.
            assertTrue(a.sub(b).abs().div(a.abs()).max().getFloat() <= 0x1p-8f);
        }
    }

    @Test
    void malformedFilesNameTheProblem() throws IOException {
        Path tiny = Files.write(dir.resolve("tiny.safetensors"), new byte[] {1, 2, 3});
        assertRefused(tiny, "too short");

        Path html = Files.write(dir.resolve("html.safetensors"), "<html><body>404</body></html>".getBytes(StandardCharsets.UTF_8));
        assertRefused(html, "header length");

        Path badOffsets = raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,12]}}", 16);
        assertRefused(badOffsets, "'w'", "data_offsets");

        Path badType = raw("{\"w\":{\"dtype\":\"F8_E4M3\",\"shape\":[4],\"data_offsets\":[0,4]}}", 4);
        assertRefused(badType, "'w'", "F8_E4M3");

        Path negative = raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[-1,4],\"data_offsets\":[0,16]}}", 16);
        assertRefused(negative, "'w'", "non-negative integers");

        Path fractional = raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[2.5],\"data_offsets\":[0,8]}}", 8);
        assertRefused(fractional, "'w'", "non-negative integers");

        Path text = raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[\"4\"],\"data_offsets\":[0,16]}}", 16);
        assertRefused(text, "'w'", "non-negative integers");

        // 2^62 elements: the product overflows a long once multiplied by the element size.
        Path huge = raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904,4],\"data_offsets\":[0,16]}}", 16);
        assertRefused(huge, "'w'", "too many elements");

        Path overlap = raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[8,24]}}", 24);
        assertRefused(overlap, "'a'", "'b'", "overlap");

        Path array = raw("[1,2,3]", 0);
        assertRefused(array, "not a JSON object");
    }

    /** Reading the header fails with a message holding every fragment. */
    private static void assertRefused(Path file, String... fragments) {
        String msg = assertThrows(CheckpointException.class, () -> SafeTensors.header(file)).getMessage();
        for (String f : fragments) {
            assertTrue(msg.contains(f), "'" + f + "' in: " + msg);
        }
    }

    private Path raw(String header, int dataBytes) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        return Files.write(dir.resolve("raw" + header.hashCode() + ".safetensors"), b.array());
    }
}
