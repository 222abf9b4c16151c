import { test } from 'node:test';
import assert from 'node:assert/strict';
import { I18n, decimalsFor } from '../../main/resources/web/js/i18n.js';
import { memoryStorage } from './fixtures.mjs';

test('Spanish is the default and uses a decimal comma', () => {
  const i18n = new I18n(memoryStorage());
  assert.equal(i18n.lang, 'es');
  assert.equal(i18n.number(18.25, 1), '18,3');
  assert.equal(i18n.number(-2, 1), '-2,0');
  assert.equal(i18n.number(1234.5, 1), '1234,5', 'no thousands grouping: widths stay stable');
  assert.equal(i18n.t('title'), 'Vista general de planta');
});

test('English uses a decimal point and is remembered', () => {
  const storage = memoryStorage();
  const i18n = new I18n(storage);
  i18n.toggle();
  assert.equal(i18n.lang, 'en');
  assert.equal(i18n.number(18.25, 1), '18.3');
  assert.equal(new I18n(storage).lang, 'en');
});

test('an unknown stored language falls back to Spanish', () => {
  assert.equal(new I18n(memoryStorage({ 'brewpi.hmi.lang': 'xx' })).lang, 'es');
});

test('missing numbers are a dash, never a zero', () => {
  const i18n = new I18n(null);
  assert.equal(i18n.number(null), '—');
  assert.equal(i18n.number(undefined), '—');
  assert.equal(i18n.number(NaN), '—');
});

test('keypad text is parsed in the language of the operator', () => {
  const es = new I18n(null);
  assert.deepEqual(es.parseNumber('19,5'), { ok: true, value: 19.5 });
  assert.deepEqual(es.parseNumber('-2'), { ok: true, value: -2 });
  assert.deepEqual(es.parseNumber('0,'), { ok: true, value: 0 });
  assert.equal(es.parseNumber('19.5').ok, false, 'a point is not the Spanish separator');
  assert.equal(es.parseNumber('').reason, 'empty');
  assert.equal(es.parseNumber('-').reason, 'nan');
  assert.equal(es.parseNumber('1,2,3').reason, 'nan');
  const en = new I18n(null);
  en.setLanguage('en');
  assert.deepEqual(en.parseNumber('19.5'), { ok: true, value: 19.5 });
  assert.equal(en.parseNumber('19,5').ok, false);
});

test('placeholders, units, durations and labels', () => {
  const i18n = new I18n(null);
  assert.equal(i18n.t('zones.online', { n: 5, total: 6 }), 'Zonas en línea: 5/6');
  assert.equal(i18n.unit('degC'), '°C');
  assert.equal(i18n.unit('rpm'), 'rpm');
  assert.equal(i18n.duration(12_000), '12 s');
  assert.equal(i18n.duration(185_000), '3 min 5 s');
  assert.equal(i18n.tagLabel('glycol_valve'), 'Válv. glicol');
  assert.equal(i18n.tagLabel('co2_purge'), 'Co2 purge');
  assert.equal(i18n.modeLabel('off'), 'APAGADO');
  assert.equal(i18n.modeLabel('cip'), 'CIP');
  assert.equal(decimalsFor('%'), 0);
  assert.equal(decimalsFor('degC'), 1);
});

test('every Spanish text has an English twin and vice versa', () => {
  const es = new I18n(null);
  const en = new I18n(null);
  en.setLanguage('en');
  // Reach the dictionaries through has(): a key missing in one language is a bug.
  const keys = ['title', 'banner.lostTitle', 'fp.readonly', 'reason.interlock', 'write.done', 'confirm.reset'];
  for (const key of keys) {
    assert.ok(es.has(key) && en.has(key), key);
    assert.notEqual(es.t(key), en.t(key), key);
  }
});
