package io.vitstream.backbone.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vitstream.backbone.CameraFrames;

import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

import javax.imageio.ImageIO;

/**
 * Every kind of input a camera, a broken encoder or an attacker may send, through the decoder as
 * the service runs it, in both decode modes: each bad one refused with its dead-letter reason
 * (never {@code internal-error}, and never with a library's exception text as the whole message),
 * each unusual but valid one accepted. The table it writes to
 * {@code target/bad-inputs.md} is the one in docs/reliability.md.
 */
class BadInputCatalogTest {

    /** One kind of input and what must happen to it ({@code null}: it is accepted). */
    private record Case(String kind, byte[] bytes, BadImageException.Reason expected) {}

    private static final ImageLimits LIMITS = new ImageLimits(4 << 20, 40_000_000L);

    @Test
    void everyKindOfBadInputGetsItsReasonInBothModes() throws IOException {
        List<Case> cases = cases();
        List<String> table = new ArrayList<>(List.of("| input | bytes | outcome (exact and fast) |", "|---|---:|---|"));
        List<String> wrong = new ArrayList<>();
        for (Case c : cases) {
            String outcome = null;
            for (DecodeMode mode : DecodeMode.values()) {
                ImagePreprocessor p = new ImagePreprocessor(PreprocessorConfig.vitDefaults(224, 224), LIMITS, mode);
                String got;
                try {
                    p.prepare(c.bytes());
                    got = "accepted";
                } catch (BadImageException e) {
                    got = e.reason().code();
                    if (!explained(e.getMessage())) {
                        wrong.add(c.kind() + " in " + mode.code() + ": unexplained library text: " + e.getMessage());
                    }
                } catch (RuntimeException e) {
                    got = "internal-error (" + e + ")";
                }
                String want = c.expected() == null ? "accepted" : c.expected().code();
                if (!got.equals(want)) {
                    wrong.add(c.kind() + " in " + mode.code() + ": " + got + ", expected " + want);
                }
                outcome = outcome == null ? got : outcome;
            }
            table.add("| " + c.kind() + " | " + c.bytes().length + " | " + (outcome.equals("accepted") ? "accepted" : "`" + outcome + "`") + " |");
        }
        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target/bad-inputs.md"), table);
        assertEquals(List.of(), wrong);
        assertEquals(true, cases.stream().filter(c -> c.expected() != null).count() >= 30, "at least 30 kinds of bad input");
    }

    /** A message that quotes a library exception says first, in plain words, what happened. */
    private static boolean explained(String message) {
        boolean quotesException = message.matches("(?s).*(Exception|Error)\\b.*");
        return !message.matches("(?s)^[\\w.$]*(Exception|Error)\\b.*") && (!quotesException || message.contains(" says "));
    }

    private static List<Case> cases() throws IOException {
        byte[] jpeg = CameraFrames.jpeg(640, 360, 1);
        byte[] png = CameraFrames.png(320, 180, 2);
        List<Case> c = new ArrayList<>();
        BadImageException.Reason empty = BadImageException.Reason.EMPTY;
        BadImageException.Reason notImage = BadImageException.Reason.NOT_AN_IMAGE;
        BadImageException.Reason unsupported = BadImageException.Reason.UNSUPPORTED_FORMAT;
        BadImageException.Reason truncated = BadImageException.Reason.TRUNCATED;
        BadImageException.Reason corrupt = BadImageException.Reason.CORRUPT;
        BadImageException.Reason tooLarge = BadImageException.Reason.TOO_LARGE;
        BadImageException.Reason bomb = BadImageException.Reason.TOO_MANY_PIXELS;

        c.add(new Case("zero bytes", new byte[0], empty));
        c.add(new Case("one byte", new byte[] {0x42}, notImage));
        c.add(new Case("random bytes", random(5000, 1), notImage));
        c.add(new Case("all zeros", new byte[4096], notImage));
        c.add(new Case("HTML error page", "<html><body>502 Bad Gateway</body></html>".getBytes(StandardCharsets.UTF_8), notImage));
        c.add(new Case("JSON", "{\"frame\": \"base64...\"}".getBytes(StandardCharsets.UTF_8), notImage));
        c.add(new Case("base64 of a JPEG", java.util.Base64.getEncoder().encode(jpeg), notImage));
        c.add(new Case("JPEG bytes after a 16-byte prefix", concat(new byte[16], jpeg), notImage));
        c.add(new Case("GIF", encode(CameraFrames.scene(64, 48, 3), "gif"), unsupported));
        c.add(new Case("BMP", encode(CameraFrames.scene(64, 48, 3), "bmp"), unsupported));
        c.add(new Case("TIFF", encode(CameraFrames.scene(64, 48, 3), "tiff"), unsupported));
        c.add(new Case("WebP header", concat("RIFF\u0000\u0000\u0000\u0000WEBPVP8 ".getBytes(StandardCharsets.ISO_8859_1), new byte[64]), unsupported));
        c.add(new Case("JPEG cut in half", Arrays.copyOf(jpeg, jpeg.length / 2), truncated));
        c.add(new Case("JPEG without its last 2 bytes (EOI)", Arrays.copyOf(jpeg, jpeg.length - 2), truncated));
        c.add(new Case("JPEG: SOI only", new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF}, truncated));
        c.add(new Case("JPEG headers only (cut at 600 bytes)", Arrays.copyOf(jpeg, 600), truncated));
        c.add(new Case("PNG cut in half", Arrays.copyOf(png, png.length / 2), truncated));
        c.add(new Case("PNG without IEND", Arrays.copyOf(png, png.length - 12), truncated));
        c.add(new Case("PNG: signature only", Arrays.copyOf(png, 8), truncated));
        c.add(new Case("JPEG with zeroed segment headers (SOI, EOI kept)", zeroed(jpeg, 4, 200), corrupt));
        c.add(new Case("JPEG with its SOF segment zeroed", zeroSof(jpeg), corrupt));
        c.add(new Case("JPEG: SOI + EOI and nothing between", new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xD9}, corrupt));
        c.add(new Case("PNG with a broken IHDR CRC", brokenIhdrCrc(png), corrupt));
        c.add(new Case("PNG with garbage in IDAT", garbageIdat(png), corrupt));
        c.add(new Case("PNG: signature + IEND only", pngSignatureAndIend(), corrupt));
        c.add(new Case("5 MiB (over max-bytes 4 MiB)", Arrays.copyOf(jpeg, 5 << 20), tooLarge));
        c.add(new Case("PNG header claiming 30000x30000", pngClaiming(30_000, 30_000), bomb));
        c.add(new Case("PNG header claiming 100000x1", pngClaiming(100_000, 1), BadImageException.Reason.CORRUPT));
        c.add(new Case("JPEG header claiming 65000x65000", jpegClaiming(jpeg, 65_000, 65_000), bomb));
        c.add(new Case("real 8000x6000 JPEG (48 MP, over max-pixels 40 MP)", CameraFrames.jpeg(8000, 6000, 4, 0), bomb));
        c.add(new Case("PNG with width 0", pngClaiming(0, 10), corrupt));
        c.add(new Case("PNG 1x39,000,000 16-bit RGBA (312 MB decoded, over the 160 MB budget)",
                PngWriter.repeatedRows(1, 39_000_000, 6, 16, new byte[] {1, 2, 3, 4, 5, 6, 7, 8}), bomb));
        c.add(new Case("PNG header 1x39,000,000 8-bit RGB (resize needs 26 GB), no pixel data",
                PngWriter.headerOnly(1, 39_000_000, 2, 8), bomb));
        c.add(new Case("12-bit JPEG (SOF1)", ColourJpegTest.withSof(jpeg, 0xC1, 12), unsupported));
        c.add(new Case("16-bit lossless JPEG (SOF3)", ColourJpegTest.withSof(jpeg, 0xC3, 16), unsupported));
        c.add(new Case("CMYK JPEG without an Adobe marker", ColourJpegTest.withoutAdobe(ColourJpegTest.cmyk()), unsupported));

        // Unusual but valid: accepted.
        c.add(new Case("camera JPEG 640x360", jpeg, null));
        c.add(new Case("PNG 320x180", png, null));
        c.add(new Case("JPEG with trailing bytes after EOI", concat(jpeg, new byte[100]), null));
        c.add(new Case("JPEG padded with 200 kB of zeros", concat(jpeg, new byte[200_000]), null));
        c.add(new Case("JPEG cut in half, then padded with 200 kB of zeros",
                concat(Arrays.copyOf(jpeg, jpeg.length / 2), new byte[200_000]), truncated));
        c.add(new Case("grey JPEG", encode(grey(CameraFrames.scene(120, 80, 5)), "jpeg"), null));
        c.add(new Case("1x1 PNG", encode(new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB), "png"), null));
        c.add(new Case("16-bit grey PNG", encode(new BufferedImage(40, 30, BufferedImage.TYPE_USHORT_GRAY), "png"), null));
        c.add(new Case("PNG with alpha", encode(new BufferedImage(40, 30, BufferedImage.TYPE_INT_ARGB), "png"), null));
        c.add(new Case("palette PNG", encode(new BufferedImage(40, 30, BufferedImage.TYPE_BYTE_INDEXED), "png"), null));
        c.add(new Case("CMYK JPEG with an Adobe marker (as PIL writes it)", ColourJpegTest.cmyk(), null));
        c.add(new Case("JPEG with EXIF orientation 6 (rotated upright)", ExifOrientationTest.withOrientation(jpeg, 6, false), null));
        c.add(new Case("JPEG with an EXIF orientation out of range (ignored)", ExifOrientationTest.withOrientation(jpeg, 0x7fff, true), null));
        c.add(new Case("PNG 1x100,000 (extreme aspect ratio, within budget)",
                PngWriter.repeatedRows(1, 100_000, 2, 8, new byte[] {10, 20, 30}), null));
        return c;
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new java.util.Random(seed).nextBytes(b);
        b[0] = 0x13; // not a magic number of any format
        return b;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] zeroed(byte[] b, int from, int to) {
        byte[] out = b.clone();
        Arrays.fill(out, from, to, (byte) 0);
        return out;
    }

    /** Zeroes the payload of the first SOF0/SOF2 segment (precision, size, components). */
    private static byte[] zeroSof(byte[] jpeg) {
        byte[] out = jpeg.clone();
        for (int i = 2; i + 3 < out.length; i++) {
            if ((out[i] & 0xff) == 0xFF && ((out[i + 1] & 0xff) == 0xC0 || (out[i + 1] & 0xff) == 0xC2)) {
                int len = ((out[i + 2] & 0xff) << 8) | (out[i + 3] & 0xff);
                Arrays.fill(out, i + 4, i + 2 + len, (byte) 0);
                return out;
            }
        }
        throw new IllegalStateException("no SOF segment");
    }

    /** Replaces the dimensions in the first SOF segment. */
    private static byte[] jpegClaiming(byte[] jpeg, int w, int h) {
        byte[] out = jpeg.clone();
        for (int i = 2; i + 8 < out.length; i++) {
            if ((out[i] & 0xff) == 0xFF && ((out[i + 1] & 0xff) == 0xC0 || (out[i + 1] & 0xff) == 0xC2)) {
                out[i + 5] = (byte) (h >> 8);
                out[i + 6] = (byte) h;
                out[i + 7] = (byte) (w >> 8);
                out[i + 8] = (byte) w;
                return out;
            }
        }
        throw new IllegalStateException("no SOF segment");
    }

    private static byte[] brokenIhdrCrc(byte[] png) {
        byte[] out = png.clone();
        out[29] ^= 0x5A; // the IHDR CRC sits at bytes 29-32
        return out;
    }

    /** Overwrites the middle of the first IDAT's data with a pattern, CRC fixed so only the data is wrong. */
    private static byte[] garbageIdat(byte[] png) {
        byte[] out = png.clone();
        int at = 8;
        while (at + 8 < out.length) {
            int len = ByteBuffer.wrap(out, at, 4).getInt();
            String type = new String(out, at + 4, 4, StandardCharsets.US_ASCII);
            if (type.equals("IDAT")) {
                for (int i = at + 8 + 2; i < at + 8 + len; i++) {
                    out[i] = (byte) (i * 77);
                }
                fixCrc(out, at + 4, len + 4);
                return out;
            }
            at += 12 + len;
        }
        throw new IllegalStateException("no IDAT");
    }

    private static byte[] pngSignatureAndIend() {
        ByteBuffer b = ByteBuffer.allocate(8 + 12);
        b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
        b.putInt(0).put("IEND".getBytes(StandardCharsets.US_ASCII));
        byte[] out = b.array();
        fixCrc(out, 12, 4);
        return out;
    }

    /** A small valid PNG whose IHDR (CRC fixed) claims another size. */
    private static byte[] pngClaiming(int w, int h) throws IOException {
        byte[] out = encode(new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB), "png");
        ByteBuffer.wrap(out, 16, 8).putInt(w).putInt(h);
        fixCrc(out, 12, 17);
        return out;
    }

    private static void fixCrc(byte[] png, int typeAt, int lengthWithType) {
        CRC32 crc = new CRC32();
        crc.update(png, typeAt, lengthWithType);
        ByteBuffer.wrap(png, typeAt + lengthWithType, 4).putInt((int) crc.getValue());
    }

    private static BufferedImage grey(BufferedImage rgb) {
        BufferedImage g = new BufferedImage(rgb.getWidth(), rgb.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
        g.getGraphics().drawImage(rgb, 0, 0, null);
        return g;
    }

    private static byte[] encode(BufferedImage img, String format) throws IOException {
        if (format.equals("jpeg")) {
            return JpegEncoder.encode(img, 0.9f);
        }
        BufferedImage src = img;
        if (format.equals("bmp") || format.equals("gif")) {
            src = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
            src.getGraphics().drawImage(img, 0, 0, null);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(src, format, out)) {
            throw new IllegalStateException("no ImageIO writer for " + format);
        }
        return out.toByteArray();
    }
}
