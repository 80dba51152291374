package io.vitstream.stream.explain;

import io.vitstream.analytics.CameraConfig;
import io.vitstream.analytics.LineSpec;
import io.vitstream.analytics.Point;
import io.vitstream.analytics.ZoneSpec;
import io.vitstream.backbone.image.JpegEncoder;
import io.vitstream.backbone.image.RgbImage;
import io.vitstream.results.Box;
import io.vitstream.results.Detection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;

/**
 * A processed frame with its detections (box, label, score, track id), its camera's lines and
 * zones drawn with Java2D, as JPEG: the value of the {@code annotated} topic. Coordinates are
 * pixels of the original (upright) frame, as the results give them.
 */
final class FrameAnnotator {

    /** Box colour by {@code label_id modulo} its length: saturated, none white (lines) or cyan (zones). */
    static final Color[] PALETTE = {
        new Color(230, 25, 75), new Color(60, 180, 75), new Color(0, 90, 220), new Color(245, 130, 48),
        new Color(145, 30, 180), new Color(240, 50, 230), new Color(210, 245, 60), new Color(250, 190, 212),
        new Color(0, 128, 128), new Color(170, 110, 40),
    };
    static final Color LINE = Color.WHITE;
    static final Color ZONE = new Color(70, 240, 240);
    static final float JPEG_QUALITY = 0.85f;

    private FrameAnnotator() {}

    /** The colour of a label's boxes. */
    static Color colour(int labelId) {
        return PALETTE[Math.floorMod(labelId, PALETTE.length)];
    }

    /** The annotated frame as JPEG. */
    static byte[] jpeg(RgbImage frame, List<Detection> detections, CameraConfig camera) {
        return JpegEncoder.encode(draw(frame, detections, camera), JPEG_QUALITY);
    }

    static BufferedImage draw(RgbImage frame, List<Detection> detections, CameraConfig camera) {
        BufferedImage img = Pictures.toBuffered(frame);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            // Strokes and text grow with the frame so they stay legible (and survive JPEG) at any size.
            int unit = Math.max(1, Math.min(frame.width(), frame.height()) / 240);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(11, 5 * unit)));
            for (ZoneSpec z : camera.zones()) {
                zone(g, z, unit);
            }
            for (LineSpec l : camera.lines()) {
                line(g, l, unit);
            }
            for (Detection d : detections) {
                if (d.box() != null) {
                    detection(g, d, unit);
                }
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    private static void zone(Graphics2D g, ZoneSpec z, int unit) {
        Polygon p = new Polygon();
        for (Point c : z.polygon()) {
            p.addPoint((int) Math.round(c.x()), (int) Math.round(c.y()));
        }
        g.setColor(new Color(ZONE.getRed(), ZONE.getGreen(), ZONE.getBlue(), 50));
        g.fillPolygon(p);
        g.setColor(ZONE);
        g.setStroke(new BasicStroke(2 * unit));
        g.drawPolygon(p);
        label(g, z.name(), p.xpoints[0], p.ypoints[0], ZONE, unit);
    }

    private static void line(Graphics2D g, LineSpec l, int unit) {
        g.setColor(LINE);
        g.setStroke(new BasicStroke(2 * unit, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        int x1 = (int) Math.round(l.a().x());
        int y1 = (int) Math.round(l.a().y());
        g.drawLine(x1, y1, (int) Math.round(l.b().x()), (int) Math.round(l.b().y()));
        label(g, l.name(), x1, y1, LINE, unit);
    }

    private static void detection(Graphics2D g, Detection d, int unit) {
        Box b = d.box();
        Color c = colour(d.labelId());
        g.setColor(c);
        g.setStroke(new BasicStroke(3 * unit));
        int x = Math.round(b.x1());
        int y = Math.round(b.y1());
        g.drawRect(x, y, Math.round(b.x2()) - x, Math.round(b.y2()) - y);
        String text = String.format(Locale.ROOT, "%s %.2f", d.label() == null ? "#" + d.labelId() : d.label(), d.score())
                + (d.trackId() == null ? "" : " #" + d.trackId());
        label(g, text, x, y, c, unit);
    }

    /** {@code text} on a filled tag of {@code colour} just above {@code (x, y)} (below it at the top edge). */
    private static void label(Graphics2D g, String text, int x, int y, Color colour, int unit) {
        FontMetrics m = g.getFontMetrics();
        int w = m.stringWidth(text) + 4 * unit;
        int h = m.getHeight();
        int top = y - h - unit >= 0 ? y - h - unit : y + unit;
        g.setColor(colour);
        g.fillRect(x, top, w, h);
        double luma = 0.299 * colour.getRed() + 0.587 * colour.getGreen() + 0.114 * colour.getBlue();
        g.setColor(luma > 150 ? Color.BLACK : Color.WHITE);
        g.drawString(text, x + 2 * unit, top + m.getAscent());
    }
}
