// Frames per camera: at most one request in flight, and the next one only after the previous
// frame was drawn, so a slow browser shows the newest frame and never builds a backlog.
// Keeps the last few summaries per camera so a frame gets the overlays of its own version.

const HISTORY = 8;
/** Previews are asked for in steps of this many pixels, so a resize by a few pixels refetches nothing. */
const SIDE_STEP = 160;
const RETRY_MS = 1000;
const records = new Map();
let onFrame = () => {};

/** `callback(name)` runs when a camera's new frame is decoded and waits to be drawn. */
export function setFrameListener(callback) {
  onFrame = callback;
}

function record(name) {
  let r = records.get(name);
  if (!r) {
    r = { bitmap: null, version: -1, offset: null, url: null, wanted: null, inFlight: false, undrawn: false,
      failedAt: -Infinity, history: [], side: null };
    records.set(name, r);
  }
  return r;
}

/** A new summary of a camera: remembers it and, if `fetchFrames`, fetches its frame when it may. */
export function addSummary(summary, fetchFrames) {
  const r = record(summary.camera);
  const newest = r.history[r.history.length - 1];
  if (newest && summary.version < newest.version) {
    // Versions started again (the service restarted, or forgot the camera and saw it anew).
    r.history = [];
    r.url = null;
  }
  if (!r.history.length || r.history[r.history.length - 1].version !== summary.version) {
    r.history.push(summary);
    if (r.history.length > HISTORY) r.history.shift();
  }
  r.wanted = summary.frame_url;
  if (fetchFrames) request(summary.camera);
}

/**
 * The camera's frames are drawn `pixels` wide: ask the server for previews of that longer side
 * (`max-side`, rounded up to a step); the frame is fetched again if it was smaller.
 */
export function setDisplayWidth(name, pixels, image) {
  const r = record(name);
  const longer = image && image.width > 0 ? Math.max(image.width, image.height) : Infinity;
  const aspect = image && image.width > 0 ? Math.max(1, image.height / image.width) : 1;
  const wanted = Math.ceil((pixels * aspect) / SIDE_STEP) * SIDE_STEP;
  const side = wanted >= longer ? null : wanted;
  if (side === r.side) return;
  const larger = side == null || (r.side != null && side > r.side);
  r.side = side;
  if (larger) r.url = null;
}

/** Fetches the camera's wanted frame unless one is in flight, undrawn, already shown or failed just now. */
export function request(name) {
  const r = records.get(name);
  if (!r || r.inFlight || r.undrawn || !r.wanted || r.wanted === r.url) return;
  if (performance.now() - r.failedAt < RETRY_MS) return;
  const url = r.wanted;
  r.inFlight = true;
  load(r.side == null ? url : `${url}${url.includes('?') ? '&' : '?'}max-side=${r.side}`).then(({ bitmap, version, offset }) => {
    if (r.bitmap && r.bitmap.close) r.bitmap.close();
    Object.assign(r, { bitmap, version, offset, url, undrawn: true });
    onFrame(name);
  }, () => {
    r.failedAt = performance.now();
  }).finally(() => {
    r.inFlight = false;
  });
}

/** GET a frame and decode it off the main thread; its version and offset from the headers. */
export async function load(url) {
  const response = await fetch(url, { cache: 'no-store' });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  const versionHeader = response.headers.get('X-Vitstream-Version');
  const fromUrl = /[?&]v=(\d+)/.exec(url);
  const version = versionHeader != null ? Number(versionHeader) : fromUrl ? Number(fromUrl[1]) : -1;
  const number = (header) => (response.headers.get(header) == null ? null : Number(response.headers.get(header)));
  const bitmap = await createImageBitmap(await response.blob());
  return { bitmap, version, offset: number('X-Vitstream-Offset'), partition: number('X-Vitstream-Partition') };
}

/** The camera's newest decoded frame with the summary of its version (or the nearest older one, else the newest). */
export function frameOf(name) {
  const r = records.get(name);
  if (!r) return null;
  let summary = null;
  for (const s of r.history) {
    if (s.version <= r.version) summary = s;
  }
  return { bitmap: r.bitmap, version: r.version, offset: r.offset, summary: summary || r.history[r.history.length - 1] };
}

/** The camera's frame was drawn: the next one may be fetched. */
export function drawn(name, fetchFrames) {
  const r = records.get(name);
  if (!r) return;
  r.undrawn = false;
  if (fetchFrames) request(name);
}

export function forget(name) {
  const r = records.get(name);
  if (r && r.bitmap && r.bitmap.close) r.bitmap.close();
  records.delete(name);
}
