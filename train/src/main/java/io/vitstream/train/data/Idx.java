package io.vitstream.train.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Reader of the IDX format of MNIST and Fashion-MNIST (LeCun et al.): a big-endian magic
 * {@code 0x00 0x00 type ndim}, then {@code ndim} big-endian int32 sizes, then the data row-major.
 * Only unsigned bytes ({@code type 0x08}) are read, which is what both data sets use. Gzipped
 * files (as Debian ships them) are detected by their first two bytes.
 */
public final class Idx {

    private static final int UNSIGNED_BYTE = 0x08;

    private Idx() {}

    /**
     * The contents of one IDX file.
     *
     * @param dims the sizes, e.g. {@code [60000, 28, 28]} for images or {@code [60000]} for labels
     * @param data every value as an unsigned byte, row-major
     */
    public record Array(int[] dims, byte[] data) {

        /** Number of items (the first dimension). */
        public int count() {
            return dims[0];
        }

        /** Values per item (the product of the other dimensions). */
        public int itemSize() {
            int n = 1;
            for (int i = 1; i < dims.length; i++) n *= dims[i];
            return n;
        }
    }

    /**
     * Reads a file, gzipped or not.
     *
     * @throws IllegalArgumentException naming the file when the header is not an unsigned-byte IDX header
     *     or the file is shorter than its header says
     * @throws UncheckedIOException when the file cannot be read
     */
    public static Array read(Path file) {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
            raw.mark(2);
            boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
            raw.reset();
            try (DataInputStream in = new DataInputStream(gzip ? new GZIPInputStream(raw, 1 << 16) : raw)) {
                return read(in, file.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read IDX file " + file, e);
        }
    }

    private static Array read(DataInputStream in, String name) throws IOException {
        int magic = in.readInt();
        int type = (magic >>> 8) & 0xff;
        int ndim = magic & 0xff;
        if ((magic >>> 16) != 0 || type != UNSIGNED_BYTE || ndim < 1 || ndim > 4) {
            throw new IllegalArgumentException(name + ": not an unsigned-byte IDX file (magic 0x"
                    + Integer.toHexString(magic) + ", expected 0x0000080N with N = 1..4)");
        }
        int[] dims = new int[ndim];
        long total = 1;
        for (int i = 0; i < ndim; i++) {
            dims[i] = in.readInt();
            if (dims[i] < 0) throw new IllegalArgumentException(name + ": negative size " + dims[i]);
            total *= dims[i];
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(name + ": " + Arrays.toString(dims) + " is too large");
        }
        byte[] data = new byte[(int) total];
        try {
            in.readFully(data);
        } catch (EOFException e) {
            throw new IllegalArgumentException(name + ": truncated, header says " + Arrays.toString(dims), e);
        }
        return new Array(dims, data);
    }
}
