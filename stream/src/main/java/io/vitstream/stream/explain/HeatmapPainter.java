package io.vitstream.stream.explain;

import io.vitstream.backbone.image.JpegEncoder;
import io.vitstream.backbone.image.RgbImage;

import java.awt.image.BufferedImage;

/**
 * Draws a heat map over its frame: the map bilinearly upsampled over the part of the frame its
 * grid covers, coloured by a perceptually ordered map (dark blue, purple, pink, orange, yellow:
 * five stops of matplotlib's plasma) and blended with an opacity proportional to the value, so
 * cold patches leave the frame visible.
 */
final class HeatmapPainter {

    /** Opacity of a value of 1. */
    static final double MAX_ALPHA = 0.75;

    /** The colour map's stops, evenly spaced over [0, 1], as RGB. */
    static final int[][] STOPS = {
        {13, 8, 135}, {126, 3, 168}, {204, 71, 120}, {248, 149, 64}, {240, 249, 33},
    };

    private HeatmapPainter() {}

    /** {@code frame} with the map of {@code e} over it, scaled to at most {@code maxSide} pixels a side, as PNG. */
    static byte[] png(RgbImage frame, Explanation e, int maxSide) {
        return Pictures.png(paint(frame, e.map(), e.cover(), maxSide));
    }

    /**
     * @param map {@code [H][W]} values in [0, 1]
     * @param cover where the map lies on the frame, {@code {x0, y0, x1, y1}} in frame pixels (may reach past it)
     */
    static BufferedImage paint(RgbImage frame, float[][] map, double[] cover, int maxSide) {
        if (maxSide < 1) {
            throw new IllegalArgumentException("vitstream.explain.png-max-side must be >= 1, got " + maxSide);
        }
        double s = Math.min(1.0, (double) maxSide / Math.max(frame.width(), frame.height()));
        int w = Math.max(1, (int) Math.round(frame.width() * s));
        int h = Math.max(1, (int) Math.round(frame.height() * s));
        BufferedImage base = Pictures.toBuffered(frame);
        BufferedImage out = s < 1 ? JpegEncoder.scaled(base, w, h) : base;
        int gh = map.length;
        int gw = map[0].length;
        double cellW = (cover[2] - cover[0]) / gw;
        double cellH = (cover[3] - cover[1]) / gh;
        for (int py = 0; py < h; py++) {
            // Grid coordinates of the pixel's centre, in cells, 0 at the first cell's centre.
            double gy = ((py + 0.5) / s - cover[1]) / cellH - 0.5;
            if (gy < -0.5 || gy > gh - 0.5) {
                continue;
            }
            for (int px = 0; px < w; px++) {
                double gx = ((px + 0.5) / s - cover[0]) / cellW - 0.5;
                if (gx < -0.5 || gx > gw - 0.5) {
                    continue;
                }
                double v = bilinear(map, gx, gy);
                out.setRGB(px, py, blend(out.getRGB(px, py), colour(v), MAX_ALPHA * v));
            }
        }
        return out;
    }

    /** The map at fractional cell coordinates, clamped at the edges. */
    static double bilinear(float[][] map, double x, double y) {
        int gh = map.length;
        int gw = map[0].length;
        double cx = Math.max(0, Math.min(gw - 1, x));
        double cy = Math.max(0, Math.min(gh - 1, y));
        int x0 = (int) Math.floor(cx);
        int y0 = (int) Math.floor(cy);
        int x1 = Math.min(gw - 1, x0 + 1);
        int y1 = Math.min(gh - 1, y0 + 1);
        double fx = cx - x0;
        double fy = cy - y0;
        double top = map[y0][x0] * (1 - fx) + map[y0][x1] * fx;
        double bottom = map[y1][x0] * (1 - fx) + map[y1][x1] * fx;
        return Math.max(0, Math.min(1, top * (1 - fy) + bottom * fy));
    }

    /** The colour of {@code v} in [0, 1], as 0xRRGGBB, linear between the stops. */
    static int colour(double v) {
        double t = Math.max(0, Math.min(1, v)) * (STOPS.length - 1);
        int i = Math.min(STOPS.length - 2, (int) t);
        double f = t - i;
        int rgb = 0;
        for (int c = 0; c < 3; c++) {
            rgb = rgb << 8 | (int) Math.round(STOPS[i][c] * (1 - f) + STOPS[i + 1][c] * f);
        }
        return rgb;
    }

    private static int blend(int under, int over, double alpha) {
        int rgb = 0;
        for (int shift = 16; shift >= 0; shift -= 8) {
            double u = under >> shift & 0xff;
            double o = over >> shift & 0xff;
            rgb |= (int) Math.round(u * (1 - alpha) + o * alpha) << shift;
        }
        return rgb;
    }
}
