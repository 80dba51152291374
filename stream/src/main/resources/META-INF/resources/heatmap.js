// The attention heat map of /v1/explain: its grid of values in [0, 1] bilinearly interpolated over
// the part of the frame it covers (`region`), coloured with an inferno-like map.

/** Colour map stops, value 0 to 1 (dark purple to pale yellow). */
const STOPS = [[0, 0, 4], [87, 16, 110], [188, 55, 84], [249, 142, 9], [252, 255, 164]];

/** [r, g, b] of `v` in [0, 1] (clamped), linear between the stops. */
export function colourOf(v) {
  const t = Math.max(0, Math.min(1, v)) * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(t));
  const f = t - i;
  return STOPS[i].map((c, k) => Math.round(c + (STOPS[i + 1][k] - c) * f));
}

/**
 * The map's value at (u, v), fractions of the region's width and height in [0, 1]: bilinear
 * between the centres of the cells (cell (r, c) has its centre at ((c + 0.5) / W, (r + 0.5) / H)),
 * constant beyond the outer centres. `map` is [H][W].
 */
export function bilinear(map, u, v) {
  const h = map.length;
  const w = map[0].length;
  const x = Math.max(0, Math.min(w - 1, u * w - 0.5));
  const y = Math.max(0, Math.min(h - 1, v * h - 0.5));
  const c0 = Math.floor(x);
  const r0 = Math.floor(y);
  const c1 = Math.min(w - 1, c0 + 1);
  const r1 = Math.min(h - 1, r0 + 1);
  const fx = x - c0;
  const fy = y - r0;
  const top = map[r0][c0] * (1 - fx) + map[r0][c1] * fx;
  const bottom = map[r1][c0] * (1 - fx) + map[r1][c1] * fx;
  return top * (1 - fy) + bottom * fy;
}

/**
 * Blends the heat map of `explain` (the /v1/explain JSON) over what the canvas already shows (the
 * explained frame, drawn to the whole canvas), with `opacity` in [0, 1]. Returns the cells drawn.
 */
export function drawHeatmap(ctx, explain, opacity) {
  const map = explain.map;
  if (!map || map.length === 0 || map[0].length === 0 || opacity <= 0) {
    return 0;
  }
  const scale = ctx.canvas.width / explain.image.width;
  const r = explain.region;
  const left = Math.round(r.x * scale);
  const top = Math.round(r.y * scale);
  const width = Math.max(1, Math.min(ctx.canvas.width - left, Math.round(r.width * scale)));
  const height = Math.max(1, Math.min(ctx.canvas.height - top, Math.round(r.height * scale)));
  const under = ctx.getImageData(left, top, width, height);
  const px = under.data;
  for (let y = 0; y < height; y++) {
    const v = (y + 0.5) / height;
    for (let x = 0; x < width; x++) {
      const [cr, cg, cb] = colourOf(bilinear(map, (x + 0.5) / width, v));
      const i = (y * width + x) * 4;
      px[i] = px[i] * (1 - opacity) + cr * opacity;
      px[i + 1] = px[i + 1] * (1 - opacity) + cg * opacity;
      px[i + 2] = px[i + 2] * (1 - opacity) + cb * opacity;
    }
  }
  ctx.putImageData(under, left, top);
  return map.length * map[0].length;
}
