import { test } from 'node:test';
import assert from 'node:assert/strict';
import { I18n } from '../../main/resources/web/js/i18n.js';
import { PlantModel } from '../../main/resources/web/js/model.js';
import { buildOverviewView } from '../../main/resources/web/js/plant-drawing.js';
import { KeypadEntry, buildFaceplateView, drawConfirm, drawFaceplate, writeView } from '../../main/resources/web/js/keypad.js';
import { HitList } from '../../main/resources/web/js/draw-kit.js';
import { fermenter, hlt, recordingContext } from './fixtures.mjs';

const SV = { min: -2, max: 30 };

function typed(i18n, keys) {
  const entry = new KeypadEntry(i18n);
  for (const k of keys) entry.press(k);
  return entry;
}

test('the keypad builds a number in the operator notation', () => {
  const es = new I18n(null);
  assert.equal(typed(es, ['1', '9', 'dec', '5']).text, '19,5');
  assert.equal(typed(es, ['dec', '5']).text, '0,5');
  assert.equal(typed(es, ['1', 'dec', 'dec', '2']).text, '1,2', 'one separator only');
  assert.equal(typed(es, ['2', 'neg']).text, '-2');
  assert.equal(typed(es, ['2', 'neg', 'neg']).text, '2');
  assert.equal(typed(es, ['1', '2', 'back']).text, '1');
  assert.equal(typed(es, ['1', '2', 'clear']).text, '');
  assert.equal(typed(es, Array(20).fill('9')).text.length, 8, 'bounded length');
});

test('values outside the limits are refused before sending', () => {
  const es = new I18n(null);
  assert.deepEqual(typed(es, ['1', '9', 'dec', '5']).validate(SV), { ok: true, value: 19.5 });
  assert.deepEqual(typed(es, ['3', '0']).validate(SV), { ok: true, value: 30 }, 'limits are inclusive');
  assert.equal(typed(es, ['3', '0', 'dec', '1']).validate(SV).reason, 'range');
  assert.equal(typed(es, ['3', 'neg']).validate(SV).reason, 'range');
  assert.equal(typed(es, []).validate(SV).reason, 'empty');
  assert.equal(typed(es, ['neg']).validate(SV).reason, 'nan');
  assert.deepEqual(typed(es, ['9', '9', '9']).validate({}), { ok: true, value: 999 }, 'no limits declared');
});

test('switching language keeps what was typed', () => {
  const i18n = new I18n(null);
  const entry = typed(i18n, ['1', 'dec', '5']);
  const before = i18n.decimalSeparator();
  i18n.toggle();
  entry.relabel(before);
  assert.equal(entry.text, '1.5');
  assert.deepEqual(entry.validate(SV), { ok: true, value: 1.5 });
});

function faceplateFor(zone, ui = {}) {
  const i18n = new I18n(null);
  const model = new PlantModel();
  model.apply({ type: 'snapshot', zones: [zone] });
  const feed = { status: ui.feedLive === false ? 'lost' : 'live', everLive: true };
  const view = buildOverviewView(model, feed, i18n, { now: 5000, readOnly: ui.canWrite === false });
  return buildFaceplateView(view.zones[0], model.zones.get(zone.id), {
    entry: new KeypadEntry(i18n), write: null, confirm: null, busy: false, canWrite: true, feedLive: true, ...ui,
  }, i18n);
}

test('the faceplate shows the limits and the modes the PLC declared', () => {
  const fp = faceplateFor(fermenter('fv1'));
  assert.equal(fp.limits.text, 'Límites: -2,0 … 30,0 °C');
  assert.deepEqual(fp.modes.map((m) => [m.value, m.selected]), [['off', false], ['auto', true], ['manual', false]]);
  assert.equal(fp.svEnabled, true);
  assert.equal(fp.showReset, false);
});

test('without a token, on a lost feed, or while a command waits, nothing can be written', () => {
  const readOnly = faceplateFor(fermenter('fv1'), { canWrite: false });
  assert.equal(readOnly.svEnabled, false);
  assert.equal(readOnly.modeEnabled, false);
  assert.equal(readOnly.disabled, 'readonly');
  assert.match(readOnly.disabledText, /inicie sesión/);
  const lost = faceplateFor(fermenter('fv1'), { feedLive: false });
  assert.equal(lost.svEnabled, false);
  assert.equal(lost.disabled, 'feedLost');
  assert.equal(lost.modes.some((m) => m.selected), false, 'the mode is not shown as current when unknown');
  assert.equal(faceplateFor(fermenter('fv1'), { busy: true }).svEnabled, false);
});

test('a zone in fail-safe offers the reset; a zone without a writable SV says so', () => {
  const fp = faceplateFor(hlt({ state: 'failsafe', reason: 'heartbeat_timeout' }));
  assert.equal(fp.showReset, true);
  assert.equal(fp.reasonText, 'Motivo: sin latido del SCADA');
  const zone = fermenter('fv1');
  zone.tags.sv.rw = false;
  const noSv = faceplateFor(zone);
  assert.equal(noSv.svEnabled, false);
  assert.equal(noSv.disabled, 'noSv');
});

test('the outcome line never calls a command done before the ack', () => {
  const i18n = new I18n(null);
  const base = { zone: 'fv1', kind: 'sv', value: 19.5, unit: 'degC' };
  assert.equal(writeView({ ...base, phase: 'sending' }, i18n).text, 'Enviado SV = 19,5 °C: esperando confirmación del PLC…');
  assert.equal(writeView({ ...base, phase: 'done' }, i18n).text, 'Confirmado por el PLC: SV = 19,5 °C');
  assert.equal(writeView({ ...base, phase: 'refused', reason: 'interlock' }, i18n).text,
    'Rechazado (enclavamiento activo): SV = 19,5 °C');
  assert.equal(writeView({ ...base, phase: 'invalid', reason: 'range' }, i18n).text, 'No enviado: fuera de rango');
  assert.equal(writeView({ zone: 'hlt', kind: 'reset', phase: 'unconfirmed', reason: 'timeout' }, i18n).text,
    'Sin confirmación (el PLC no respondió a tiempo; puede haberse aplicado o no): rearme de fail-safe');
});

test('drawing the faceplate registers big targets; a confirmation covers everything else', () => {
  const fp = faceplateFor(hlt({ state: 'failsafe', reason: 'x' }));
  const hits = new HitList();
  hits.add('zone:hlt', 0, 0, 800, 480);
  hits.add('lang', 700, 0, 92, 48);
  drawFaceplate(recordingContext(), fp, hits, null);
  const ids = hits.targets.map((t) => t.id);
  assert.ok(!ids.includes('zone:hlt'), 'the overview under the panel cannot be touched');
  for (const id of ['lang', 'close', 'reset', 'key:0', 'key:9', 'key:dec', 'key:neg', 'key:send', 'mode:off', 'mode:manual']) {
    assert.ok(ids.includes(id), id);
  }
  for (const t of hits.targets) {
    assert.ok(t.w >= 48 && t.h >= 48, `${t.id} is ${t.w}x${t.h}`);
  }
  assert.equal(hits.byId('mode:auto').enabled, false, 'the current mode is not a target');

  drawConfirm(recordingContext(), { text: '¿Seguro?', hint: '', yes: 'Sí', no: 'No' }, hits, null);
  assert.deepEqual(hits.targets.map((t) => t.id), ['confirm:no', 'confirm:yes']);
});
