package io.vitstream.backbone.image;

/**
 * What a JPEG's segments before its first scan say about the samples: precision, component count,
 * the Adobe APP14 colour transform and the EXIF orientation. Read with a bounded walk over the
 * marker segments; a segment that runs past the data ends the walk (the decoder reports the damage).
 *
 * @param precision bits per sample from the SOF segment (8; 12 or 16 for extended and lossless JPEG), 0 if none was found
 * @param components 1 grey, 3 YCbCr/RGB, 4 CMYK/YCCK; 0 if no SOF was found
 * @param sofMarker the SOF marker's second byte ({@code 0xC0} baseline, {@code 0xC2} progressive, ...), 0 if none
 * @param adobeTransform the APP14 "Adobe" transform byte (0 none/CMYK, 1 YCbCr, 2 YCCK), -1 without that segment
 * @param orientation EXIF orientation 1-8 (1 when absent or malformed)
 */
record JpegHeader(int precision, int components, int sofMarker, int adobeTransform, int orientation) {

    /** Segments of the header walked at most (a real JPEG has a dozen or two). */
    private static final int MAX_SEGMENTS = 512;

    static JpegHeader read(byte[] b) {
        int precision = 0;
        int components = 0;
        int sof = 0;
        int adobe = -1;
        int orientation = 0;
        int i = 2;
        for (int n = 0; n < MAX_SEGMENTS && i + 1 < b.length; n++) {
            if ((b[i] & 0xff) != 0xFF) {
                break;
            }
            int marker = b[i + 1] & 0xff;
            if (marker == 0xFF) {
                i++; // fill byte
                continue;
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8)) {
                i += 2; // standalone markers
                continue;
            }
            if (marker == 0xDA || marker == 0xD9 || i + 3 >= b.length) {
                break; // start of scan: the header is over
            }
            int len = ((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff);
            int data = i + 4;
            int end = i + 2 + len;
            if (len < 2 || end > b.length) {
                break;
            }
            if (isSof(marker) && sof == 0 && end - data >= 6) {
                sof = marker;
                precision = b[data] & 0xff;
                components = b[data + 5] & 0xff;
            } else if (marker == 0xEE && adobe < 0 && end - data >= 12 && startsWith(b, data, "Adobe")) {
                adobe = b[data + 11] & 0xff;
            } else if (marker == 0xE1 && orientation == 0 && end - data >= 6 && startsWith(b, data, "Exif\0\0")) {
                // PIL keeps the first Exif segment; so do we (0: none seen yet).
                orientation = ExifOrientation.parse(b, data + 6, end);
            }
            i = end;
        }
        return new JpegHeader(precision, components, sof, adobe, orientation == 0 ? 1 : orientation);
    }

    /** SOF0-SOF15 except DHT (C4), JPG (C8) and DAC (CC). */
    private static boolean isSof(int m) {
        return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
    }

    private static boolean startsWith(byte[] b, int at, String s) {
        for (int k = 0; k < s.length(); k++) {
            if ((b[at + k] & 0xff) != s.charAt(k)) {
                return false;
            }
        }
        return true;
    }
}
