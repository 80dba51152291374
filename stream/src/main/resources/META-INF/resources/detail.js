// The detail view of one camera: the large frame with overlays, the classification top 5, the
// recent events (polled every 2 s while open) and the attention heat map of /v1/explain.

import { live } from './state.js';
import { drawFrame } from './overlay.js';
import { drawHeatmap } from './heatmap.js';
import * as frames from './frames.js';
import { setText, stats } from './grid.js';

const EVENTS_EVERY_MS = 2000;
/** Explain and frame fetched again when the frame moved on in between (or the server was busy). */
const EXPLAIN_TRIES = 3;
const $ = (id) => document.getElementById(id);
let els;
let timer = null;
let heat = null;
let heatRequest = 0;
let topShown = '';
let eventsShown = '';

export function init(onClose) {
  els = { view: $('detail'), title: $('detail-title'), stats: $('detail-stats'), error: $('detail-error'),
    body: $('detail-body'), canvas: $('detail-canvas'), stale: $('detail-stale'), top: $('top'), events: $('events'),
    heat: $('heat-canvas'), layer: $('layer'), opacity: $('opacity'), status: $('heat-status') };
  els.heatCtx = els.heat.getContext('2d', { willReadFrequently: true });
  $('back').addEventListener('click', onClose);
  $('refresh').addEventListener('click', loadHeatmap);
  els.layer.addEventListener('change', loadHeatmap);
  els.opacity.addEventListener('input', paintHeatmap);
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && live.detail != null) onClose();
  });
  const resizer = new ResizeObserver(() => {
    const shown = live.detail && live.cameras[live.detail];
    if (fit(els.canvas, shown && shown.image) && live.detail) paint(live.detail, frames.frameOf(live.detail));
    if (fit(els.heat, heat && heat.explain.image)) paintHeatmap();
  });
  resizer.observe(els.canvas);
  resizer.observe(els.heat);
}

/** Backing store = displayed width x devicePixelRatio, in the aspect of the frame shown; true if it changed. */
function fit(canvas, image) {
  if (canvas.clientWidth === 0) return false;
  const aspect = image && image.width > 0 ? image.height / image.width : 9 / 16;
  const width = Math.max(1, Math.round(canvas.clientWidth * (window.devicePixelRatio || 1)));
  const height = Math.max(1, Math.round(width * aspect));
  if (canvas === els.canvas && live.detail != null) frames.setDisplayWidth(live.detail, width, image);
  if (canvas.width === width && canvas.height === height) return false;
  canvas.width = width;
  canvas.height = height;
  return true;
}

export function open(name) {
  live.detail = name;
  live.heatmap = null;
  heat = null;
  topShown = '';
  eventsShown = '';
  els.title.textContent = name;
  setText(els.error, '');
  els.body.hidden = false;
  els.view.hidden = false;
  els.layer.replaceChildren(new Option('all', ''));
  els.canvas.getContext('2d').clearRect(0, 0, els.canvas.width, els.canvas.height);
  els.heatCtx.clearRect(0, 0, els.heat.width, els.heat.height);
  setText(els.status, '');
  if (live.cameras[name]) update(live.cameras[name]);
  fit(els.canvas, live.cameras[name] && live.cameras[name].image);
  const frame = frames.frameOf(name);
  if (frame && frame.bitmap) paint(name, frame);
  pollEvents();
  timer = setInterval(pollEvents, EVENTS_EVERY_MS);
  loadHeatmap();
  els.title.focus();
}

export function close() {
  clearInterval(timer);
  timer = null;
  heatRequest++;
  live.detail = null;
  live.heatmap = null;
  if (heat && heat.bitmap.close) heat.bitmap.close();
  heat = null;
  els.view.hidden = true;
}

/** A new summary: caption and top 5 of the open camera. */
export function update(summary) {
  if (summary.camera !== live.detail) return;
  setText(els.stats, stats(summary));
  const top = JSON.stringify(summary.top || []);
  if (top !== topShown) {
    topShown = top;
    renderTop(summary.top || []);
  }
}

export function showStale(ageMs) {
  const s = live.detail && live.cameras[live.detail];
  const stale = Boolean(s && s.stale);
  if (els.stale.hidden === stale) els.stale.hidden = !stale;
  if (stale) setText(els.stale, `No frames for ${Math.round(ageMs(live.detail) / 1000)} s`);
}

/** Draws the open camera's newest frame (called by the grid's drawing loop). */
export function paint(name, frame) {
  if (name !== live.detail || !frame || !frame.bitmap) return;
  fit(els.canvas, frame.summary && frame.summary.image);
  drawFrame(els.canvas.getContext('2d'), frame.bitmap, frame.summary);
}

function renderTop(top) {
  while (els.top.children.length < top.length) {
    const li = document.createElement('li');
    li.innerHTML = '<span class="name"></span><span class="bar"><span class="fill"></span></span><span class="score"></span>';
    els.top.append(li);
  }
  while (els.top.children.length > top.length) els.top.lastElementChild.remove();
  top.forEach((t, i) => {
    const li = els.top.children[i];
    setText(li.querySelector('.name'), t.name);
    setText(li.querySelector('.score'), t.score.toFixed(2));
    li.querySelector('.fill').style.transform = `scaleX(${Math.max(0, Math.min(1, t.score))})`;
  });
}

async function pollEvents() {
  const name = live.detail;
  try {
    const response = await fetch(`/live/cameras/${encodeURIComponent(name)}`, { cache: 'no-store' });
    const body = await response.json().catch(() => ({}));
    if (name !== live.detail) return;
    if (!response.ok) {
      setText(els.error, body.error || `Camera ${name}: HTTP ${response.status}`);
      els.body.hidden = true;
      return;
    }
    setText(els.error, '');
    els.body.hidden = false;
    update(body);
    renderEvents(body.events || []);
  } catch (e) {
    if (name === live.detail) setText(els.error, `Camera ${name}: the service did not answer (${e.message}); retrying.`);
  }
}

function renderEvents(events) {
  const key = JSON.stringify(events);
  if (key === eventsShown) return;
  eventsShown = key;
  const items = events.map((e) => {
    const li = document.createElement('li');
    const time = document.createElement('time');
    const ms = e.frame && e.frame.capture_time_ms;
    if (ms) {
      time.dateTime = new Date(ms).toISOString();
      time.textContent = new Date(ms).toLocaleTimeString();
    }
    li.append(time, describe(e));
    return li;
  });
  if (items.length === 0) {
    const li = document.createElement('li');
    li.textContent = 'No events yet.';
    items.push(li);
  }
  els.events.replaceChildren(...items);
}

/** "line-cross middle in: Bag #7", "zone-exit centre: Coat #3 after 4.2 s". */
export function describe(e) {
  const where = [e.line || e.zone, e.direction].filter(Boolean).join(' ');
  const dwell = e.dwell_ms != null ? ` after ${(e.dwell_ms / 1000).toFixed(1)} s` : '';
  return `${e.type} ${where}: ${e.label}${e.track_id != null ? ` #${e.track_id}` : ''}${dwell}`;
}

/**
 * GET /v1/explain for the open camera, then its frame; the heat map is drawn over that frame when
 * the frame's partition and offset headers are the explained frame's (else both are tried again,
 * then the heat map is shown with both offsets named). A busy server (429) is asked again after
 * its Retry-After.
 */
async function loadHeatmap() {
  const name = live.detail;
  const request = ++heatRequest;
  const layer = els.layer.value;
  setText(els.status, 'Computing the attention rollout…');
  try {
    let explain;
    let frame;
    for (let i = 0; i < EXPLAIN_TRIES && !(frame && sameFrame(frame, explain)); i++) {
      const response = await fetch(`/v1/explain?camera=${encodeURIComponent(name)}${layer ? `&layer=${layer}` : ''}`,
        { cache: 'no-store' });
      const body = await response.json().catch(() => ({}));
      if (response.status === 429 && i + 1 < EXPLAIN_TRIES) {
        await new Promise((resolve) => setTimeout(resolve, 1000 * (Number(response.headers.get('Retry-After')) || 1)));
        continue;
      }
      if (!response.ok) throw new Error(body.error || `HTTP ${response.status}`);
      explain = body;
      if (frame && frame.bitmap.close) frame.bitmap.close();
      const side = Math.max(160, Math.ceil(els.heat.clientWidth * (window.devicePixelRatio || 1) / 160) * 160);
      frame = await frames.load(`/live/cameras/${encodeURIComponent(name)}/frame.jpg?max-side=${side}&explained=${Date.now()}`);
    }
    if (!frame) throw new Error('the server stayed busy');
    if (request !== heatRequest) return;
    if (heat && heat.bitmap.close) heat.bitmap.close();
    heat = { explain, bitmap: frame.bitmap, offset: frame.offset, same: sameFrame(frame, explain) };
    if (els.layer.options.length !== explain.layers + 1) {
      els.layer.replaceChildren(new Option('all', ''),
        ...Array.from({ length: explain.layers }, (_, k) => new Option(String(k + 1), String(k + 1))));
      els.layer.value = layer;
    }
    paintHeatmap();
  } catch (e) {
    if (request === heatRequest) setText(els.status, `No heat map: ${e.message}`);
  }
}

function sameFrame(frame, explain) {
  return frame.offset === explain.frame.offset && frame.partition === explain.frame.partition;
}

function paintHeatmap() {
  if (!heat) return;
  const { explain, bitmap, offset, same } = heat;
  fit(els.heat, explain.image);
  const ctx = els.heatCtx;
  ctx.drawImage(bitmap, 0, 0, els.heat.width, els.heat.height);
  const cells = drawHeatmap(ctx, explain, Number(els.opacity.value));
  live.heatmap = { camera: explain.camera, layer: explain.layer, layers: explain.layers, cells,
    offset: explain.frame.offset, frameOffset: offset, sameFrame: same };
  const which = same
    ? `frame at offset ${offset}`
    : `heat map of offset ${explain.frame.offset} over the frame at offset ${offset} (the camera moved on; refresh)`;
  setText(els.status, `Layers 1–${explain.layer} of ${explain.layers}, ${explain.fusion} over heads; ${which}; `
    + `${Math.round(explain.millis)} ms.`);
}
