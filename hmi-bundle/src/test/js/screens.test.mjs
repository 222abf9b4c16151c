import { test } from 'node:test';
import assert from 'node:assert/strict';
import { I18n } from '../../main/resources/web/js/i18n.js';
import { Poller, pollStatus } from '../../main/resources/web/js/poller.js';
import { buildAlarmBanner, buildAlarmList, drawAlarmList, zoneAlarmEntries } from '../../main/resources/web/js/alarms.js';
import { buildMetricsView, drawMetrics } from '../../main/resources/web/js/alarm-metrics.js';
import { buildInterlocksView, buildSafetyChrome, drawInterlocks, zoneInterlockEntries } from '../../main/resources/web/js/interlocks-screen.js';
import { buildSystemView, drawSystem, syncLine, syncState } from '../../main/resources/web/js/system-screen.js';
import { SignatureDialog, drawSignature } from '../../main/resources/web/js/signature.js';
import { drawBottomBar, drawTopBar } from '../../main/resources/web/js/chrome.js';
import { HitList } from '../../main/resources/web/js/draw-kit.js';
import { recordingContext } from './fixtures.mjs';

const es = () => new I18n(null);

/** A poll that has answered {@code status} with {@code body}. */
function answered(status, body) {
  return { status: pollStatus(status), httpStatus: status, body: status === 200 ? body : null, get ok() { return status === 200; } };
}

function alarm(id, priority, state, extra = {}) {
  return { id, zone: id.split('.')[0], priority, state, active: state.endsWith('ACTIVE'),
    acknowledged: !state.startsWith('UNACK'), message: `${id} msg`, lastChange: 1000, shelf: null,
    suppressed: false, outOfService: null, ...extra };
}

test('the banner shows the highest-priority unacknowledged alarm first, with counts per priority', () => {
  const poll = answered(200, { alarms: [
    alarm('fv1.pv.dev', 'high', 'UNACK_ACTIVE', { lastChange: 5000 }),
    alarm('hlt.pv.hihi', 'critical', 'UNACK_RETURNED', { lastChange: 1000 }),
    alarm('kettle.pv.hihi', 'critical', 'ACK_ACTIVE'),
    alarm('fv2.pv.dev', 'high', 'UNACK_ACTIVE', { shelf: { user: 'sara' } }),
    alarm('glycol.comm', 'high', 'NORMAL'),
  ] });
  const banner = buildAlarmBanner(poll, es());
  assert.equal(banner.top.id, 'hlt.pv.hihi');
  assert.equal(banner.top.priorityText, 'CRÍTICA');
  assert.deepEqual(banner.counts, { critical: 1, high: 1, medium: 0, low: 0 }, 'shelved and acknowledged do not count');
  assert.equal(banner.hornPriority, 'high', 'the horn sounds for an active alarm, not a returned one');
});

test('without unacknowledged alarms the horn is quiet and the banner says what is active', () => {
  const banner = buildAlarmBanner(answered(200, { alarms: [alarm('kettle.pv.hihi', 'critical', 'ACK_ACTIVE')] }), es());
  assert.equal(banner.top, null);
  assert.equal(banner.hornPriority, null);
  assert.equal(banner.quietText, 'Activas: 1 (reconocidas)');
});

test('the alarm list: unacknowledged first, acts only when logged in, a missing service said in words', () => {
  const poll = answered(200, { alarms: [
    alarm('a.ack', 'critical', 'ACK_ACTIVE'),
    alarm('b.unack', 'low', 'UNACK_ACTIVE'),
    alarm('c.normal', 'high', 'NORMAL'),
  ] });
  const i18n = es();
  const list = buildAlarmList(poll, { tab: 'list', page: 0, outcome: null }, i18n, false);
  assert.deepEqual(list.rows.map((r) => r.id), ['b.unack', 'a.ack']);
  assert.equal(list.rows[0].canAck, false);
  assert.equal(list.loginText, 'Inicie sesión para actuar.');
  const hits = new HitList();
  drawAlarmList(recordingContext(), list, hits, null);
  assert.equal(hits.byId('ack:b.unack').enabled, false);

  const missing = buildAlarmList(answered(503, null), { tab: 'list', page: 0 }, i18n, true);
  assert.equal(missing.available, false);
  assert.equal(missing.unavailableText, 'El servicio de alarmas no está en marcha (HTTP 503)');
});

test('metrics: the ISA-18.2 rate judged, floods flagged', () => {
  const view = buildMetricsView(answered(200, { windowMs: 3600000, activations: 30, last10Min: 12,
    averagePer10Min: 5, floodThreshold: 10, floodPeriods: 1, flooding: true, chattering: ['x'], stale: [],
    top10: [{ alarm: 'x', activations: 20 }, { alarm: 'y', activations: 10 }], top10Share: 1 }), es(), {});
  assert.equal(view.rating, 'Tasa demasiado alta (> 2 por 10 min)');
  assert.equal(view.flooding, true);
  assert.deepEqual(view.top.map((t) => t.share), [1, 0.5]);
  drawMetrics(recordingContext(), view, new HitList(), null);
});

const INTERLOCKS = {
  interlocks: [
    { id: 'kettle-level', text: 'Resistencia de la olla necesita nivel', state: 'TRIPPED', match: 'all',
      conditions: ['kettle.level == false'], blocks: ['kettle.heater'], forces: [], latched: true, delayMs: 0,
      cause: 'kettle.level false', trippedAt: 1000, firstOut: true, bypass: null },
    { id: 'hlt-level', text: 'HLT necesita nivel', state: 'HEALTHY', match: 'all', conditions: [], blocks: [],
      forces: [], latched: false, delayMs: 0, cause: null, trippedAt: 0, firstOut: false,
      bypass: { user: 'sara', printedName: 'Sara Molina', reason: 'sonda', since: 0, until: 600_000 } },
  ],
  estop: 'CLEAR',
};

test('the interlocks screen: tripped first with first-out and cause, bypasses named', () => {
  const view = buildInterlocksView(answered(200, INTERLOCKS), answered(200, { state: 'CLEAR', pressedAt: null }),
    { page: 0, outcome: null }, es(), { canAct: true, now: 0 });
  assert.deepEqual(view.rows.map((r) => r.id), ['kettle-level', 'hlt-level']);
  assert.equal(view.rows[0].firstOut, true);
  assert.equal(view.rows[0].stateText, 'DISPARADO');
  assert.match(view.rows[0].cause, /^Causa: kettle.level false/);
  assert.match(view.rows[1].bypass, /^ANULADO por Sara Molina hasta las /);
  assert.equal(view.estop.text, 'Paro de emergencia: libre');
  drawInterlocks(recordingContext(), view, new HitList(), null);
});

test('interlocks not running (404/503): the screen says so, the E-stop too, nothing breaks', () => {
  for (const status of [404, 503]) {
    const view = buildInterlocksView(answered(status, null), answered(status, null), { page: 0 }, es(), { canAct: true, now: 0 });
    assert.equal(view.available, false);
    assert.equal(view.rows.length, 0);
    assert.equal(view.unavailableText, `El servicio de enclavamientos no está en marcha (HTTP ${status})`);
    assert.equal(view.estop.text, `Paro de emergencia: estado desconocido, el servicio no está en marcha (HTTP ${status})`);
    drawInterlocks(recordingContext(), view, new HitList(), null);
    const chrome = buildSafetyChrome(answered(status, null), answered(status, null), es(), 0);
    assert.deepEqual(chrome, { estop: null, bypass: null });
  }
});

test('every screen shows the E-stop when not CLEAR and the active bypasses', () => {
  const chrome = buildSafetyChrome(answered(200, { state: 'RESET_NEEDED' }), answered(200, INTERLOCKS), es(), 0);
  assert.equal(chrome.estop.detail, 'REARME NECESARIO');
  assert.deepEqual(chrome.bypass.ids, ['hlt-level']);
  assert.equal(chrome.bypass.detail, '1 · 10 min');
  const hits = new HitList();
  const ctx = recordingContext();
  drawTopBar(ctx, { ...chrome, lang: 'es', title: 't', feedBanner: null, alarm: buildAlarmBanner(answered(200, { alarms: [] }), es()),
    user: { loggedIn: false, name: 'Iniciar sesión', detail: 'Solo lectura' } }, hits, null);
  assert.ok(ctx.texts.some((t) => t.str === 'PARO EMERG.'));
  assert.ok(ctx.texts.some((t) => t.str === 'ANULACIÓN'));
  assert.ok(hits.targets.every((t) => t.h >= 48 && t.w >= 48), 'touch targets of at least 48x48');
});

const HEALTH_DOWN_DB = { status: 'DEGRADED', components: { sync: {
  status: 'DEGRADED', state: 'retrying', 'rows.waiting': 12345,
  streams: { audit: { 'rows.waiting': 45, 'oldest.waiting.age.s': 300 }, samples: { 'rows.waiting': 12300, 'oldest.waiting.age.s': 125 } },
  'last.error': 'unreachable: Connection refused', 'last.good.sync': '1970-01-01T00:00:01Z',
} } };

test('the system line: database unreachable, rows waiting, the oldest, the last good sync', () => {
  const i18n = es();
  const sync = syncState(answered(200, HEALTH_DOWN_DB), 400_000);
  assert.equal(sync.db, 'unreachable');
  assert.equal(sync.waiting, 12345);
  assert.equal(sync.oldestAgeMs, 300_000);
  assert.equal(sync.lastGoodSync, 1000);
  const line = syncLine(sync, i18n);
  assert.equal(line.abnormal, true);
  assert.match(line.text, /^BD central INACCESIBLE · 12\.345 filas en espera · más antigua 5 min · últ\. sincr\. /);
  const hits = new HitList();
  drawBottomBar(recordingContext(), { nav: [], feed: 'live', feedText: 'En vivo', zonesText: 'z', time: 't', sync: line }, hits, null);
});

test('the contract spelling of the backlog (camelCase, epoch ms) reads the same', () => {
  const sync = syncState(answered(200, { components: { sync: { state: 'syncing', streams: {
    audit: { waiting: 3, oldestWaitingTs: 9000 } }, lastGoodSync: 8000, lastError: null } } }), 10_000);
  assert.equal(sync.db, 'reachable');
  assert.equal(sync.waiting, 3);
  assert.equal(sync.oldestAgeMs, 1000);
  assert.equal(sync.lastGoodSync, 8000);
});

test('no PostgreSQL configured, no sync bundle, no health: each said plainly', () => {
  const i18n = es();
  assert.equal(syncLine(syncState(answered(200, { components: { sync: { state: 'local only' } } }), 0), i18n).text,
    'BD central: no configurada (historial solo local)');
  assert.equal(syncLine(syncState(answered(200, { components: {} }), 0), i18n).text,
    'La sincronización con la BD central no está en marcha');
  const none = syncLine(syncState(answered(0, null), 0), i18n);
  assert.equal(none.abnormal, true);
  const view = buildSystemView(answered(200, HEALTH_DOWN_DB), { printedName: 'Ana', role: 'supervisor' }, i18n, 400_000);
  assert.deepEqual(view.streams.map((s) => s.waiting), ['45', '12.300']);
  assert.equal(view.who, 'Sesión: Ana (supervisor)');
  drawSystem(recordingContext(), view);
});

test('the signature refuses an empty reason without sending anything, then signs with one', async () => {
  const sent = [];
  const dialog = new SignatureDialog();
  dialog.start({ meaning: 'alarm shelve', target: 'alarm:x', targetText: 'alarm:x — X', minutes: [0, 30],
    signer: { printedName: 'Sara Molina', role: 'supervisor' },
    submit: async (body) => { sent.push(body); return { ok: true }; } });
  dialog.activate('sig:field:pin');
  for (const d of '97312468') dialog.activate(`sig:key:${d}`);
  await dialog.activate('sig:sign');
  const i18n = es();
  assert.equal(dialog.view(i18n).error.text, 'Escriba el motivo: sin motivo no hay firma.');
  assert.equal(sent.length, 0);
  dialog.activate('sig:field:reason');
  for (const ch of '   ') dialog.activate(`sig:key:${ch === ' ' ? 'space' : ch}`);
  await dialog.activate('sig:sign');
  assert.equal(sent.length, 0, 'blanks are no reason');
  for (const ch of 'sonda') dialog.activate(`sig:key:${ch}`);
  assert.equal(dialog.view(i18n).error, null, 'the refusal goes once the operator corrects it');
  assert.equal(dialog.view(i18n).pinLength, 8, 'the PIN typed is kept');
  dialog.activate('sig:min:30');
  drawSignature(recordingContext(), dialog.view(i18n), new HitList(), null);
  await dialog.activate('sig:sign');
  assert.deepEqual(sent, [{ pin: '97312468', reason: 'sonda', minutes: 30 }]);
  assert.equal(dialog.open, false);
});

test('a refused signature stays open, says why and clears the PIN', async () => {
  const dialog = new SignatureDialog();
  dialog.start({ meaning: 'interlock bypass', target: 'interlock:k', signer: { printedName: 'S', role: 'operator' },
    submit: async () => ({ ok: false, reason: 'pin', message: 'wrong PIN' }) });
  for (const ch of 'motivo') dialog.activate(`sig:key:${ch}`);
  dialog.activate('sig:field:pin');
  for (const d of '123456') dialog.activate(`sig:key:${d}`);
  await dialog.activate('sig:sign');
  const view = dialog.view(es());
  assert.equal(dialog.open, true);
  assert.equal(view.error.text, 'PIN incorrecto: no se ha firmado.');
  assert.equal(view.pinLength, 0);
  assert.equal(view.meaningText, 'Anular enclavamiento («interlock bypass»)');
});

test('a poller keeps how the box answered, and polls again', async () => {
  const timers = { pending: [], setTimeout(fn) { this.pending.push(fn); return this.pending.length; }, clearTimeout() {} };
  const answers = [{ status: 200, body: { a: 1 } }, { status: 404, body: { error: 'not_found' } }, { status: 0, body: null }];
  let changes = 0;
  const poller = new Poller({ read: async () => answers.shift(), path: '/x', everyMs: 1000, timers, onChange: () => { changes++; } });
  await poller.refresh();
  assert.equal(poller.status, 'ok');
  assert.deepEqual(poller.body, { a: 1 });
  await timers.pending.shift()();
  assert.equal(poller.status, 'missing');
  assert.equal(poller.body, null, 'an error body is not data');
  await timers.pending.shift()();
  assert.equal(poller.status, 'unreachable');
  assert.equal(changes, 3);
});

test('a stopped poller reads no more, even when an answer was still on its way', async () => {
  const timers = { pending: [], setTimeout(fn) { this.pending.push(fn); return this.pending.length; }, clearTimeout() {} };
  let answer;
  const poller = new Poller({ read: () => new Promise((resolve) => { answer = resolve; }), path: '/x', everyMs: 1000, timers });
  poller.start();
  poller.stop();
  answer({ status: 200, body: {} });
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(timers.pending.length, 0, 'no next round scheduled');
  poller.refresh();
  answer({ status: 200, body: {} });
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(timers.pending.length, 1, 'a refresh polls again');
});

test('every touch target of every screen is at least 48x48 px', async () => {
  const { LoginScreen, drawLogin } = await import('../../main/resources/web/js/login-screen.js');
  const i18n = es();
  const small = [];
  const check = (name, hits) => hits.targets.forEach((t) => { if (t.w < 48 || t.h < 48) small.push(`${name} ${t.id} ${t.w}x${t.h}`); });
  for (const keyboard of ['user', 'pin']) {
    const login = new LoginScreen({}, () => {});
    login.activate(`login:field:${keyboard}`);
    const hits = new HitList();
    drawLogin(recordingContext(), login.view(i18n), hits, null);
    check(`login/${keyboard}`, hits);
  }
  for (const field of ['reason', 'pin']) {
    const dialog = new SignatureDialog();
    dialog.start({ meaning: 'interlock bypass', target: 't', minutes: [15, 30, 60, 120], signer: { printedName: 'S', role: 'supervisor' }, submit: async () => ({ ok: true }) });
    dialog.activate(`sig:field:${field}`);
    const hits = new HitList();
    drawSignature(recordingContext(), dialog.view(i18n), hits, null);
    check(`signature/${field}`, hits);
  }
  const alarms = answered(200, { alarms: [alarm('a.b', 'high', 'UNACK_ACTIVE')] });
  let hits = new HitList();
  drawAlarmList(recordingContext(), buildAlarmList(alarms, { tab: 'list', page: 0 }, i18n, true), hits, null);
  check('alarms', hits);
  hits = new HitList();
  drawInterlocks(recordingContext(), buildInterlocksView(answered(200, INTERLOCKS), answered(200, { state: 'RESET_NEEDED' }),
    { page: 0 }, i18n, { canAct: true, now: 0 }), hits, null);
  check('interlocks', hits);
  hits = new HitList();
  drawBottomBar(recordingContext(), { nav: ['overview', 'alarms', 'batches', 'interlocks', 'system'].map((id) => ({ id, label: id })),
    feed: 'live', feedText: '', zonesText: '', time: '', sync: { text: '', abnormal: false } }, hits, null);
  check('bottom bar', hits);
  assert.deepEqual(small, []);
});

test('a faceplate lists its zone\'s alarms and the interlocks blocking its outputs', () => {
  const i18n = es();
  const alarms = answered(200, { alarms: [alarm('kettle.pv.hihi', 'critical', 'UNACK_ACTIVE'),
    alarm('kettle.comm', 'high', 'NORMAL'), alarm('fv1.pv.dev', 'high', 'UNACK_ACTIVE')] });
  assert.deepEqual(zoneAlarmEntries(alarms, 'kettle', i18n).map((a) => [a.code, a.title]), [['kettle.pv.hihi', 'CRÍTICA !']]);
  assert.deepEqual(zoneInterlockEntries(answered(200, INTERLOCKS), 'kettle', i18n).map((a) => [a.code, a.title]),
    [['kettle-level', 'DISPARADO']]);
  assert.deepEqual(zoneInterlockEntries(answered(404, null), 'kettle', i18n), []);
});
