package io.vitstream.backbone.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.Map;

/**
 * An open {@code .safetensors} file whose tensors are read one at a time, on request.
 *
 * <p>Why one at a time: a ViT-L checkpoint is over a gigabyte. Each tensor is read with one
 * positioned read into a reused direct staging buffer (converted there to fp32 when stored as
 * F16, BF16 or F64), wrapped without a copy, and cloned once into memory PyTorch owns. So the
 * weights end up in native memory exactly once, nothing of the file stays on the Java heap or in
 * direct buffers (which a container caps with {@code -XX:MaxDirectMemorySize}), and no mapping
 * keeps file pages resident after loading. Peak extra memory is the largest tensor, twice.
 */
public final class SafeTensorsFile implements AutoCloseable {

    private final Path file;
    private final FileChannel channel;
    private final Map<String, SafeTensors.Entry> entries;
    private final long dataStart;
    private ByteBuffer staging;
    private ByteBuffer raw;

    private SafeTensorsFile(Path file, FileChannel channel, Map<String, SafeTensors.Entry> entries, long dataStart) {
        this.file = file;
        this.channel = channel;
        this.entries = entries;
        this.dataStart = dataStart;
    }

    /**
     * Opens a file and checks its header (nothing else is read yet).
     *
     * @throws CheckpointException naming the file and tensor when the header is malformed
     */
    public static SafeTensorsFile open(Path file) {
        FileChannel ch = null;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
            SafeTensors.Header h = SafeTensors.header(ch, file);
            return new SafeTensorsFile(file, ch, h.entries(), h.dataStart());
        } catch (IOException e) {
            closeQuietly(ch);
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    /** The file. */
    public Path path() {
        return file;
    }

    /** Header entries by tensor name, in file order. */
    public Map<String, SafeTensors.Entry> entries() {
        return Collections.unmodifiableMap(entries);
    }

    /**
     * Reads one tensor into memory owned by PyTorch: floating types become fp32, I64 and I32
     * stay integers.
     *
     * @param name a tensor in this file
     * @param manager a CPU manager that owns the new array
     * @throws IllegalArgumentException when the file has no such tensor
     */
    public NDArray read(String name, NDManager manager) {
        SafeTensors.Entry e = entries.get(name);
        if (e == null) {
            throw new IllegalArgumentException(file + " has no tensor '" + name + "'");
        }
        long count = e.shape().size();
        StorageType type = e.type();
        DataType out = type == StorageType.I64 ? DataType.INT64 : type == StorageType.I32 ? DataType.INT32 : DataType.FLOAT32;
        int outBytes = Math.toIntExact(count * out.getNumOfBytes());
        ByteBuffer dst = staging(outBytes);
        try {
            if (type == StorageType.F32 || type == StorageType.I64 || type == StorageType.I32) {
                readFully(dst, dataStart + e.begin(), e);
            } else {
                ByteBuffer src = raw(Math.toIntExact(e.end() - e.begin()));
                readFully(src, dataStart + e.begin(), e);
                widen(src.flip(), dst, type, count);
            }
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot read tensor '" + name + "' from " + file, ex);
        }
        dst.flip();
        NDArray view = manager.create(dst.slice().order(ByteOrder.nativeOrder()), e.shape(), out);
        try {
            NDArray owned = view.duplicate();
            owned.setName(name);
            return owned;
        } finally {
            view.close();
        }
    }

    private void readFully(ByteBuffer dst, long position, SafeTensors.Entry e) throws IOException {
        long pos = position;
        while (dst.hasRemaining()) {
            int n = channel.read(dst, pos);
            if (n < 0) {
                throw new CheckpointException(file + ": tensor '" + e.name() + "' ends past the end of the file");
            }
            pos += n;
        }
    }

    /** Little-endian 16/64-bit floats to native fp32 (safetensors data is little-endian). */
    private static void widen(ByteBuffer src, ByteBuffer dst, StorageType type, long count) {
        src.order(ByteOrder.LITTLE_ENDIAN);
        for (long i = 0; i < count; i++) {
            switch (type) {
                case F16: dst.putFloat(HalfFloats.f16ToFloat(src.getShort())); break;
                case BF16: dst.putFloat(HalfFloats.bf16ToFloat(src.getShort())); break;
                case F64: dst.putFloat((float) src.getDouble()); break;
                default: throw new IllegalStateException(type.name());
            }
        }
    }

    /** The reused staging buffer, cleared to {@code bytes}; grows to the largest tensor read. */
    private ByteBuffer staging(int bytes) {
        if (staging == null || staging.capacity() < bytes) {
            staging = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
        }
        staging.clear().limit(bytes);
        return staging;
    }

    private ByteBuffer raw(int bytes) {
        if (raw == null || raw.capacity() < bytes) {
            raw = ByteBuffer.allocate(bytes);
        }
        raw.clear().limit(bytes);
        return raw;
    }

    @Override
    public void close() {
        staging = null;
        raw = null;
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch == null) return;
        try {
            ch.close();
        } catch (IOException ignored) {
            // Read-only: nothing to lose.
        }
    }
}
