package io.vitstream.analytics.sequences;

import io.vitstream.backbone.image.Resampler;
import io.vitstream.backbone.image.RgbImage;

/**
 * A sprite resized to its size in one sequence, with the bounds of its ink. Pixel boxes are
 * {@code {x1, y1, x2, y2}} with exclusive ends.
 */
final class Item {

    final Sprite sprite;
    final int width;
    final int height;
    /** {@code width * height} grey values. */
    final byte[] grey;
    /** Tight bounds of the pixels brighter than {@link SequenceGenerator#INK}, relative to the top-left corner. */
    final int[] ink;

    private Item(Sprite sprite, int width, int height, byte[] grey, int[] ink) {
        this.sprite = sprite;
        this.width = width;
        this.height = height;
        this.grey = grey;
        this.ink = ink;
    }

    /**
     * The sprite resized (PIL bilinear, as fashion scenes resize their items) to {@code width x height}.
     *
     * @return null when no pixel of the result is brighter than the ink threshold
     */
    static Item of(Sprite sprite, int width, int height) {
        int side = Sprite.SIDE;
        byte[] src = sprite.grey();
        byte[] rgb = new byte[side * side * 3];
        for (int i = 0; i < src.length; i++) {
            rgb[i * 3] = src[i];
            rgb[i * 3 + 1] = src[i];
            rgb[i * 3 + 2] = src[i];
        }
        RgbImage out = Resampler.resize(new RgbImage(side, side, rgb), width, height, Resampler.Filter.BILINEAR);
        byte[] grey = new byte[width * height];
        for (int i = 0; i < grey.length; i++) grey[i] = out.rgb()[i * 3];
        int[] ink = inkBounds(grey, width, 0, 0, width, height);
        return ink == null ? null : new Item(sprite, width, height, grey, ink);
    }

    /** The whole ink box with the item's top-left corner at (left, top), in frame pixels, ignoring the frame's edges. */
    int[] inkBox(int left, int top) {
        return new int[] {left + ink[0], top + ink[1], left + ink[2], top + ink[3]};
    }

    /**
     * The tight bounds of the ink that lies inside a {@code frameWidth x frameHeight} frame, the
     * item's top-left corner at (left, top); null when none does.
     */
    int[] visibleInk(int left, int top, int frameWidth, int frameHeight) {
        int[] whole = inkBox(left, top);
        if (whole[0] >= 0 && whole[1] >= 0 && whole[2] <= frameWidth && whole[3] <= frameHeight) return whole;
        int x0 = Math.max(0, -left);
        int y0 = Math.max(0, -top);
        int x1 = Math.min(width, frameWidth - left);
        int y1 = Math.min(height, frameHeight - top);
        if (x0 >= x1 || y0 >= y1) return null;
        int[] b = inkBounds(grey, width, x0, y0, x1, y1);
        return b == null ? null : new int[] {left + b[0], top + b[1], left + b[2], top + b[3]};
    }

    /** Draws the item into a grey frame, keeping the brighter value where pixels meet. */
    void paste(byte[] frame, int frameWidth, int frameHeight, int left, int top) {
        int x0 = Math.max(0, -left);
        int x1 = Math.min(width, frameWidth - left);
        for (int y = Math.max(0, -top); y < Math.min(height, frameHeight - top); y++) {
            int row = (top + y) * frameWidth + left;
            for (int x = x0; x < x1; x++) {
                int v = grey[y * width + x] & 0xff;
                if (v > (frame[row + x] & 0xff)) frame[row + x] = (byte) v;
            }
        }
    }

    /** Tight bounds of the pixels brighter than the ink threshold within a window, or null. */
    private static int[] inkBounds(byte[] grey, int stride, int wx0, int wy0, int wx1, int wy1) {
        int x0 = Integer.MAX_VALUE;
        int y0 = Integer.MAX_VALUE;
        int x1 = -1;
        int y1 = -1;
        for (int y = wy0; y < wy1; y++) {
            for (int x = wx0; x < wx1; x++) {
                if ((grey[y * stride + x] & 0xff) > SequenceGenerator.INK) {
                    x0 = Math.min(x0, x);
                    y0 = Math.min(y0, y);
                    x1 = Math.max(x1, x);
                    y1 = Math.max(y1, y);
                }
            }
        }
        return x1 < 0 ? null : new int[] {x0, y0, x1 + 1, y1 + 1};
    }
}
