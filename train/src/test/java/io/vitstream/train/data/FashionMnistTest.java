package io.vitstream.train.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

/** IDX parsing, on hand-made files and on Debian's Fashion-MNIST (values read independently with Python's gzip). */
class FashionMnistTest {

    @Test
    void readsTheRealFilesWithTheirKnownFirstLabelsAndPixels() {
        Assumptions.assumeTrue(Files.isDirectory(FashionMnist.DEFAULT_DIR), "dataset-fashion-mnist is not installed");
        ImageSet train = FashionMnist.load(FashionMnist.DEFAULT_DIR, FashionMnist.Split.TRAIN);
        ImageSet test = FashionMnist.load(FashionMnist.DEFAULT_DIR, FashionMnist.Split.TEST);
        assertEquals(60_000, train.size());
        assertEquals(10_000, test.size());
        assertEquals(28, train.height());
        assertArrayEquals(new int[] {9, 0, 0, 3, 0, 2, 7, 2, 5, 5}, Arrays.copyOf(train.labels(), 10));
        assertArrayEquals(new int[] {9, 2, 1, 1, 6, 1, 4, 6, 5, 7}, Arrays.copyOf(test.labels(), 10));
        assertArrayEquals(new int[] {0, 4, 2, 0, 237, 223, 222, 223, 218, 0}, row14EveryThird(train));
        assertArrayEquals(new int[] {0, 0, 2, 0, 98, 109, 135, 159, 158, 0}, row14EveryThird(test));
        long sum = 0;
        for (int i = 0; i < 784; i++) sum += train.pixels()[i] & 0xff;
        assertEquals(76_247, sum);
        int[] perClass = new int[10];
        for (int l : train.labels()) perClass[l]++;
        assertTrue(Arrays.stream(perClass).allMatch(c -> c == 6000));
    }

    private static int[] row14EveryThird(ImageSet set) {
        int[] out = new int[10];
        for (int i = 0; i < 10; i++) out[i] = set.pixels()[14 * 28 + 3 * i] & 0xff;
        return out;
    }

    @Test
    void readsPlainAndGzippedFiles(@TempDir Path dir) throws IOException {
        byte[] idx = idx(new int[] {2, 2, 3}, new byte[] {1, 2, 3, 4, 5, 6, (byte) 250, 8, 9, 10, 11, 12});
        Files.write(dir.resolve("plain"), idx);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve("packed")))) {
            out.write(idx);
        }
        for (String name : new String[] {"plain", "packed"}) {
            Idx.Array a = Idx.read(dir.resolve(name));
            assertArrayEquals(new int[] {2, 2, 3}, a.dims());
            assertEquals(6, a.itemSize());
            assertEquals(250, a.data()[6] & 0xff);
        }
    }

    @Test
    void rejectsOtherTypesAndTruncatedFiles(@TempDir Path dir) throws IOException {
        byte[] ints = idx(new int[] {1}, new byte[] {0, 0, 0, 1});
        ints[2] = 0x0c;
        Files.write(dir.resolve("ints"), ints);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Idx.read(dir.resolve("ints"))).getMessage().contains("unsigned-byte"));
        Files.write(dir.resolve("short"), idx(new int[] {5, 2}, new byte[] {1, 2, 3}));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Idx.read(dir.resolve("short"))).getMessage().contains("truncated"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FashionMnist.load(dir, FashionMnist.Split.TEST))
                .getMessage().contains("t10k-images-idx3-ubyte"));
    }

    private static byte[] idx(int[] dims, byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(0x0800 | dims.length);
        for (int d : dims) out.writeInt(d);
        out.write(data);
        return bytes.toByteArray();
    }
}
