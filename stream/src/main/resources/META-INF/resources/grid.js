// The grid of camera tiles and the one drawing loop of the page: a camera is redrawn only when a
// new frame or new overlays arrived, at most once per animation frame, for all cameras at once.

import { live } from './state.js';
import { drawFrame } from './overlay.js';
import * as frames from './frames.js';

const tiles = new Map();
const dirty = new Set();
const extraPainters = [];
let scheduled = false;
let gridEl;
let emptyEl;
let resizer;

/** `painter(name, frame)` also runs when a camera is redrawn (the detail view's large canvas). */
export function addPainter(painter) {
  extraPainters.push(painter);
}

export function init(onOpen) {
  gridEl = document.getElementById('grid');
  emptyEl = document.getElementById('empty');
  gridEl.addEventListener('click', (e) => {
    const tile = e.target.closest('.tile');
    if (tile) onOpen(tile.dataset.camera);
  });
  gridEl.addEventListener('keydown', (e) => {
    const tile = e.target.closest('.tile');
    if (tile && (e.key === 'Enter' || e.key === ' ')) {
      e.preventDefault();
      onOpen(tile.dataset.camera);
    }
  });
  resizer = new ResizeObserver((entries) => {
    for (const entry of entries) fitCanvas(entry.target);
  });
  frames.setFrameListener(schedule);
}

/** Adds tiles for new cameras and removes those of cameras no longer known, keeping the server's order. */
export function setKnown(known) {
  for (const name of [...tiles.keys()]) {
    if (!known.includes(name)) {
      tiles.get(name).el.remove();
      tiles.delete(name);
      frames.forget(name);
      delete live.drawn[name];
    }
  }
  known.forEach((name, i) => {
    if (!tiles.has(name)) {
      const tile = createTile(name);
      tiles.set(name, tile);
      gridEl.insertBefore(tile.el, gridEl.children[i] || null);
    }
  });
  emptyEl.hidden = known.length > 0;
}

function createTile(name) {
  const el = document.createElement('div');
  el.className = 'tile';
  el.dataset.camera = name;
  el.tabIndex = 0;
  el.setAttribute('role', 'button');
  el.setAttribute('aria-label', `Camera ${name}: open the detail view`);
  const canvas = document.createElement('canvas');
  canvas.width = 480;
  canvas.height = 270;
  canvas.dataset.camera = name;
  const stale = document.createElement('p');
  stale.className = 'stale';
  stale.hidden = true;
  const caption = document.createElement('div');
  caption.className = 'caption';
  const title = document.createElement('strong');
  title.textContent = name;
  const stats = document.createElement('span');
  stats.className = 'stats';
  caption.append(title, stats);
  el.append(canvas, stale, caption);
  resizer.observe(canvas);
  return { el, canvas, ctx: canvas.getContext('2d'), stale, stats, aspect: 9 / 16 };
}

/** Backing store = displayed size x devicePixelRatio, in the frame's aspect ratio; set only when it changes. */
export function fitCanvas(canvas) {
  const tile = tiles.get(canvas.dataset.camera);
  if (canvas.clientWidth === 0) return;
  const aspect = tile ? tile.aspect : canvas.height / canvas.width;
  const width = Math.max(1, Math.round(canvas.clientWidth * (window.devicePixelRatio || 1)));
  const height = Math.max(1, Math.round(width * aspect));
  const summary = live.cameras[canvas.dataset.camera];
  frames.setDisplayWidth(canvas.dataset.camera, width, summary && summary.image);
  if (canvas.width !== width || canvas.height !== height) {
    canvas.width = width;
    canvas.height = height;
    if (canvas.dataset.camera) schedule(canvas.dataset.camera);
  }
}

/** A camera's new summary: caption, stale overlay, frame request, and a redraw if its overlays are the frame's. */
export function update(summary, fetchFrames) {
  const name = summary.camera;
  const tile = tiles.get(name);
  frames.addSummary(summary, fetchFrames);
  if (!tile) return;
  if (summary.image && summary.image.width > 0) {
    const aspect = summary.image.height / summary.image.width;
    if (aspect !== tile.aspect) {
      tile.aspect = aspect;
      fitCanvas(tile.canvas);
    }
  }
  setText(tile.stats, stats(summary));
  const shown = frames.frameOf(name);
  const drawnState = live.drawn[name];
  if (shown && shown.version === summary.version && drawnState && drawnState.overlayVersion !== summary.version) {
    schedule(name);
  }
}

export function stats(s) {
  const fps = s.fps == null ? '–' : s.fps.toFixed(1);
  const latency = s.latency_ms == null ? '–' : `${Math.round(s.latency_ms)} ms`;
  const lag = s.lag == null ? '–' : s.lag;
  return `${fps} fps · ${latency} · lag ${lag}`;
}

/** "no frames for N s" on stale cameras; `ageMs(name)` is the camera's age now. */
export function showStale(ageMs) {
  for (const [name, tile] of tiles) {
    const s = live.cameras[name];
    const stale = Boolean(s && s.stale);
    if (tile.stale.hidden === stale) tile.stale.hidden = !stale;
    if (stale) setText(tile.stale, `No frames for ${Math.round(ageMs(name) / 1000)} s`);
  }
}

export function setText(el, text) {
  if (el.textContent !== text) el.textContent = text;
}

export function schedule(name) {
  dirty.add(name);
  if (!scheduled) {
    scheduled = true;
    requestAnimationFrame(paint);
  }
}

export function focusTile(name) {
  const tile = tiles.get(name);
  if (tile) tile.el.focus();
}

export function setVisible(visible) {
  gridEl.hidden = !visible;
  if (visible) {
    emptyEl.hidden = tiles.size > 0;
    for (const [name, tile] of tiles) {
      fitCanvas(tile.canvas);
      schedule(name);
    }
  } else {
    emptyEl.hidden = true;
  }
}

function paint() {
  scheduled = false;
  const names = [...dirty];
  dirty.clear();
  for (const name of names) {
    const frame = frames.frameOf(name);
    if (!frame || !frame.bitmap) continue;
    const tile = tiles.get(name);
    if (tile && !gridEl.hidden) {
      const boxes = drawFrame(tile.ctx, frame.bitmap, frame.summary);
      if (!live.drawn[name] || live.drawn[name].version !== frame.version) live.framesDrawn++;
      live.drawn[name] = { version: frame.version, overlayVersion: frame.summary ? frame.summary.version : null, boxes,
        drawnAt: performance.now() };
    }
    extraPainters.forEach((p) => p(name, frame));
    if (live.firstFrameMs == null) live.firstFrameMs = performance.now();
    frames.drawn(name, wantsFrames(name));
  }
}

/** While the detail view is open only its camera's frames are fetched. */
export function wantsFrames(name) {
  return live.detail == null || live.detail === name;
}

export function requestAll() {
  for (const name of tiles.keys()) {
    if (wantsFrames(name)) frames.request(name);
  }
}
