package io.vitstream.stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** WCAG 2 contrast of text against its background, from the browser's computed styles. */
final class Contrast {

    /** WCAG AA for normal text. */
    static final double MINIMUM = 4.5;
    private static final Pattern RGB = Pattern.compile("rgba?\\(([\\d.]+),\\s*([\\d.]+),\\s*([\\d.]+)(?:,\\s*([\\d.]+))?\\)");
    /** For each displayed element: its colour and the first opaque-or-translucent background up its ancestors. */
    private static final String COLOURS = """
            const out = [];
            for (const e of document.querySelectorAll(arguments[0])) {
              if (e.getClientRects().length === 0 || !e.textContent.trim()) continue;
              let bg = null;
              for (let n = e; n && !bg; n = n.parentElement) {
                const c = getComputedStyle(n).backgroundColor;
                if (c !== 'transparent' && !/^rgba\\(.*,\\s*0\\)$/.test(c)) bg = c;
              }
              out.push([getComputedStyle(e).color, bg || 'rgb(255, 255, 255)', e.textContent.trim().slice(0, 40)]);
            }
            return out;""";

    private Contrast() {}

    /** Every displayed element with text matching each selector (at least one per selector) has contrast >= 4.5. */
    @SuppressWarnings("unchecked")
    static void assertReadable(WebDriver browser, String... selectors) {
        for (String selector : selectors) {
            List<List<String>> found = (List<List<String>>) ((JavascriptExecutor) browser).executeScript(COLOURS, selector);
            assertTrue(!found.isEmpty(), "no displayed text matches '" + selector + "'");
            for (List<String> f : found) {
                double ratio = ratio(rgb(f.get(0)), rgb(f.get(1)));
                assertTrue(ratio >= MINIMUM, String.format("'%s' (\"%s\"): %s on %s has contrast %.2f < %.1f",
                        selector, f.get(2), f.get(0), f.get(1), ratio, MINIMUM));
            }
        }
    }

    /** {r, g, b} in 0..255 of a CSS rgb()/rgba() value; a translucent colour is refused, its result would depend on what is under it. */
    static double[] rgb(String css) {
        Matcher m = RGB.matcher(css);
        if (!m.matches()) {
            throw new IllegalArgumentException("not an rgb()/rgba() colour: " + css);
        }
        if (m.group(4) != null && Double.parseDouble(m.group(4)) < 1) {
            throw new IllegalArgumentException("translucent colour " + css + ": contrast undefined without what is beneath");
        }
        return new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3))};
    }

    /** (L1 + 0.05) / (L2 + 0.05), L the relative luminance, L1 the lighter. */
    static double ratio(double[] a, double[] b) {
        double la = luminance(a);
        double lb = luminance(b);
        return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
    }

    static double luminance(double[] rgb) {
        double[] lin = new double[3];
        for (int i = 0; i < 3; i++) {
            double c = rgb[i] / 255;
            lin[i] = c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
        }
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2];
    }
}
