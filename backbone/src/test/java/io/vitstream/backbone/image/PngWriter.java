package io.vitstream.backbone.image;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A PNG written by hand, for sizes and sample formats ImageIO's writer cannot make cheaply: every
 * row is the same (filter byte 0 then {@code row}), so a 1 x 39,000,000 frame deflates to a few
 * hundred KB without the frame ever existing in memory.
 */
final class PngWriter {

    private PngWriter() {}

    /**
     * @param colorType PNG colour type (0 grey, 2 RGB, 3 palette, 4 grey+alpha, 6 RGBA)
     * @param bitDepth 8 or 16
     * @param row one row's samples, {@code width * channels * bitDepth / 8} bytes
     */
    static byte[] repeatedRows(int width, int height, int colorType, int bitDepth, byte[] row) {
        ByteArrayOutputStream out = signatureAndIhdr(width, height, colorType, bitDepth);
        chunk(out, "IDAT", deflateRows(height, row));
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    /** A PNG whose IDAT (CRC correct) is not a zlib stream: any decoder that reads the pixels fails. */
    static byte[] headerOnly(int width, int height, int colorType, int bitDepth) {
        ByteArrayOutputStream out = signatureAndIhdr(width, height, colorType, bitDepth);
        chunk(out, "IDAT", new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static ByteArrayOutputStream signatureAndIhdr(int width, int height, int colorType, int bitDepth) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height);
        ihdr.put((byte) bitDepth).put((byte) colorType).put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(out, "IHDR", ihdr.array());
        return out;
    }

    private static byte[] deflateRows(int height, byte[] row) {
        byte[] filtered = new byte[row.length + 1];
        System.arraycopy(row, 0, filtered, 1, row.length);
        int perChunk = Math.max(1, (1 << 20) / filtered.length);
        byte[] chunk = new byte[perChunk * filtered.length];
        for (int i = 0; i < perChunk; i++) {
            System.arraycopy(filtered, 0, chunk, i * filtered.length, filtered.length);
        }
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        byte[] buf = new byte[1 << 16];
        for (int done = 0; done < height; done += perChunk) {
            int rows = Math.min(perChunk, height - done);
            deflater.setInput(chunk, 0, rows * filtered.length);
            while (!deflater.needsInput()) {
                z.write(buf, 0, deflater.deflate(buf));
            }
        }
        deflater.finish();
        while (!deflater.finished()) {
            z.write(buf, 0, deflater.deflate(buf));
        }
        deflater.end();
        return z.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(t);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
