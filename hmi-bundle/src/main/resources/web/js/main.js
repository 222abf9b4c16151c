// Wires the HMI together: live feed -> model -> views -> canvas; polls of alarms, interlocks,
// E-stop and health; touches -> actions -> REST. Everything is redrawn from the data on change
// (800x480 is cheap), so nothing drawn can drift from it.

import { I18n } from './i18n.js';
import { PlantModel } from './model.js';
import { LiveFeed, liveUrl } from './feed.js';
import { BoxApi, dropKioskToken } from './api.js';
import { Session, ENDED } from './session.js';
import { Poller } from './poller.js';
import { Horn } from './horn.js';
import { COLOURS, HitList, SCREEN } from './draw-kit.js';
import { SCREENS, drawBottomBar, drawTopBar } from './chrome.js';
import { buildOverviewView, drawOverview } from './plant-drawing.js';
import { KeypadEntry, buildFaceplateView, drawConfirm, drawFaceplate } from './keypad.js';
import { LoginScreen, drawLogin } from './login-screen.js';
import { SignatureDialog, drawSignature } from './signature.js';
import { buildAlarmBanner, buildAlarmList, drawAlarmList, zoneAlarmEntries } from './alarms.js';
import { buildMetricsView, drawMetrics } from './alarm-metrics.js';
import { buildInterlocksView, buildSafetyChrome, drawInterlocks, zoneInterlockEntries } from './interlocks-screen.js';
import { buildSystemView, drawSystem } from './system-screen.js';
import { createActions } from './actions.js';
import { SettingsScreen, drawSettings } from './settings-screen.js';
import { BATCH_CONFIRMS, BATCH_POLLS, createBatchScreen } from './batch-wiring.js';

const canvas = document.getElementById('hmi');
const ctx = canvas.getContext('2d');
const i18n = new I18n(window.localStorage);
dropKioskToken(window.location, window.history, window.localStorage);
const session = new Session({ storage: window.sessionStorage, onChange: sessionChanged });
const api = new BoxApi({ session });
session.attach(api);
const model = new PlantModel();
const hits = new HitList();
const horn = new Horn();
const read = (path) => api.read(path);
const polls = {
  alarms: new Poller({ read, path: '/api/alarms', everyMs: 1000, onChange: invalidate }),
  metrics: new Poller({ read, path: '/api/alarms/metrics', everyMs: 10000, onChange: invalidate }),
  interlocks: new Poller({ read, path: '/api/interlocks', everyMs: 1000, onChange: invalidate }),
  estop: new Poller({ read, path: '/api/estop', everyMs: 1000, onChange: invalidate }),
  health: new Poller({ read, path: '/api/health', everyMs: 3000, onChange: invalidate }),
  batches: new Poller({ read, path: '/api/batches?limit=30', everyMs: 2000, onChange: invalidate }),
  recipes: new Poller({ read, path: '/api/recipes', everyMs: 5000, onChange: invalidate }),
  record: null, // the open batch record's poller (GET /api/batches/{lot}), only while it is open
};
const signature = new SignatureDialog();
const login = new LoginScreen(session, () => { ui.login = false; });

const ui = {
  screen: 'overview',
  login: false,               // the login screen is open
  faceplate: null,            // zone id of the open faceplate
  entry: new KeypadEntry(i18n),
  confirm: null,              // {kind: 'mode'|'reset'|'logout', value}
  write: null,                // the last command and its outcome
  busy: false,                // a command is waiting for its answer
  pressed: null,              // target id under a finger that is down
  alarmTab: 'list',
  alarmPage: 0,
  alarmOutcome: null,
  ilPage: 0,
  ilOutcome: null,
  batchTab: 'batches',
  batchPage: 0,
  recipePage: 0,
  batchOutcome: null,
  record: null,               // {lot, tab, page} of the open batch record
};
const actions = createActions({ api, session, polls, ui, signature, invalidate });
const settings = new SettingsScreen({ api, signature, session, invalidate });
const batchScreen = createBatchScreen({ api, session, polls, ui, signature, invalidate, i18n, read });
const screen = { scale: 1, offsetX: 0, offsetY: 0 };
let lastState = {};
let frameRequested = false;

const feed = new LiveFeed({
  url: liveUrl(window.location),
  onMessage: (message) => {
    model.apply(message);
    invalidate();
  },
  onStatus: () => invalidate(),
});

function sessionChanged() {
  if (!session.loggedIn) {
    // Nothing signed or confirmed may outlive the session that started it.
    signature.close();
    if (ui.confirm) ui.confirm = null;
    settings.edit = null;
    if (ui.screen === 'settings') ui.screen = 'system';
    ui.batchOutcome = null; // the next person must not read the last one's result as theirs
    if (session.endedBecause === ENDED.EXPIRED) {
      ui.login = true;
      login.reset({ kind: 'info', key: 'login.expired', detail: '' }, session.lastUser);
    }
  }
  invalidate();
}

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

function userView() {
  const who = session.view();
  if (who) {
    return { loggedIn: true, name: who.printedName, user: who.user, role: who.role,
      detail: who.mustChangePin ? i18n.t('user.mustChange') : i18n.t(`role.${who.role}`) };
  }
  return { loggedIn: false, name: i18n.t('user.login'),
    detail: session.endedBecause ? i18n.t(`user.ended.${session.endedBecause}`) : i18n.t('user.readOnly') };
}

function render() {
  frameRequested = false;
  const now = Date.now();
  session.checkIdle();
  fitCanvas();
  hits.clear();
  const canAct = api.canWrite;
  const overview = buildOverviewView(model, feed, i18n, { now, readOnly: !canAct });
  const alarm = buildAlarmBanner(polls.alarms, i18n);
  horn.follow(alarm.hornPriority);
  const system = buildSystemView(polls.health, session.view(), i18n, now);
  const chrome = {
    lang: i18n.lang,
    title: ui.login ? i18n.t('login.title') : i18n.t(`title.${ui.screen}`),
    feedBanner: overview.banner,
    alarm,
    ...buildSafetyChrome(polls.estop, polls.interlocks, i18n, now),
    user: userView(),
    nav: SCREENS.map((id) => ({ id, label: i18n.t(`nav.${id}`),
      selected: !ui.login && (ui.screen === id || (id === 'system' && ui.screen === 'settings')) })),
    feed: overview.feed,
    feedText: overview.feedText,
    zonesText: overview.zonesText,
    sync: system.syncLine,
    time: overview.time,
    horn: { sounding: horn.sounding, blocked: horn.blocked, priority: horn.priority, beeps: horn.beeps },
  };
  if (chrome.horn.sounding && chrome.horn.blocked) chrome.alarm.quietText = i18n.t('horn.blocked');

  const state = { ...overview, screen: ui.login ? 'login' : ui.screen, session: session.view(),
    sessionEnded: session.endedBecause, chrome, faceplate: null };
  if (ui.login) {
    state.login = login.view(i18n);
    drawLogin(ctx, state.login, hits, ui.pressed);
  } else if (ui.screen === 'overview') {
    drawOverview(ctx, overview, hits, ui.pressed);
    state.faceplate = renderFaceplate(overview, canAct);
  } else if (ui.screen === 'alarms') {
    const list = buildAlarmList(polls.alarms, { tab: ui.alarmTab, page: ui.alarmPage, outcome: ui.alarmOutcome }, i18n, canAct);
    ui.alarmPage = list.page;
    if (ui.alarmTab === 'metrics') {
      state.metrics = buildMetricsView(polls.metrics, i18n, list.labels);
      drawMetrics(ctx, state.metrics, hits, ui.pressed);
    } else {
      state.alarms = list;
      drawAlarmList(ctx, list, hits, ui.pressed);
    }
  } else if (ui.screen === 'interlocks') {
    state.interlocks = buildInterlocksView(polls.interlocks, polls.estop, { page: ui.ilPage, outcome: ui.ilOutcome }, i18n, { canAct, now });
    ui.ilPage = state.interlocks.page;
    drawInterlocks(ctx, state.interlocks, hits, ui.pressed);
  } else if (ui.screen === 'settings') {
    state.settings = settings.view(i18n);
    drawSettings(ctx, state.settings, hits, ui.pressed);
  } else if (ui.screen === 'batches') {
    batchScreen.render(ctx, hits, state, now);
  } else {
    state.system = system;
    drawSystem(ctx, system, hits, ui.pressed);
  }
  drawTopBar(ctx, chrome, hits, ui.pressed);
  if (!ui.login) drawBottomBar(ctx, chrome, hits, ui.pressed);
  if (SCREEN_CONFIRMS.has(ui.confirm?.kind)) {
    state.confirm = screenConfirm(ui.confirm, chrome.user.name);
    drawConfirm(ctx, state.confirm, hits, ui.pressed);
  } else if (state.faceplate?.confirm) {
    drawConfirm(ctx, state.faceplate.confirm, hits, ui.pressed);
  }
  if (signature.open) {
    state.signature = signature.view(i18n);
    drawSignature(ctx, state.signature, hits, ui.pressed);
  }
  lastState = state;
}

// Confirmations that belong to the bars and screens rather than to a faceplate.
const SCREEN_CONFIRMS = new Set(['logout', 'ilreset', 'estopReset', ...BATCH_CONFIRMS]);

function screenConfirm(confirm, userName) {
  const base = { kind: confirm.kind, value: confirm.value ?? null, hint: '', no: i18n.t('confirm.no') };
  if (confirm.kind === 'logout') {
    return { ...base, text: i18n.t('confirm.logout', { name: userName }), yes: i18n.t('confirm.logoutYes') };
  }
  if (confirm.kind === 'ilreset') {
    return { ...base, text: i18n.t('confirm.ilreset', { id: confirm.value }), hint: i18n.t('confirm.ilresetHint'), yes: i18n.t('confirm.yes') };
  }
  if (BATCH_CONFIRMS.includes(confirm.kind)) return batchScreen.confirmView(confirm, base);
  if (confirm.kind === 'bcomplete') {
    return { ...base, text: i18n.t('confirm.bcomplete', { lot: confirm.value }), hint: i18n.t('confirm.bcompleteHint'), yes: i18n.t('confirm.yes') };
  }
  return { ...base, text: i18n.t('confirm.estopReset'), hint: i18n.t('confirm.estopResetHint'), yes: i18n.t('confirm.yes') };
}

function renderFaceplate(overview, canAct) {
  if (!ui.faceplate) return null;
  const zone = model.zones.get(ui.faceplate);
  const zoneView = overview.zones.find((z) => z.id === ui.faceplate);
  if (!zone || !zoneView) {
    closeFaceplate(); // the zone is gone from the plant
    return null;
  }
  // The zone's interlocks and alarms from the box's services join the PLC's own events.
  const alarms = [...zoneInterlockEntries(polls.interlocks, zone.id, i18n), ...zoneView.alarms,
    ...zoneAlarmEntries(polls.alarms, zone.id, i18n)];
  const faceplate = buildFaceplateView({ ...zoneView, alarms }, zone, {
    entry: ui.entry, write: ui.write, confirm: SCREEN_CONFIRMS.has(ui.confirm?.kind) ? null : ui.confirm, busy: ui.busy,
    canWrite: canAct, feedLive: feed.live,
  }, i18n);
  drawFaceplate(ctx, faceplate, hits, ui.pressed);
  return faceplate;
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
  horn.unlock(); // browsers allow sound only after a touch
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

function after(promise) {
  Promise.resolve(promise).finally(invalidate);
}

function activate(id) {
  if (id.startsWith('login:')) return after(login.activate(id));
  if (id.startsWith('sig:')) return after(signature.activate(id));
  if (id.startsWith('set:')) return after(settings.activate(id, i18n));
  const [kind, arg] = id.split(/:(.*)/s);
  if (batchScreen.activate(kind, arg)) return undefined;
  switch (kind) {
    case 'lang': {
      const separator = i18n.decimalSeparator();
      i18n.toggle();
      ui.entry.relabel(separator);
      document.documentElement.lang = i18n.lang;
      break;
    }
    case 'user':
      if (session.loggedIn) ui.confirm = { kind: 'logout' };
      else openLogin();
      break;
    case 'alarms': goTo('alarms'); ui.alarmTab = 'list'; break;
    case 'nav': goTo(arg); break;
    case 'settings':
      if (settings.allowed) {
        goTo('system');
        ui.screen = 'settings';
        settings.edit = null;
        after(settings.load());
      }
      break;
    case 'atab':
      ui.alarmTab = arg;
      if (arg === 'metrics') polls.metrics.refresh();
      break;
    case 'apage': ui.alarmPage = Math.max(0, ui.alarmPage + (arg === 'up' ? -1 : 1)); break;
    case 'ipage': ui.ilPage = Math.max(0, ui.ilPage + (arg === 'up' ? -1 : 1)); break;
    case 'ack': after(actions.ackAlarm(arg)); break;
    case 'shelve': actions.shelveAlarm(arg); break;
    case 'unshelve': actions.unshelveAlarm(arg); break;
    case 'ilreset': ui.confirm = { kind: 'ilreset', value: arg }; break;
    case 'bypass': actions.bypassInterlock(arg); break;
    case 'unbypass': actions.unbypassInterlock(arg); break;
    case 'estop': ui.confirm = { kind: 'estopReset' }; break;
    case 'zone': openFaceplate(arg); break;
    case 'close': closeFaceplate(); break;
    case 'key':
      if (arg === 'send') sendSetpoint();
      else ui.entry.press(arg);
      break;
    case 'mode': ui.confirm = { kind: 'mode', value: arg }; break;
    case 'reset': ui.confirm = { kind: 'reset' }; break;
    case 'confirm': confirmed(arg === 'yes'); break;
    default: break;
  }
  return undefined;
}

function goTo(name) {
  if (!SCREENS.includes(name)) return;
  if (name !== 'batches' || ui.screen === 'batches') batchScreen.closeRecord(); // the screen's button leads back to the list
  batchScreen.visible(name === 'batches');
  ui.screen = name;
  ui.login = false;
  closeFaceplate();
}

function openLogin() {
  login.reset();
  ui.login = true;
  ui.confirm = null;
}

function openFaceplate(zoneId) {
  if (ui.faceplate !== zoneId) ui.entry.press('clear');
  ui.faceplate = zoneId;
  ui.confirm = null;
}

function closeFaceplate() {
  ui.faceplate = null;
  if (!SCREEN_CONFIRMS.has(ui.confirm?.kind)) ui.confirm = null;
  ui.entry.press('clear');
}

function confirmed(yes) {
  const confirm = ui.confirm;
  ui.confirm = null;
  if (!yes || !confirm) return;
  if (confirm.kind === 'logout') {
    after(session.logout());
    return;
  }
  if (confirm.kind === 'ilreset') {
    after(actions.resetInterlock(confirm.value));
    return;
  }
  if (confirm.kind === 'estopReset') {
    after(actions.resetEstop());
    return;
  }
  if (BATCH_CONFIRMS.includes(confirm.kind)) {
    after(batchScreen.confirmed(confirm));
    return;
  }
  if (!ui.faceplate) return;
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
  const result = await call();
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

const KEY_NAMES = { Backspace: 'back', Delete: 'clear', ' ': 'space' };

window.addEventListener('keydown', (event) => {
  const key = KEY_NAMES[event.key] ?? (event.key.length === 1 ? event.key.toLowerCase() : null);
  if (signature.open) {
    if (event.key === 'Enter') after(signature.activate('sig:sign'));
    else if (event.key === 'Escape') signature.close();
    else if (key) signature.activate(`sig:key:${key}`);
  } else if (ui.login) {
    if (event.key === 'Enter') after(login.activate(login.active === 'user' ? 'login:next' : 'login:submit'));
    else if (event.key === 'Tab') login.activate(`login:field:${login.active === 'user' ? 'pin' : 'user'}`);
    else if (event.key === 'Escape') after(login.activate('login:cancel'));
    else if (key) login.activate(`login:key:${key}`);
  } else if (ui.screen === 'settings' && settings.edit) {
    if (event.key === 'Enter') settings.activate('set:next', i18n);
    else if (event.key === 'Escape') settings.activate('set:cancel', i18n);
    else if (key) settings.activate(`set:key:${key}`, i18n);
  } else if (ui.confirm) {
    if (event.key === 'Escape') confirmed(false);
  } else if (ui.faceplate) {
    if (/^[0-9]$/.test(event.key)) ui.entry.press(event.key);
    else if (event.key === ',' || event.key === '.') ui.entry.press('dec');
    else if (event.key === '-') ui.entry.press('neg');
    else if (key === 'back' || key === 'clear') ui.entry.press(key);
    else if (event.key === 'Enter') { if (lastState.faceplate?.svEnabled) sendSetpoint(); }
    else if (event.key === 'Escape') closeFaceplate();
    else return;
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
  state: () => JSON.parse(JSON.stringify(lastState)),
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
window.addEventListener('resize', invalidate);
window.setInterval(invalidate, 1000); // clock, retry countdown, idle logout, "restored" notice
feed.start();
// The batch lists are read only while their screen is shown (each list is many records on the box).
Object.entries(polls).forEach(([name, p]) => { if (p && !BATCH_POLLS.includes(name)) p.start(); });
session.verify().finally(invalidate);
// A first paint while the socket connects; its values stay greyed until the feed is live.
api.zones().then((zones) => {
  if (Array.isArray(zones)) model.loadZones(zones);
  invalidate();
}).catch(() => invalidate());
invalidate();
