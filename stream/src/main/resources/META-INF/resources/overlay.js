// Drawing one camera's frame and its overlays (zones, lines, trails, boxes, labels) onto a canvas.
// Everything the server sends is in pixels of the original frame (summary.image.width/height);
// it is mapped to the canvas by one uniform scale, since the canvas keeps the frame's aspect ratio.

/** Box colour per class: PALETTE[label_id mod 10] (docs/live.md, "The page"; LiveViewIT checks it). */
export const PALETTE = ['#ff3b30', '#34c759', '#0a84ff', '#ffd60a', '#bf5af2',
  '#ff9f0a', '#64d2ff', '#ff375f', '#5e5ce6', '#a2f000'];

export function classColour(labelId) {
  const i = Number.isInteger(labelId) ? labelId : 0;
  return PALETTE[((i % PALETTE.length) + PALETTE.length) % PALETTE.length];
}

/** Stroke width of the boxes in canvas pixels. */
export const BOX_WIDTH = 3;

/**
 * Draws `bitmap` (an ImageBitmap or decoded image of the frame) scaled to the whole canvas, then
 * the overlays of `summary` (a CameraSummary, possibly undefined). Returns the number of boxes drawn.
 */
export function drawFrame(ctx, bitmap, summary) {
  const { width, height } = ctx.canvas;
  ctx.clearRect(0, 0, width, height);
  if (bitmap) {
    ctx.drawImage(bitmap, 0, 0, width, height);
  }
  if (!summary) {
    return 0;
  }
  const frameWidth = (summary.image && summary.image.width) || (bitmap && bitmap.width) || width;
  const scale = width / frameWidth;
  const font = Math.round(Math.max(11, Math.min(18, width / 45)));
  ctx.save();
  ctx.font = `600 ${font}px system-ui, sans-serif`;
  ctx.textBaseline = 'top';
  const counts = summary.counts || {};
  for (const zone of summary.zones || []) {
    drawZone(ctx, zone, scale, (counts.zones || {})[zone.name], font);
  }
  for (const line of summary.lines || []) {
    drawLine(ctx, line, scale, (counts.lines || {})[line.name], font);
  }
  const labelOf = new Map();
  for (const d of summary.detections || []) {
    if (d.track_id != null) labelOf.set(d.track_id, d.label_id);
  }
  for (const trail of summary.trails || []) {
    drawTrail(ctx, trail, scale, classColour(labelOf.get(trail.track_id)));
  }
  const boxes = summary.detections || [];
  for (const d of boxes) {
    drawBox(ctx, d, scale);
  }
  for (const d of boxes) {
    drawLabel(ctx, d, scale, font);
  }
  ctx.restore();
  return boxes.length;
}

function path(ctx, points, scale) {
  ctx.beginPath();
  points.forEach(([x, y], i) => (i === 0 ? ctx.moveTo(x * scale, y * scale) : ctx.lineTo(x * scale, y * scale)));
}

function drawZone(ctx, zone, scale, counts, font) {
  if (!zone.points || zone.points.length < 3) return;
  path(ctx, zone.points, scale);
  ctx.closePath();
  ctx.fillStyle = 'rgba(100, 210, 255, 0.14)';
  ctx.fill();
  ctx.lineWidth = 1.5;
  ctx.strokeStyle = 'rgba(100, 210, 255, 0.85)';
  ctx.stroke();
  const total = sum(counts, ['inside', 'enter', 'exit']);
  const text = `${zone.name}: inside ${total.inside} · in ${total.enter} · out ${total.exit}`;
  const [x, y] = zone.points[0];
  tag(ctx, text, x * scale + 4, y * scale + 4, font, '#64d2ff');
}

function drawLine(ctx, line, scale, counts, font) {
  if (!line.points || line.points.length < 2) return;
  path(ctx, line.points, scale);
  ctx.lineWidth = 4;
  ctx.strokeStyle = 'rgba(0, 0, 0, 0.6)';
  ctx.stroke();
  ctx.lineWidth = 2;
  ctx.strokeStyle = '#ffffff';
  ctx.setLineDash([8, 6]);
  ctx.stroke();
  ctx.setLineDash([]);
  const total = sum(counts, ['in', 'out']);
  const [x, y] = line.points[line.points.length - 1];
  tag(ctx, `${line.name}: in ${total.in} · out ${total.out}`, x * scale + 4, y * scale + 4, font, '#ffffff');
}

function drawTrail(ctx, trail, scale, colour) {
  if (!trail.points || trail.points.length < 2) return;
  path(ctx, trail.points, scale);
  ctx.lineWidth = 2;
  ctx.lineJoin = 'round';
  ctx.strokeStyle = colour;
  ctx.globalAlpha = 0.75;
  ctx.stroke();
  ctx.globalAlpha = 1;
}

function drawBox(ctx, d, scale) {
  const b = d.box;
  ctx.lineWidth = BOX_WIDTH;
  ctx.strokeStyle = classColour(d.label_id);
  ctx.strokeRect(b.x1 * scale, b.y1 * scale, (b.x2 - b.x1) * scale, (b.y2 - b.y1) * scale);
}

/** "Bag 0.93 #7" on a dark plate just above the box (inside it when the box touches the top). */
function drawLabel(ctx, d, scale, font) {
  const text = `${d.label} ${d.score.toFixed(2)}${d.track_id != null ? ` #${d.track_id}` : ''}`;
  const x = d.box.x1 * scale - BOX_WIDTH / 2;
  const above = d.box.y1 * scale - BOX_WIDTH / 2 - font - 4;
  const y = above >= 0 ? above : d.box.y1 * scale + BOX_WIDTH;
  tag(ctx, text, x, y, font, classColour(d.label_id));
}

/** Light text on a near-black plate with a stripe in `accent`: readable on any frame. */
function tag(ctx, text, x, y, font, accent) {
  const w = ctx.measureText(text).width + 10;
  const h = font + 4;
  const left = Math.max(0, Math.min(x, ctx.canvas.width - w));
  const top = Math.max(0, Math.min(y, ctx.canvas.height - h));
  ctx.fillStyle = 'rgba(10, 10, 10, 0.85)';
  ctx.fillRect(left, top, w, h);
  ctx.fillStyle = accent;
  ctx.fillRect(left, top, 3, h);
  ctx.fillStyle = '#f2f2f2';
  ctx.fillText(text, left + 6, top + 2);
}

/** Sums per-class counts, e.g. {Bag: {in: 3}, Coat: {in: 1, out: 2}} -> {in: 4, out: 2}. */
export function sum(perClass, keys) {
  const total = Object.fromEntries(keys.map((k) => [k, 0]));
  for (const c of Object.values(perClass || {})) {
    for (const k of keys) total[k] += Number(c[k]) || 0;
  }
  return total;
}
