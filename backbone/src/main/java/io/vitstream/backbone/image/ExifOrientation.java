package io.vitstream.backbone.image;

/**
 * The EXIF Orientation tag (0x0112) and the transpose that shows the frame upright, as
 * {@code PIL.ImageOps.exif_transpose} (which Hugging Face's {@code load_image} calls) does:
 * 2 mirror, 3 rotate 180, 4 flip, 5 transpose, 6 rotate 90 clockwise, 7 transverse, 8 rotate 90
 * counter-clockwise. Frames without the tag (or with 1) are left exactly as decoded.
 */
final class ExifOrientation {

    private ExifOrientation() {}

    /**
     * The orientation in the TIFF structure at {@code b[from, to)} (the APP1 payload after
     * {@code "Exif\0\0"}): IFD0's tag 0x0112. Anything malformed, out of bounds or outside 1-8
     * gives 1: a broken EXIF block is ignored, not fatal.
     */
    static int parse(byte[] b, int from, int to) {
        if (to - from < 8) {
            return 1;
        }
        boolean little;
        if (b[from] == 'I' && b[from + 1] == 'I') {
            little = true;
        } else if (b[from] == 'M' && b[from + 1] == 'M') {
            little = false;
        } else {
            return 1;
        }
        if (u16(b, from + 2, little) != 42) {
            return 1;
        }
        long ifd = u32(b, from + 4, little);
        if (ifd < 8 || ifd > to - from - 2) {
            return 1;
        }
        int at = from + (int) ifd;
        int entries = u16(b, at, little);
        for (int k = 0; k < entries; k++) {
            int e = at + 2 + 12 * k;
            if (e + 12 > to) {
                return 1;
            }
            if (u16(b, e, little) != 0x0112) {
                continue;
            }
            int type = u16(b, e + 2, little);
            long v = type == 3 ? u16(b, e + 8, little) : type == 4 ? u32(b, e + 8, little) : 1;
            return v >= 1 && v <= 8 ? (int) v : 1;
        }
        return 1;
    }

    /** Whether the orientation swaps width and height (5-8). */
    static boolean swapsAxes(int orientation) {
        return orientation >= 5 && orientation <= 8;
    }

    /**
     * The upright frame of {@code w x h} interleaved 3-byte pixels (channel order kept).
     *
     * @return {@code src} itself for orientation 1, else a new array (dimensions swapped for 5-8)
     */
    static byte[] apply(byte[] src, int w, int h, int orientation) {
        if (orientation <= 1 || orientation > 8) {
            return src;
        }
        boolean swap = swapsAxes(orientation);
        int ow = swap ? h : w;
        int oh = swap ? w : h;
        byte[] out = new byte[Math.multiplyExact(Math.multiplyExact(ow, oh), 3)];
        for (int r = 0; r < oh; r++) {
            for (int c = 0; c < ow; c++) {
                // (sy, sx): the source pixel shown at row r, column c (PIL's Geometry.c transposes).
                int sy;
                int sx;
                switch (orientation) {
                    case 2 -> { sy = r; sx = w - 1 - c; }
                    case 3 -> { sy = h - 1 - r; sx = w - 1 - c; }
                    case 4 -> { sy = h - 1 - r; sx = c; }
                    case 5 -> { sy = c; sx = r; }
                    case 6 -> { sy = h - 1 - c; sx = r; }
                    case 7 -> { sy = h - 1 - c; sx = w - 1 - r; }
                    default -> { sy = c; sx = w - 1 - r; }
                }
                System.arraycopy(src, (sy * w + sx) * 3, out, (r * ow + c) * 3, 3);
            }
        }
        return out;
    }

    private static int u16(byte[] b, int at, boolean little) {
        int x = b[at] & 0xff;
        int y = b[at + 1] & 0xff;
        return little ? x | y << 8 : x << 8 | y;
    }

    private static long u32(byte[] b, int at, boolean little) {
        long hi = u16(b, little ? at + 2 : at, little);
        long lo = u16(b, little ? at : at + 2, little);
        return hi << 16 | lo;
    }
}
