package io.vitstream.backbone.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads and writes the safetensors format: an 8-byte little-endian header length, a JSON header
 * {@code {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {...}}}, then the raw
 * little-endian data.
 *
 * <p>Our own reader rather than DJL's: it memory-maps the file instead of reading it onto the
 * heap, converts bf16 and f16 to fp32 in Java (DJL 0.35's PyTorch JNI cannot create bf16 arrays),
 * checks every offset and size, and names the tensor in every error.
 */
public final class SafeTensors {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_HEADER = 100L << 20;

    private SafeTensors() {}

    /** One tensor's header entry. */
    public record Entry(String name, StorageType type, Shape shape, long begin, long end) {}

    /**
     * Reads every tensor; floating tensors become fp32 arrays, integer ones int64/int32.
     *
     * @param file a {@code .safetensors} file
     * @param manager owner of the new arrays
     * @return arrays by tensor name, in file order
     * @throws CheckpointException naming the file and tensor when the file is malformed
     */
    public static Map<String, NDArray> read(Path file, NDManager manager) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            Map<String, Entry> entries = header(ch, file, size);
            long dataStart = 8 + headerLength(ch, file, size);
            Map<String, NDArray> out = new LinkedHashMap<>();
            for (Entry e : entries.values()) {
                ByteBuffer raw = ch.map(FileChannel.MapMode.READ_ONLY, dataStart + e.begin(), e.end() - e.begin())
                        .order(ByteOrder.LITTLE_ENDIAN);
                NDArray a = toArray(raw, e, manager);
                a.setName(e.name());
                out.put(e.name(), a);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /**
     * Reads only the header.
     *
     * @throws CheckpointException when it is malformed
     */
    public static Map<String, Entry> header(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return header(ch, file, ch.size());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static long headerLength(FileChannel ch, Path file, long size) throws IOException {
        if (size < 8) {
            throw new CheckpointException(file + ": " + size + " bytes is too short for a safetensors file");
        }
        ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        ch.read(len, 0);
        long n = len.flip().getLong();
        if (n <= 0 || n > MAX_HEADER || 8 + n > size) {
            throw new CheckpointException(file + ": header length " + n + " does not fit a file of " + size
                    + " bytes (not a safetensors file?)");
        }
        return n;
    }

    private static Map<String, Entry> header(FileChannel ch, Path file, long size) throws IOException {
        long n = headerLength(ch, file, size);
        ByteBuffer buf = ByteBuffer.allocate((int) n);
        ch.read(buf, 8);
        JsonNode root;
        try {
            root = JSON.readTree(new String(buf.array(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new CheckpointException(file + ": header is not valid JSON: " + e.getMessage(), e);
        }
        long dataSize = size - 8 - n;
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (!f.getKey().equals("__metadata__")) {
                entries.put(f.getKey(), entry(file, f.getKey(), f.getValue(), dataSize));
            }
        }
        return entries;
    }

    private static Entry entry(Path file, String name, JsonNode node, long dataSize) {
        JsonNode dtype = node.get("dtype");
        JsonNode shape = node.get("shape");
        JsonNode offsets = node.get("data_offsets");
        if (dtype == null || shape == null || !shape.isArray() || offsets == null || offsets.size() != 2) {
            throw new CheckpointException(file + ": tensor '" + name + "' has a malformed header entry " + node);
        }
        StorageType type = StorageType.parse(dtype.asText(), name);
        long[] dims = new long[shape.size()];
        long count = 1;
        for (int i = 0; i < dims.length; i++) {
            dims[i] = shape.get(i).asLong();
            count *= dims[i];
        }
        long begin = offsets.get(0).asLong();
        long end = offsets.get(1).asLong();
        if (begin < 0 || end < begin || end > dataSize || end - begin != count * type.bytes()) {
            throw new CheckpointException(file + ": tensor '" + name + "' (" + type + " " + new Shape(dims)
                    + ") has data_offsets [" + begin + ", " + end + "] that do not match its size "
                    + count * type.bytes() + " or the file's " + dataSize + " data bytes");
        }
        return new Entry(name, type, new Shape(dims), begin, end);
    }

    private static NDArray toArray(ByteBuffer raw, Entry e, NDManager manager) {
        int count = (int) e.shape().size();
        if (e.type() == StorageType.I64 || e.type() == StorageType.I32) {
            ByteBuffer direct = ByteBuffer.allocateDirect(raw.remaining()).order(ByteOrder.nativeOrder());
            if (e.type() == StorageType.I64) {
                while (raw.hasRemaining()) direct.putLong(raw.getLong());
            } else {
                while (raw.hasRemaining()) direct.putInt(raw.getInt());
            }
            DataType t = e.type() == StorageType.I64 ? DataType.INT64 : DataType.INT32;
            return manager.create(direct.flip(), e.shape(), t);
        }
        ByteBuffer direct = ByteBuffer.allocateDirect(count * 4).order(ByteOrder.nativeOrder());
        for (int i = 0; i < count; i++) {
            switch (e.type()) {
                case F32: direct.putFloat(raw.getFloat()); break;
                case F16: direct.putFloat(HalfFloats.f16ToFloat(raw.getShort())); break;
                case BF16: direct.putFloat(HalfFloats.bf16ToFloat(raw.getShort())); break;
                case F64: direct.putFloat((float) raw.getDouble()); break;
                default: throw new IllegalStateException(e.type().name());
            }
        }
        return manager.create(direct.flip(), e.shape(), DataType.FLOAT32);
    }

    /**
     * Writes tensors; floating ones are stored as {@code type}, integer ones as they are.
     *
     * @param tensors arrays by name (any floating precision, any device)
     * @param type F32, F16 or BF16
     * @param metadata string pairs for {@code __metadata__} ({@code format: pt} is always added)
     */
    public static void write(Path file, Map<String, NDArray> tensors, StorageType type, Map<String, String> metadata) {
        if (type != StorageType.F32 && type != StorageType.F16 && type != StorageType.BF16) {
            throw new IllegalArgumentException("weights are written as F32, F16 or BF16, not " + type);
        }
        Map<String, NDArray> sorted = new TreeMap<>(tensors);
        ObjectNode header = JSON.createObjectNode();
        ObjectNode meta = header.putObject("__metadata__");
        meta.put("format", "pt");
        metadata.forEach(meta::put);
        long offset = 0;
        Map<String, StorageType> types = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : sorted.entrySet()) {
            StorageType t = storedType(e.getValue(), type);
            types.put(e.getKey(), t);
            long bytes = e.getValue().getShape().size() * t.bytes();
            ObjectNode entry = header.putObject(e.getKey());
            entry.put("dtype", t.name());
            var shape = entry.putArray("shape");
            for (long d : e.getValue().getShape().getShape()) shape.add(d);
            entry.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            byte[] h = JSON.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
            int padded = (h.length + 7) / 8 * 8;
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
            out.write(len.array());
            out.write(h);
            out.write(" ".repeat(padded - h.length).getBytes(StandardCharsets.US_ASCII));
            for (Map.Entry<String, NDArray> e : sorted.entrySet()) {
                out.write(encode(e.getValue(), types.get(e.getKey())));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static StorageType storedType(NDArray a, StorageType floatType) {
        DataType t = a.getDataType();
        if (t == DataType.INT64) return StorageType.I64;
        if (t == DataType.INT32) return StorageType.I32;
        return floatType;
    }

    private static byte[] encode(NDArray a, StorageType t) {
        ByteBuffer buf = ByteBuffer.allocate((int) (a.getShape().size() * t.bytes())).order(ByteOrder.LITTLE_ENDIAN);
        if (t == StorageType.I64) {
            for (long v : a.toLongArray()) buf.putLong(v);
        } else if (t == StorageType.I32) {
            for (int v : a.toIntArray()) buf.putInt(v);
        } else {
            float[] values = a.toType(DataType.FLOAT32, false).toFloatArray();
            for (float v : values) {
                switch (t) {
                    case F32: buf.putFloat(v); break;
                    case F16: buf.putShort(HalfFloats.floatToF16(v)); break;
                    default: buf.putShort(HalfFloats.floatToBf16(v)); break;
                }
            }
        }
        return buf.array();
    }
}
