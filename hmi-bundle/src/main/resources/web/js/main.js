// Wires the HMI together: live feed -> model -> view -> canvas; touches -> actions -> REST.
// Everything is redrawn from the model on change (800x480 is cheap), so nothing drawn can
// drift from the data.

import { I18n } from './i18n.js';
import { PlantModel } from './model.js';
import { LiveFeed, liveUrl } from './feed.js';
import { PlantApi, takeToken } from './api.js';
import { COLOURS, HitList, SCREEN } from './draw-kit.js';
import { buildOverviewView, drawOverview } from './plant-drawing.js';
import { KeypadEntry, buildFaceplateView, drawConfirm, drawFaceplate } from './keypad.js';

const canvas = document.getElementById('hmi');
const ctx = canvas.getContext('2d');
const i18n = new I18n(window.localStorage);
const api = new PlantApi({ token: takeToken(window.location, window.history, window.localStorage) });
const model = new PlantModel();
const hits = new HitList();

const ui = {
  faceplate: null,            // zone id of the open faceplate
  entry: new KeypadEntry(i18n),
  confirm: null,              // {kind: 'mode'|'reset', value}
  write: null,                // the last command and its outcome
  busy: false,                // a command is waiting for its answer
  pressed: null,              // target id under a finger that is down
};
const screen = { scale: 1, offsetX: 0, offsetY: 0 };
let lastView = null;
let lastFaceplate = null;
let frameRequested = false;

const feed = new LiveFeed({
  url: liveUrl(window.location),
  onMessage: (message) => {
    model.apply(message);
    invalidate();
  },
  onStatus: () => invalidate(),
});

// --- drawing ---

function invalidate() {
  if (frameRequested) return;
  frameRequested = true;
  window.requestAnimationFrame(render);
}

/** Scales the 800x480 design to the window, centred, sharp on high-density screens. */
function fitCanvas() {
  const dpr = window.devicePixelRatio || 1;
  const cssW = window.innerWidth;
  const cssH = window.innerHeight;
  if (canvas.width !== Math.round(cssW * dpr) || canvas.height !== Math.round(cssH * dpr)) {
    canvas.width = Math.round(cssW * dpr);
    canvas.height = Math.round(cssH * dpr);
  }
  screen.scale = Math.min(cssW / SCREEN.w, cssH / SCREEN.h);
  screen.offsetX = (cssW - SCREEN.w * screen.scale) / 2;
  screen.offsetY = (cssH - SCREEN.h * screen.scale) / 2;
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.fillStyle = COLOURS.background;
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.setTransform(dpr * screen.scale, 0, 0, dpr * screen.scale, dpr * screen.offsetX, dpr * screen.offsetY);
}

function render() {
  frameRequested = false;
  const now = Date.now();
  fitCanvas();
  hits.clear();
  const view = buildOverviewView(model, feed, i18n, { now, readOnly: !api.canWrite });
  drawOverview(ctx, view, hits, i18n, ui.pressed);

  let faceplate = null;
  if (ui.faceplate) {
    const zone = model.zones.get(ui.faceplate);
    const zoneView = view.zones.find((z) => z.id === ui.faceplate);
    if (zone && zoneView) {
      faceplate = buildFaceplateView(zoneView, zone, {
        entry: ui.entry, write: ui.write, confirm: ui.confirm, busy: ui.busy,
        canWrite: api.canWrite, feedLive: feed.live,
      }, i18n);
      drawFaceplate(ctx, faceplate, hits, ui.pressed);
      if (faceplate.confirm) drawConfirm(ctx, faceplate.confirm, hits, ui.pressed);
    } else {
      closeFaceplate(); // the zone is gone from the plant
    }
  }
  lastView = view;
  lastFaceplate = faceplate;
}

// --- touch ---

function toDesign(event) {
  const rect = canvas.getBoundingClientRect();
  return {
    x: (event.clientX - rect.left - screen.offsetX) / screen.scale,
    y: (event.clientY - rect.top - screen.offsetY) / screen.scale,
  };
}

// An action fires on release over the same target it was pressed on: a finger that slides
// off a button cancels, as on any industrial panel.
canvas.addEventListener('pointerdown', (event) => {
  const p = toDesign(event);
  const target = hits.at(p.x, p.y);
  ui.pressed = target && target.enabled ? target.id : null;
  if (ui.pressed) canvas.setPointerCapture(event.pointerId);
  invalidate();
});

canvas.addEventListener('pointerup', (event) => {
  const p = toDesign(event);
  const target = hits.at(p.x, p.y);
  const pressed = ui.pressed;
  ui.pressed = null;
  if (target && target.enabled && target.id === pressed) activate(target.id);
  invalidate();
});

canvas.addEventListener('pointercancel', () => {
  ui.pressed = null;
  invalidate();
});

// No right-click menu, no long-press menu, no selection on a touch panel.
window.addEventListener('contextmenu', (event) => event.preventDefault());

function activate(id) {
  const [kind, arg] = id.split(/:(.*)/s);
  switch (kind) {
    case 'lang': {
      const separator = i18n.decimalSeparator();
      i18n.toggle();
      ui.entry.relabel(separator);
      document.documentElement.lang = i18n.lang;
      break;
    }
    case 'zone':
      openFaceplate(arg);
      break;
    case 'close':
      closeFaceplate();
      break;
    case 'key':
      if (arg === 'send') sendSetpoint();
      else ui.entry.press(arg);
      break;
    case 'mode':
      ui.confirm = { kind: 'mode', value: arg };
      break;
    case 'reset':
      ui.confirm = { kind: 'reset' };
      break;
    case 'confirm':
      confirmed(arg === 'yes');
      break;
    default:
      break;
  }
}

function openFaceplate(zoneId) {
  if (ui.faceplate !== zoneId) ui.entry.press('clear');
  ui.faceplate = zoneId;
  ui.confirm = null;
}

function closeFaceplate() {
  ui.faceplate = null;
  ui.confirm = null;
  ui.entry.press('clear');
}

function confirmed(yes) {
  const confirm = ui.confirm;
  ui.confirm = null;
  if (!yes || !confirm || !ui.faceplate) return;
  const zone = ui.faceplate;
  if (confirm.kind === 'mode') {
    run({ zone, kind: 'mode', value: confirm.value }, () => api.writeTag(zone, 'mode', confirm.value));
  } else {
    run({ zone, kind: 'reset' }, () => api.resetFailsafe(zone));
  }
}

// --- commands ---

function sendSetpoint() {
  const zone = model.zones.get(ui.faceplate);
  const tag = zone?.tags.sv;
  if (!tag) return;
  const base = { zone: zone.id, kind: 'sv', unit: tag.unit ?? null };
  const check = ui.entry.validate(tag);
  if (!check.ok) {
    // Refused here, before anything is sent.
    ui.write = { ...base, value: check.value ?? null, phase: 'invalid', reason: check.reason };
    return;
  }
  run({ ...base, value: check.value }, () => api.writeTag(zone.id, 'sv', check.value));
}

/** Sends one command; it is shown as done only when the server reports the PLC's ack. */
async function run(write, call) {
  if (!api.canWrite || !feed.live || ui.busy) return;
  ui.busy = true;
  ui.write = { ...write, phase: 'sending' };
  invalidate();
  let result;
  try {
    result = await call();
  } catch (e) {
    result = { done: false, outcome: 'NOT_SENT', reason: 'network', message: String(e) };
  }
  ui.busy = false;
  const unknown = result.reason === 'timeout' || result.reason === 'network';
  ui.write = {
    ...write,
    phase: result.done ? 'done' : unknown ? 'unconfirmed' : 'refused',
    reason: result.reason,
    outcome: result.outcome,
    message: result.message,
  };
  if (result.done && write.kind === 'sv') ui.entry.press('clear');
  invalidate();
}

// --- a physical keyboard, when there is one (desktop browsers) ---

window.addEventListener('keydown', (event) => {
  if (!ui.faceplate) return;
  if (ui.confirm) {
    if (event.key === 'Escape') confirmed(false);
  } else if (/^[0-9]$/.test(event.key)) {
    ui.entry.press(event.key);
  } else if (event.key === ',' || event.key === '.') {
    ui.entry.press('dec');
  } else if (event.key === '-') {
    ui.entry.press('neg');
  } else if (event.key === 'Backspace') {
    ui.entry.press('back');
  } else if (event.key === 'Delete') {
    ui.entry.press('clear');
  } else if (event.key === 'Enter') {
    if (lastFaceplate?.svEnabled) sendSetpoint();
  } else if (event.key === 'Escape') {
    closeFaceplate();
  } else {
    return;
  }
  event.preventDefault();
  invalidate();
});

// --- start ---

// Read-only hook for the browser tests: what is drawn, and where the touch targets are (in CSS
// pixels of the page), since canvas pixels are hard to assert on.
window.__hmi = Object.freeze({
  state: () => JSON.parse(JSON.stringify({ ...lastView, faceplate: lastFaceplate })),
  targets: () => hits.targets.map((t) => ({
    id: t.id,
    enabled: t.enabled,
    x: screen.offsetX + t.x * screen.scale,
    y: screen.offsetY + t.y * screen.scale,
    w: t.w * screen.scale,
    h: t.h * screen.scale,
  })),
});

document.documentElement.lang = i18n.lang;
// A new #token=... on the open page (same-document navigation, no reload) takes effect too.
window.addEventListener('hashchange', () => {
  api.token = takeToken(window.location, window.history, window.localStorage);
  invalidate();
});
window.addEventListener('resize', invalidate);
window.setInterval(invalidate, 1000); // clock, retry countdown, "restored" notice
feed.start();
// A first paint while the socket connects; its values stay greyed until the feed is live.
api.zones().then((zones) => {
  if (Array.isArray(zones)) model.loadZones(zones);
  invalidate();
}).catch(() => invalidate());
invalidate();
