package io.vitstream.backbone.onnx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An ONNX model under construction: nodes of the standard domain (opset {@link #OPSET}) and of
 * {@code com.microsoft}, fp32 and int64 initializers, and graph inputs and outputs with a
 * symbolic batch axis. Field numbers follow {@code onnx.proto}.
 *
 * <p>Weights are not written into the model bytes but, as they are declared, into a data file
 * beside the model (ONNX external data): a ViT-B's 344 MB never sit on the Java heap or in Java
 * direct buffers, only one tensor at a time, and the model itself stays a few hundred kB. The
 * runtime reads the data file when it builds its session; after that both files can go.
 */
public final class OnnxGraph implements AutoCloseable {

    /** The standard opset the graphs use (17: LayerNormalization; 20: Gelu). */
    public static final int OPSET = 20;
    /** The ONNX IR version matching {@link #OPSET}. */
    static final int IR_VERSION = 9;

    static final int FLOAT = 1;
    static final int INT64 = 7;

    private final String name;
    private final List<Proto> nodes = new ArrayList<>();
    private final List<Proto> initializers = new ArrayList<>();
    private final List<Proto> inputs = new ArrayList<>();
    private final List<Proto> outputs = new ArrayList<>();
    private final Map<String, Weight> weights = new LinkedHashMap<>();
    private final Path dataFile;
    private final FileChannel data;
    private final ByteBuffer chunk = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
    private long offset;
    private int counter;

    /** Where a weight's values are in the data file. */
    record Weight(String name, long[] dims, long offset, long length) {}

    /**
     * @param name the graph's name
     * @param dataFile where weights are written (created or truncated); the model must be saved
     *     in the same directory
     */
    public OnnxGraph(String name, Path dataFile) {
        this.name = name;
        this.dataFile = dataFile;
        try {
            this.data = FileChannel.open(dataFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dataFile + ": " + e.getMessage(), e);
        }
    }

    /** A fresh value name with the given stem. */
    public String fresh(String stem) {
        return stem + "_" + counter++;
    }

    /** Name of the encoder graphs' input. */
    public static final String INPUT = "pixel_values";
    /** Name of the encoder graphs' output. */
    public static final String OUTPUT = "tokens";

    /**
     * Declares a float input {@code dims}, where a negative size is symbolic: -1 the batch axis,
     * -2 the height, -3 the width, -4 the number of tokens.
     */
    public OnnxGraph input(String value, long... dims) {
        inputs.add(valueInfo(value, dims));
        return this;
    }

    /** Declares a float output; see {@link #input}. */
    public OnnxGraph output(String value, long... dims) {
        outputs.add(valueInfo(value, dims));
        return this;
    }

    /** A float weight, written to the data file now. */
    public String weight(String value, float[] values, long... dims) {
        long n = 1;
        for (long d : dims) n *= d;
        if (n != values.length) {
            throw new IllegalArgumentException("weight " + value + ": " + values.length + " values for dims "
                    + java.util.Arrays.toString(dims));
        }
        if (weights.containsKey(value)) {
            throw new IllegalArgumentException("weight " + value + " declared twice");
        }
        long start = offset;
        try {
            for (int i = 0; i < values.length;) {
                chunk.clear();
                int take = Math.min(values.length - i, chunk.capacity() / 4);
                chunk.asFloatBuffer().put(values, i, take);
                chunk.limit(take * 4);
                while (chunk.hasRemaining()) offset += data.write(chunk);
                i += take;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dataFile + ": " + e.getMessage(), e);
        }
        weights.put(value, new Weight(value, dims, start, offset - start));
        return value;
    }

    /** Bytes of weights written so far. */
    public long weightBytes() {
        return offset;
    }

    /** A small int64 constant written into the model itself (shapes, axes). */
    public String ints(long... values) {
        String value = fresh("const");
        ByteBuffer raw = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) raw.putLong(v);
        initializers.add(new Proto().int64(1, values.length).int64(2, INT64).string(8, value).bytes(9, raw.array()));
        return value;
    }

    /** A small float constant written into the model itself. */
    public String floats(long[] dims, float... values) {
        String value = fresh("constf");
        ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) raw.putFloat(v);
        Proto t = new Proto();
        for (long d : dims) t.int64(1, d);
        initializers.add(t.int64(2, FLOAT).string(8, value).bytes(9, raw.array()));
        return value;
    }

    /** A node of the standard domain with one output; returns the output's name. */
    public String op(String opType, List<String> in, Attr... attrs) {
        String out = fresh(opType.toLowerCase(java.util.Locale.ROOT));
        node("", opType, in, List.of(out), attrs);
        return out;
    }

    /** A node of any domain with named outputs. */
    public void node(String domain, String opType, List<String> in, List<String> out, Attr... attrs) {
        Proto n = new Proto();
        in.forEach(i -> n.string(1, i));
        out.forEach(o -> n.string(2, o));
        n.string(3, fresh("n_" + opType)).string(4, opType);
        for (Attr a : attrs) n.message(5, a.proto);
        if (!domain.isEmpty()) n.string(7, domain);
        nodes.add(n);
    }

    /** Renames a value: an Identity node (for named graph outputs). */
    public void alias(String from, String to) {
        node("", "Identity", List.of(from), List.of(to));
    }

    /** Finishes the data file. */
    @Override
    public void close() {
        try {
            data.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dataFile + ": " + e.getMessage(), e);
        }
    }

    /** The model file's bytes; its weights refer to the data file by name (same directory). */
    public byte[] toByteArray() {
        Proto g = new Proto();
        nodes.forEach(n -> g.message(1, n));
        g.string(2, name);
        initializers.forEach(i -> g.message(5, i));
        weights.values().forEach(w -> {
            Proto t = new Proto();
            for (long d : w.dims()) t.int64(1, d);
            t.int64(2, FLOAT).string(8, w.name())
                    .message(13, new Proto().string(1, "location").string(2, dataFile.getFileName().toString()))
                    .message(13, new Proto().string(1, "offset").string(2, Long.toString(w.offset())))
                    .message(13, new Proto().string(1, "length").string(2, Long.toString(w.length())))
                    .int64(14, 1);
            g.message(5, t);
        });
        inputs.forEach(i -> g.message(11, i));
        outputs.forEach(o -> g.message(12, o));
        return new Proto().int64(1, IR_VERSION).string(2, "vitstream")
                .message(7, g)
                .message(8, new Proto().string(1, "").int64(2, OPSET))
                .message(8, new Proto().string(1, "com.microsoft").int64(2, 1))
                .toByteArray();
    }

    private static final String[] SYMBOLS = {"batch", "height", "width", "tokens"};

    private static Proto valueInfo(String value, long[] dims) {
        Proto shape = new Proto();
        for (long d : dims) {
            shape.message(1, d < 0 ? new Proto().string(2, SYMBOLS[(int) -d - 1]) : new Proto().int64(1, d));
        }
        Proto tensor = new Proto().int64(1, FLOAT).message(2, shape);
        return new Proto().string(1, value).message(2, new Proto().message(1, tensor));
    }

    /** A node attribute. */
    public static final class Attr {
        final Proto proto;

        private Attr(Proto proto) {
            this.proto = proto;
        }

        public static Attr i(String name, long value) {
            return new Attr(new Proto().string(1, name).int64(3, value).int64(20, 2));
        }

        public static Attr f(String name, float value) {
            return new Attr(new Proto().string(1, name).float32(2, value).int64(20, 1));
        }

        public static Attr s(String name, String value) {
            return new Attr(new Proto().string(1, name).string(4, value).int64(20, 3));
        }

        public static Attr ints(String name, long... values) {
            Proto p = new Proto().string(1, name);
            for (long v : values) p.int64(8, v);
            return new Attr(p.int64(20, 7));
        }
    }
}
