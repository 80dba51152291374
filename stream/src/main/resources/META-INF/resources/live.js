// Entry point: the server-sent updates, the "service unreachable" banner, and the route between
// the grid and a camera's detail view (#camera=NAME, so a detail view can be linked).

import { live } from './state.js';
import * as grid from './grid.js';
import * as detail from './detail.js';

/** No update for this long (the server sends a heartbeat every 2 s) means the service is gone. */
const SILENCE_MS = 5000;
const MAX_BACKOFF_MS = 30000;
const receivedAt = new Map();
let source = null;
let backoffMs = 1000;
let reconnectTimer = null;
let openedFrom = null;

function connect() {
  reconnectTimer = null;
  source = new EventSource('/live/updates');
  source.addEventListener('update', (e) => onUpdate(JSON.parse(e.data)));
  source.addEventListener('error', () => {
    setConnection('down');
    if (source.readyState === EventSource.CLOSED && reconnectTimer == null) {
      // The browser gave up (e.g. an HTTP error instead of a stream): a new one, later and later,
      // unless the answer was 401, when the page asks for the API key first.
      reconnectTimer = setTimeout(connect, backoffMs);
      backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
      fetch('/live/cameras').then((r) => { if (r.status === 401) askForKey(); }).catch(() => {});
    }
  });
}

/**
 * The service wants its API key: a browser cannot put a header on an event stream or an image,
 * so the key goes into the cookie the service reads on GET requests (SameSite=Strict).
 */
function askForKey() {
  const form = document.getElementById('key-form');
  if (!form.hidden) return;
  form.hidden = false;
  document.getElementById('key-input').focus();
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const key = document.getElementById('key-input').value;
    document.cookie = `vitstream-api-key=${encodeURIComponent(key)}; path=/; SameSite=Strict`;
    form.hidden = true;
    clearTimeout(reconnectTimer);
    reconnectTimer = null;
    backoffMs = 1000;
    connect();
  }, { once: true });
}

function onUpdate(update) {
  live.lastEventMs = performance.now();
  backoffMs = 1000;
  setConnection('up');
  for (const summary of update.cameras || []) {
    live.cameras[summary.camera] = summary;
    receivedAt.set(summary.camera, live.lastEventMs);
  }
  const known = update.known || Object.keys(live.cameras);
  for (const name of Object.keys(live.cameras)) {
    if (!known.includes(name)) {
      delete live.cameras[name];
      receivedAt.delete(name);
    }
  }
  live.known = known;
  grid.setKnown(known);
  for (const summary of update.cameras || []) {
    grid.update(summary, grid.wantsFrames(summary.camera));
    detail.update(summary);
  }
  grid.setText(document.getElementById('summary'), `${known.length} camera${known.length === 1 ? '' : 's'}`);
}

/** A camera's age now: its age_ms when the summary came plus the time since. */
function ageMs(name) {
  const s = live.cameras[name];
  return s ? (s.age_ms || 0) + (performance.now() - (receivedAt.get(name) || performance.now())) : 0;
}

function setConnection(state) {
  live.connection = state;
  const banner = document.getElementById('banner');
  const down = state === 'down';
  banner.classList.toggle('down', down);
  const silent = live.lastEventMs == null ? 0 : Math.round((performance.now() - live.lastEventMs) / 1000);
  const text = down
    ? `The live service is unreachable${silent >= 1 ? ` (no update for ${silent} s)` : ''}. Retrying by itself…`
    : '';
  grid.setText(banner, text);
}

/** Once a second: silence means down; stale cameras' "no frames for N s". */
function watch() {
  const since = performance.now() - (live.lastEventMs == null ? 0 : live.lastEventMs);
  if (since > SILENCE_MS || live.connection === 'down') setConnection('down');
  grid.showStale(ageMs);
  detail.showStale(ageMs);
}

function cameraInHash() {
  const m = /^#camera=(.+)$/.exec(location.hash);
  return m ? decodeURIComponent(m[1]) : null;
}

function route() {
  const name = cameraInHash();
  if (name === live.detail) return;
  if (live.detail != null) detail.close();
  if (name != null) {
    grid.setVisible(false);
    detail.open(name);
  } else {
    grid.setVisible(true);
    grid.requestAll();
    if (openedFrom) grid.focusTile(openedFrom);
  }
  openedFrom = name ?? openedFrom;
}

function openCamera(name) {
  location.hash = `camera=${encodeURIComponent(name)}`;
}

function closeDetail() {
  history.pushState(null, '', location.pathname + location.search);
  route();
}

grid.init(openCamera);
detail.init(closeDetail);
grid.addPainter(detail.paint);
window.addEventListener('hashchange', route);
setInterval(watch, 1000);
connect();
route();
