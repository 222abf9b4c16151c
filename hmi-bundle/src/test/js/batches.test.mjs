import { test } from 'node:test';
import assert from 'node:assert/strict';
import { I18n } from '../../main/resources/web/js/i18n.js';
import { pollStatus } from '../../main/resources/web/js/poller.js';
import { HitList } from '../../main/resources/web/js/draw-kit.js';
import { BATCH_ROWS, buildBatchesView, drawBatches, orderBatches } from '../../main/resources/web/js/batches-screen.js';
import { buildRecordView, ccpLimits, drawRecord } from '../../main/resources/web/js/batch-record.js';
import { batchReason, batchRights, createBatchActions, failingCcps } from '../../main/resources/web/js/batch-actions.js';
import { SignatureDialog, drawSignature } from '../../main/resources/web/js/signature.js';
import { recordingContext } from './fixtures.mjs';

const es = () => new I18n(null);
const T0 = Date.UTC(2026, 10, 28, 9, 0, 0);

function answered(status, body) {
  return { status: pollStatus(status), httpStatus: status, body: status === 200 ? body : null, get ok() { return status === 200; },
    refresh() {}, stop() {} };
}

const OPERATOR = batchRights({ role: 'operator' });
const SUPERVISOR = batchRights({ role: 'supervisor' });
const QUALITY = batchRights({ role: 'quality' });
const NOBODY = batchRights(null);

function summary(lot, state, extra = {}) {
  return { lot, recipe: 'pale-ale', recipeVersion: 1, recipeName: 'Pale Ale de la casa', state,
    zones: ['hlt', 'mash', 'kettle', 'fv1'], startedAt: T0, endedAt: 0, released: state === 'RELEASED', deviation: null, ...extra };
}

const SHA = 'ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12';
const RECIPES = { count: 2, recipes: [
  { id: 'pale-ale', name: 'Pale Ale de la casa', version: 1, style: 'American Pale Ale', sha256: SHA, status: 'DRAFT',
    approval: null, zones: ['hlt', 'mash', 'kettle', 'fv1'], problem: null },
  { id: 'stout', name: 'Stout', version: 3, style: 'Dry Stout', sha256: SHA, status: 'APPROVED', zones: ['kettle'], problem: null,
    approval: { user: 'qa', printedName: 'Quintina Álvarez', role: 'QUALITY', time: T0, meaning: 'recipe approval', reason: 'ok', target: 't' } },
] };

function labels(hits) {
  return hits.targets.map((t) => t.id);
}

test('the rights follow the box\'s table; nobody logged in or a one-time PIN may do nothing', () => {
  assert.deepEqual(OPERATOR, { operate: true, hold: false, approve: false, release: false, loggedIn: true });
  assert.deepEqual(SUPERVISOR, { operate: true, hold: true, approve: false, release: false, loggedIn: true });
  assert.deepEqual(QUALITY, { operate: false, hold: false, approve: true, release: true, loggedIn: true });
  assert.equal(batchRights({ role: 'admin' }).release, false, 'quality decisions stay with QA');
  assert.equal(batchRights({ role: 'operator', mustChangePin: true }).operate, false);
  assert.equal(NOBODY.loggedIn, false);
});

test('the running or held batch comes first in the card, then the recent ones', () => {
  const batches = [summary('L3', 'COMPLETE', { startedAt: T0 + 3000, endedAt: T0 + 4000 }), summary('L2', 'HELD', { startedAt: T0 + 2000 }),
    summary('L1', 'RELEASED', { startedAt: T0 + 1000, deviation: 'sonda' })];
  assert.deepEqual(orderBatches(batches).map((b) => b.lot), ['L2', 'L3', 'L1']);
  const view = buildBatchesView(answered(200, { count: 3, batches }), answered(200, RECIPES), { tab: 'batches', page: 0 }, es(),
    { rights: SUPERVISOR, now: T0 + 2000 + 5 * 60_000 });
  assert.equal(view.active.lot, 'L2');
  assert.equal(view.active.stateText, 'RETENIDO');
  assert.equal(view.active.recipeText, 'Pale Ale de la casa v1');
  assert.match(view.active.started, /^Inicio 28\/11\/2026.* \(hace 5 min\)$/);
  assert.equal(view.active.zones, 'zonas hlt, mash, kettle, fv1');
  assert.deepEqual(view.active.actions.map((a) => a.act), ['bresume', 'babort'], 'a held batch is resumed or aborted');
  assert.deepEqual(view.rows.map((r) => r.lot), ['L3', 'L1']);
  assert.equal(view.rows[0].stateText, 'COMPLETADO');
  assert.match(view.rows[0].when, /^pendiente de liberar \(Calidad\) · inicio /);
  assert.equal(view.rows[1].stateText, 'LIBERADO · con desviación');
  const hits = new HitList();
  drawBatches(recordingContext(), view, hits, null);
  assert.deepEqual(labels(hits).filter((id) => /^b(rec|resume|abort|complete|hold):/.test(id)),
    ['brec:L2', 'bresume:L2', 'babort:L2', 'brec:L3', 'brec:L1']);
  assert.ok(hits.targets.every((t) => t.w >= 48 && t.h >= 48), 'touch targets of at least 48x48');
});

test('only what the role may do is offered: operator completes, supervisor holds, QA and nobody neither', () => {
  const poll = answered(200, { batches: [summary('L1', 'RUNNING')] });
  const acts = (rights) => buildBatchesView(poll, answered(200, RECIPES), { tab: 'batches', page: 0 }, es(), { rights, now: T0 })
    .active.actions.map((a) => a.act);
  assert.deepEqual(acts(OPERATOR), ['bcomplete']);
  assert.deepEqual(acts(SUPERVISOR), ['bcomplete', 'bhold', 'babort']);
  assert.deepEqual(acts(QUALITY), []);
  assert.deepEqual(acts(NOBODY), []);
  const view = buildBatchesView(poll, answered(200, RECIPES), { tab: 'batches', page: 0 }, es(), { rights: NOBODY, now: T0 });
  assert.equal(view.loginText, 'Inicie sesión para actuar.');
});

test('recent batches are paged; no batch at all is said', () => {
  const many = Array.from({ length: 7 }, (_, i) => summary(`L${i}`, 'ABORTED', { startedAt: T0 - i }));
  const view = buildBatchesView(answered(200, { batches: many }), answered(200, RECIPES), { tab: 'batches', page: 9 }, es(), { rights: OPERATOR, now: T0 });
  assert.equal(view.active, null);
  assert.equal(view.pages, Math.ceil(7 / BATCH_ROWS));
  assert.equal(view.page, view.pages - 1, 'a page past the end shows the last');
  assert.equal(view.noActiveText, 'Ningún lote en marcha.');
  const none = buildBatchesView(answered(200, { batches: [] }), answered(200, RECIPES), { tab: 'batches', page: 0 }, es(), { rights: OPERATOR, now: T0 });
  assert.equal(none.emptyText, 'Todavía no hay lotes.');
  drawBatches(recordingContext(), none, new HitList(), null);
});

test('the batch service missing or down is said in words, nothing breaks', () => {
  for (const status of [404, 503, 0]) {
    const view = buildBatchesView(answered(status, null), answered(status, null), { tab: 'batches', page: 0 }, es(), { rights: OPERATOR, now: T0 });
    assert.equal(view.available, false);
    assert.equal(view.unavailableText, {
      404: 'El servicio de lotes no está en marcha (HTTP 404)', 503: 'El servicio de lotes no está en marcha (HTTP 503)',
      0: 'El servidor no responde' }[status]);
    drawBatches(recordingContext(), view, new HitList(), null);
    const recipes = buildBatchesView(answered(status, null), answered(status, null), { tab: 'recipes', page: 0 }, es(), { rights: OPERATOR, now: T0 });
    assert.equal(recipes.available, false);
  }
});

test('the first read on its way is no alarm: plain words, no shape', () => {
  const waiting = { status: 'waiting', ok: false, body: null };
  const view = buildBatchesView(waiting, waiting, { tab: 'batches' }, es(), { rights: OPERATOR, now: T0 });
  assert.equal(view.abnormal, false);
  assert.equal(view.unavailableText, 'Consultando…');
  assert.equal(buildBatchesView(answered(503, null), waiting, { tab: 'batches' }, es(), { rights: OPERATOR, now: T0 }).abnormal, true);
});

test('recipes: QA approves a draft, an operator starts an approved one; version, hash and approver shown', () => {
  const view = (rights) => buildBatchesView(answered(200, { batches: [] }), answered(200, RECIPES), { tab: 'recipes', recipePage: 0 }, es(), { rights, now: T0 });
  const qa = view(QUALITY);
  assert.deepEqual(qa.rows.map((r) => [r.id, r.statusText, r.canApprove, r.canStart]),
    [['pale-ale', 'BORRADOR', true, false], ['stout', 'APROBADA', false, false]]);
  assert.equal(qa.rows[0].title, 'Pale Ale de la casa · v1');
  assert.match(qa.rows[0].detail, /SHA-256 ab12cd34ef56ab12…/);
  assert.match(qa.rows[1].approval, /^Aprobada por Quintina Álvarez \(calidad\) el 28\/11\/2026/);
  let hits = new HitList();
  drawBatches(recordingContext(), qa, hits, null);
  assert.deepEqual(labels(hits).filter((id) => id.includes(':pale') || id.includes(':stout')), ['rapprove:pale-ale']);
  const op = view(OPERATOR);
  hits = new HitList();
  drawBatches(recordingContext(), op, hits, null);
  assert.deepEqual(labels(hits).filter((id) => id.includes(':pale') || id.includes(':stout')), ['bstart:stout']);
  assert.ok(hits.targets.every((t) => t.w >= 48 && t.h >= 48));
});

test('a recipe file the box refused is marked and cannot be approved', () => {
  const bad = { recipes: [{ ...RECIPES.recipes[0], problem: 'line 3: "minutes" must be a number' }] };
  const view = buildBatchesView(answered(200, { batches: [] }), answered(200, bad), { tab: 'recipes' }, es(), { rights: QUALITY, now: T0 });
  assert.equal(view.rows[0].canApprove, false);
  assert.equal(view.rows[0].problem, 'Fichero rechazado: line 3: "minutes" must be a number');
});

const RECORD = {
  lot: '2026-11-28-01',
  recipe: { id: 'pale-ale', name: 'Pale Ale de la casa', version: 1, sha256: SHA,
    criticalParameters: [
      { id: 'boil', zone: 'kettle', tag: 'pv', min: 98, max: null, minutes: 60, mode: 'hold', hazard: 'pathogens' },
      { id: 'fermentation', zone: 'fv1', tag: 'pv', min: 10, max: 22, minutes: 0, mode: 'throughout', hazard: 'spoilage' }],
    approval: { user: 'qa', printedName: 'Quintina Álvarez', role: 'QUALITY', time: T0, meaning: 'recipe approval', reason: 'revisada', target: `recipe:pale-ale@1#${SHA}` } },
  state: 'COMPLETE', zones: ['kettle', 'fv1'], startedAt: T0, endedAt: T0 + 60_000,
  history: [
    { seq: 1, time: T0, event: 'start', from: null, to: 'RUNNING', actor: 'op', printedName: 'Óscar Pérez', reason: null, signature: null },
    { seq: 2, time: T0 + 60_000, event: 'complete', from: 'RUNNING', to: 'COMPLETE', actor: 'op', printedName: 'Óscar Pérez', reason: 'fin', signature: null }],
  ccp: [
    { id: 'boil', zone: 'kettle', tag: 'pv', status: 'NOT_MET', longestMs: 1000, lowest: 60, highest: 70, samples: 5, detail: 'never 60 min at or above 98' },
    { id: 'fermentation', zone: 'fv1', tag: 'pv', status: 'MET', longestMs: 60000, lowest: 18, highest: 19, samples: 5, detail: 'all within' }],
  ccpEvaluatedAt: T0 + 60_000, deviation: null, release: null,
};

test('the record: CCPs with their limits, MET grey and NOT MET marked; QA may release', () => {
  const i18n = es();
  assert.equal(ccpLimits(RECORD.recipe.criticalParameters[0], i18n), '≥ 98,0 · 60 min seguidos');
  assert.equal(ccpLimits(RECORD.recipe.criticalParameters[1], i18n), '10,0 … 22,0 · todo el lote');
  const view = buildRecordView(answered(200, RECORD), { lot: RECORD.lot, tab: 'ccp', page: 0 }, i18n, { rights: QUALITY });
  assert.equal(view.title, 'Lote 2026-11-28-01');
  assert.equal(view.subtitle, 'Pale Ale de la casa v1 · pendiente de liberar (Calidad)');
  assert.deepEqual(view.ccp.map((c) => [c.id, c.statusText, c.abnormal]), [['boil', 'NO CUMPLIDO', true], ['fermentation', 'CUMPLIDO', false]]);
  assert.match(view.info[0], /^Receta pale-ale versión 1 · SHA-256 ab12cd34ef56ab12…$/);
  assert.match(view.info[2], /^CCP evaluados y registrados el /);
  assert.deepEqual(view.actions.map((a) => a.act), ['brelease']);
  assert.deepEqual(buildRecordView(answered(200, RECORD), { lot: RECORD.lot }, i18n, { rights: OPERATOR }).actions, []);
  const ctx = recordingContext();
  const hits = new HitList();
  drawRecord(ctx, view, hits, null);
  assert.ok(hits.byId('brelease:2026-11-28-01'));
  const notMet = ctx.texts.find((t) => t.str === 'NO CUMPLIDO');
  const met = ctx.texts.find((t) => t.str === 'CUMPLIDO');
  assert.ok(notMet && met);
  assert.ok(hits.targets.every((t) => t.w >= 48 && t.h >= 48));
});

test('the record: history with who, when and why; signatures with printed name, time and meaning', () => {
  const released = { ...RECORD, state: 'RELEASED', deviation: 'boil checked by hand',
    release: { user: 'qa', printedName: 'Quintina Álvarez', role: 'QUALITY', time: T0 + 120_000, meaning: 'batch release',
      reason: 'ok | deviation accepted: boil checked by hand', target: `batch:${RECORD.lot}` } };
  released.history = [...RECORD.history, { seq: 3, time: T0 + 120_000, event: 'release', from: 'COMPLETE', to: 'RELEASED', actor: 'qa',
    printedName: 'Quintina Álvarez', reason: released.release.reason, signature: released.release }];
  const i18n = es();
  const history = buildRecordView(answered(200, released), { lot: RECORD.lot, tab: 'history' }, i18n, { rights: QUALITY });
  assert.equal(history.items.length, 3);
  assert.match(history.items[0].line, /^28\/11\/2026.* · inicio \(→ RUNNING\) · Óscar Pérez \(op\)$/);
  assert.equal(history.items[0].reason, 'Sin motivo indicado');
  assert.equal(history.items[1].reason, 'Motivo: fin');
  assert.equal(history.items[2].signed, true);
  assert.deepEqual(history.actions, [], 'a released batch is final');
  const sigs = buildRecordView(answered(200, released), { lot: RECORD.lot, tab: 'signatures' }, i18n, { rights: QUALITY });
  assert.deepEqual(sigs.items.map((s) => [s.title, s.meaning, s.name]), [
    ['Aprobación de la receta pale-ale versión 1', 'recipe approval', 'Quintina Álvarez'],
    ['Liberación del lote 2026-11-28-01', 'batch release', 'Quintina Álvarez']]);
  assert.match(sigs.items[1].text, /^Quintina Álvarez \(qa, calidad\) · 28\/11\/2026.* · significado «batch release»$/);
  assert.equal(sigs.deviation, 'Desviación aceptada: boil checked by hand');
  for (const v of [history, sigs, buildRecordView(answered(200, released), { lot: RECORD.lot, tab: 'ccp' }, i18n, { rights: QUALITY })]) {
    drawRecord(recordingContext(), v, new HitList(), null);
  }
});

test('a record not found or not yet read says so', () => {
  const i18n = es();
  assert.equal(buildRecordView(answered(404, null), { lot: 'X' }, i18n, { rights: QUALITY }).unavailableText, 'El lote X no existe (HTTP 404)');
  assert.equal(buildRecordView({ status: 'waiting', ok: false, body: null }, { lot: 'X' }, i18n, { rights: QUALITY }).unavailableText, 'Consultando…');
  assert.equal(buildRecordView(answered(503, null), { lot: 'X' }, i18n, { rights: QUALITY }).unavailableText,
    'El servicio de lotes no está en marcha (HTTP 503)');
  drawRecord(recordingContext(), buildRecordView(answered(503, null), { lot: 'X' }, i18n, { rights: QUALITY }), new HitList(), null);
});

test('refusals of the batch service in words: conflict is not an interlock, 503 names the service', () => {
  assert.equal(batchReason(409, { error: 'conflict', message: 'batch L is HELD' }), 'conflict');
  assert.equal(batchReason(403, { error: 'forbidden' }), 'role');
  assert.equal(batchReason(401, { error: 'bad_credentials' }), 'pin');
  assert.equal(batchReason(404, { error: 'unknown_batch' }), 'bunknown');
  assert.equal(batchReason(503, { error: 'no_batches' }), 'bunavailable');
  assert.equal(batchReason(400, { error: 'bad_request' }), 'bad_request');
  assert.equal(batchReason(0, null), 'network');
  assert.deepEqual(failingCcps(RECORD).map((c) => c.id), ['boil']);
});

/** The acts against a fake box that answers what it is given, recording what was sent. */
function harness(answers) {
  const sent = [];
  const ui = { batchOutcome: null };
  const polls = { batches: answered(200, {}), recipes: answered(200, {}), record: null };
  const api = { act: async (method, path, body) => { sent.push({ method, path, body }); return answers.shift(); } };
  const session = { view: () => ({ printedName: 'Quintina Álvarez', role: 'quality', user: 'qa' }) };
  const signature = new SignatureDialog();
  const acts = createBatchActions({ api, session, polls, ui, signature, invalidate: () => {}, i18n: es() });
  return { sent, ui, signature, acts };
}

async function typeInto(dialog, field, textToType) {
  dialog.activate(`sig:field:${field}`);
  for (const ch of textToType) dialog.activate(`sig:key:${ch === ' ' ? 'space' : ch}`);
}

test('approval: the dialog shows meaning, version and hash, sends pin, reason and the hash seen', async () => {
  const { sent, ui, signature, acts } = harness([{ status: 200, body: {} }]);
  acts.approve(RECIPES.recipes[0]);
  const view = signature.view(es());
  assert.equal(view.meaning, 'recipe approval');
  assert.equal(view.target, `recipe:pale-ale@1#${SHA}`);
  assert.equal(view.targetText, 'Objeto: receta pale-ale «Pale Ale de la casa» versión 1');
  assert.equal(view.detailText, `Contenido firmado (SHA-256): ${SHA}`);
  assert.equal(view.extra, null);
  const hits = new HitList();
  drawSignature(recordingContext(), view, hits, null);
  assert.ok(hits.targets.every((t) => t.w >= 48 && t.h >= 48));
  await typeInto(signature, 'reason', 'revisada');
  await typeInto(signature, 'pin', '24681357');
  await signature.activate('sig:sign');
  assert.deepEqual(sent, [{ method: 'POST', path: '/api/recipes/pale-ale/approve', body: { pin: '24681357', reason: 'revisada', sha256: SHA } }]);
  assert.equal(signature.open, false);
  assert.deepEqual(ui.batchOutcome, { act: 'rapprove', id: 'pale-ale', phase: 'done' });
});

test('release with a CCP not met asks for the deviation too; a refusal stays open and says why', async () => {
  const { sent, ui, signature, acts } = harness([
    { status: 401, body: { error: 'bad_credentials', message: 'wrong PIN' } },
    { status: 200, body: {} }]);
  acts.release(RECORD.lot, RECORD);
  const i18n = es();
  let view = signature.view(i18n);
  assert.equal(view.meaning, 'batch release');
  assert.equal(view.target, 'batch:2026-11-28-01');
  assert.equal(view.extra.label, 'Desviación aceptada (obligatoria: boil NO CUMPLIDO)');
  assert.equal(view.detailText, 'CCP: boil NO CUMPLIDO · fermentation CUMPLIDO');
  await typeInto(signature, 'reason', 'lote correcto');
  await typeInto(signature, 'pin', '24681357');
  await signature.activate('sig:sign');
  assert.equal(sent.length, 0, 'no deviation, nothing sent');
  assert.equal(signature.view(i18n).error.text, 'Escriba la desviación: hay CCP no cumplidos o sin datos.');
  assert.equal(signature.view(i18n).active, 'extra');
  for (const field of ['extra', 'pin', 'reason']) {
    signature.activate(`sig:field:${field}`);
    const hits = new HitList();
    drawSignature(recordingContext(), signature.view(i18n), hits, null);
    const small = hits.targets.filter((t) => t.w < 48 || t.h < 48).map((t) => `${t.id} ${t.w}x${t.h}`);
    assert.deepEqual(small, [], `keys of at least 48x48 with the deviation field (${field} active)`);
    assert.ok(hits.targets.every((t) => t.y + t.h <= 480), 'nothing below the screen');
  }
  await typeInto(signature, 'extra', 'hervido comprobado a mano');
  await signature.activate('sig:sign');
  view = signature.view(i18n);
  assert.equal(view.error.text, 'PIN incorrecto: no se ha firmado.');
  assert.equal(view.error.detail, 'wrong PIN');
  assert.equal(ui.batchOutcome.phase, 'refused');
  await typeInto(signature, 'pin', '24681357');
  await signature.activate('sig:sign');
  assert.equal(signature.open, false);
  assert.deepEqual(sent.map((s) => s.body), [
    { pin: '24681357', reason: 'lote correcto', deviation: 'hervido comprobado a mano' },
    { pin: '24681357', reason: 'lote correcto', deviation: 'hervido comprobado a mano' }]);
  assert.equal(sent[0].path, '/api/batches/2026-11-28-01/release');
});

test('release with every CCP met asks no deviation; the box finding one missing makes the dialog ask', async () => {
  const met = { ...RECORD, ccp: RECORD.ccp.map((c) => ({ ...c, status: 'MET' })) };
  const { sent, signature, acts } = harness([
    { status: 409, body: { error: 'conflict', message: "batch L has CCPs not met: boil NOT_MET; releasing it needs a 'deviation' saying why" } }]);
  acts.release(RECORD.lot, met);
  assert.equal(signature.view(es()).extra, null);
  await typeInto(signature, 'reason', 'ok');
  await typeInto(signature, 'pin', '1234');
  await signature.activate('sig:sign');
  assert.deepEqual(sent[0].body, { pin: '1234', reason: 'ok' });
  const view = signature.view(es());
  assert.equal(signature.open, true);
  assert.ok(view.extra, 'the deviation is now asked for');
  assert.match(view.error.detail, /needs a 'deviation'/);
});

test('hold, resume and abort take a reason (no PIN); start and complete send what the box expects', async () => {
  const { sent, ui, signature, acts } = harness([{ status: 200, body: {} }, { status: 201, body: { lot: '2026-11-28-02' } },
    { status: 409, body: { error: 'conflict', message: 'batch L is HELD: it cannot complete (resume it first)' } }]);
  acts.hold('L', null);
  assert.equal(signature.view(es()).pinRequired, false);
  assert.equal(signature.view(es()).meaning, 'batch hold');
  await typeInto(signature, 'reason', 'falta malta');
  await signature.activate('sig:sign');
  await acts.start('pale-ale');
  assert.deepEqual(ui.batchOutcome, { act: 'bstart', id: 'pale-ale → 2026-11-28-02', phase: 'done' });
  await acts.complete('L');
  assert.deepEqual(sent.map((s) => [s.path, s.body]), [
    ['/api/batches/L/hold', { reason: 'falta malta' }], ['/api/batches', { recipe: 'pale-ale' }], ['/api/batches/L/complete', {}]]);
  const view = buildBatchesView(answered(200, { batches: [] }), answered(200, RECIPES), { tab: 'batches', outcome: ui.batchOutcome }, es(),
    { rights: OPERATOR, now: T0 });
  assert.equal(view.outcome.text, 'Rechazado (no es posible en su estado actual): completar el lote L');
  assert.equal(view.outcome.detail, 'batch L is HELD: it cannot complete (resume it first)');
});

test('English texts for the batches screen', () => {
  const en = new I18n(null);
  en.setLanguage('en');
  const view = buildBatchesView(answered(200, { batches: [summary('L1', 'RUNNING')] }), answered(200, RECIPES), { tab: 'batches' }, en,
    { rights: OPERATOR, now: T0 });
  assert.equal(view.active.stateText, 'RUNNING');
  assert.deepEqual(view.active.actions.map((a) => a.label), ['COMPLETE']);
  assert.equal(en.t('nav.batches'), 'BATCHES');
});

test('a button never moves under a finger when the batch changes state (card and record)', () => {
  const where = (state, draw) => {
    const hits = new HitList();
    draw(state, hits);
    return Object.fromEntries(hits.targets.filter((t) => /^b(abort|hold|resume|complete|rec):/.test(t.id))
      .map((t) => [t.id.split(':')[0], [t.x, t.y]]));
  };
  const card = (state, hits) => drawBatches(recordingContext(), buildBatchesView(answered(200, { batches: [summary('L', state)] }),
    answered(200, RECIPES), { tab: 'batches' }, es(), { rights: SUPERVISOR, now: T0 }), hits, null);
  const running = where('RUNNING', card);
  const held = where('HELD', card);
  assert.deepEqual(held.babort, running.babort);
  assert.deepEqual(held.bresume, running.bhold, 'resume takes the place of hold');
  const record = (state, hits) => drawRecord(recordingContext(), buildRecordView(answered(200, { ...RECORD, state }),
    { lot: RECORD.lot }, es(), { rights: SUPERVISOR }), hits, null);
  assert.deepEqual(where('HELD', record).babort, where('RUNNING', record).babort);
});
