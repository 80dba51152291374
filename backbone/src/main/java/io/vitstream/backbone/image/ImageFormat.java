package io.vitstream.backbone.image;

/** Image container formats recognized from their first bytes. */
public enum ImageFormat {
    JPEG,
    PNG,
    GIF,
    BMP,
    WEBP,
    TIFF,
    UNKNOWN;

    /** Whether vitstream decodes this format. */
    public boolean supported() {
        return this == JPEG || this == PNG;
    }

    /** Recognizes the format from the magic number. */
    public static ImageFormat sniff(byte[] b) {
        if (starts(b, 0xFF, 0xD8, 0xFF)) return JPEG;
        if (starts(b, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) return PNG;
        if (starts(b, 'G', 'I', 'F', '8')) return GIF;
        if (starts(b, 'B', 'M')) return BMP;
        if (starts(b, 'I', 'I', 0x2A, 0x00) || starts(b, 'M', 'M', 0x00, 0x2A)) return TIFF;
        if (b.length >= 12 && starts(b, 'R', 'I', 'F', 'F') && b[8] == 'W' && b[9] == 'E' && b[10] == 'B' && b[11] == 'P') {
            return WEBP;
        }
        return UNKNOWN;
    }

    private static boolean starts(byte[] b, int... magic) {
        if (b.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((b[i] & 0xff) != magic[i]) {
                return false;
            }
        }
        return true;
    }

    /** The first {@code n} bytes in hex, for messages ("3c 68 74 6d"). */
    public static String head(byte[] b, int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.min(n, b.length); i++) {
            if (i > 0) s.append(' ');
            s.append(String.format("%02x", b[i] & 0xff));
        }
        return s.toString();
    }
}
