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
 * <p>Our own reader rather than DJL's: DJL's reads the whole file onto the heap and cannot create
 * bf16 arrays (DJL 0.35); ours checks every offset, shape and size before allocating anything,
 * names the tensor in every error, and reads tensors one at a time ({@link SafeTensorsFile}).
 */
public final class SafeTensors {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_HEADER = 100L << 20;

    private SafeTensors() {}

    /** One tensor's header entry. */
    public record Entry(String name, StorageType type, Shape shape, long begin, long end) {}

    /** The parsed header: entries in file order and where the data begins. */
    record Header(Map<String, Entry> entries, long dataStart) {}

    /**
     * Reads every tensor; floating tensors become fp32 arrays, integer ones int64/int32. For
     * large files prefer {@link SafeTensorsFile}, which reads one tensor at a time.
     *
     * @param file a {@code .safetensors} file
     * @param manager owner of the new arrays (CPU)
     * @return arrays by tensor name, in file order
     * @throws CheckpointException naming the file and tensor when the file is malformed
     */
    public static Map<String, NDArray> read(Path file, NDManager manager) {
        try (SafeTensorsFile f = SafeTensorsFile.open(file)) {
            Map<String, NDArray> out = new LinkedHashMap<>();
            for (String name : f.entries().keySet()) {
                out.put(name, f.read(name, manager));
            }
            return out;
        }
    }

    /**
     * Reads only the header.
     *
     * @throws CheckpointException when it is malformed
     */
    public static Map<String, Entry> header(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return header(ch, file).entries();
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

    /**
     * Parses and checks the header before any tensor memory is allocated: types, shapes
     * (non-negative integers whose product does not overflow), offsets inside the data and not
     * overlapping another tensor's.
     */
    static Header header(FileChannel ch, Path file) throws IOException {
        long size = ch.size();
        long n = headerLength(ch, file, size);
        ByteBuffer buf = ByteBuffer.allocate((int) n);
        while (buf.hasRemaining() && ch.read(buf, 8 + buf.position()) > 0) {
            // positioned reads until the header is in
        }
        JsonNode root;
        try {
            root = JSON.readTree(new String(buf.array(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new CheckpointException(file + ": header is not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new CheckpointException(file + ": header is not a JSON object");
        }
        long dataSize = size - 8 - n;
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (!f.getKey().equals("__metadata__")) {
                entries.put(f.getKey(), entry(file, f.getKey(), f.getValue(), dataSize));
            }
        }
        checkNoOverlap(file, entries);
        return new Header(entries, 8 + n);
    }

    private static Entry entry(Path file, String name, JsonNode node, long dataSize) {
        JsonNode dtype = node.get("dtype");
        JsonNode shape = node.get("shape");
        JsonNode offsets = node.get("data_offsets");
        if (dtype == null || !dtype.isTextual() || shape == null || !shape.isArray() || offsets == null
                || !offsets.isArray() || offsets.size() != 2 || !offsets.get(0).canConvertToExactIntegral()
                || !offsets.get(1).canConvertToExactIntegral()) {
            throw new CheckpointException(file + ": tensor '" + name + "' has a malformed header entry " + clip(node));
        }
        StorageType type = StorageType.parse(dtype.asText(), name);
        long[] dims = new long[shape.size()];
        long count = 1;
        for (int i = 0; i < dims.length; i++) {
            JsonNode d = shape.get(i);
            if (!d.canConvertToExactIntegral() || !d.canConvertToLong() || d.asLong() < 0) {
                throw new CheckpointException(file + ": tensor '" + name + "' has shape " + clip(shape)
                        + "; dimensions must be non-negative integers");
            }
            dims[i] = d.asLong();
            try {
                count = Math.multiplyExact(count, dims[i]);
                Math.multiplyExact(count, (long) Math.max(type.bytes(), 4));
            } catch (ArithmeticException e) {
                throw new CheckpointException(file + ": tensor '" + name + "' has shape " + clip(shape)
                        + ", too many elements to hold");
            }
        }
        if (count * 4 > Integer.MAX_VALUE - 8) {
            throw new CheckpointException(file + ": tensor '" + name + "' " + new Shape(dims)
                    + " is over 2 GB as fp32; vitstream reads tensors of up to 2 GB");
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

    /** Two tensors sharing bytes means a corrupt or hand-made file: refuse it. */
    private static void checkNoOverlap(Path file, Map<String, Entry> entries) {
        Entry[] sorted = entries.values().stream().filter(e -> e.end() > e.begin())
                .sorted(java.util.Comparator.comparingLong(Entry::begin)).toArray(Entry[]::new);
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i].begin() < sorted[i - 1].end()) {
                throw new CheckpointException(file + ": tensors '" + sorted[i - 1].name() + "' [" + sorted[i - 1].begin()
                        + ", " + sorted[i - 1].end() + ") and '" + sorted[i].name() + "' [" + sorted[i].begin() + ", "
                        + sorted[i].end() + ") overlap in the data section");
            }
        }
    }

    private static String clip(JsonNode node) {
        String s = node.toString();
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
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
