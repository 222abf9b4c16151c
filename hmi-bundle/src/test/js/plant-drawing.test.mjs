import { test } from 'node:test';
import assert from 'node:assert/strict';
import { I18n } from '../../main/resources/web/js/i18n.js';
import { PlantModel } from '../../main/resources/web/js/model.js';
import { buildOverviewView, drawOverview, layoutZones } from '../../main/resources/web/js/plant-drawing.js';
import { HitList } from '../../main/resources/web/js/draw-kit.js';
import { demoPlant, fermenter, hlt, recordingContext } from './fixtures.mjs';

const LIVE = { status: 'live', everLive: true, lastLiveAt: 0, restoredAt: 0 };

function view(zones, feed = LIVE, { now = 100_000, lang = 'es', events = [] } = {}) {
  const i18n = new I18n(null);
  i18n.setLanguage(lang);
  const model = new PlantModel();
  model.apply({ type: 'snapshot', zones });
  for (const event of events) model.apply({ type: 'event', event });
  return { view: buildOverviewView(model, feed, i18n, { now, readOnly: false }), i18n };
}

test('the demo plant: brewhouse on top, cellar with the chiller first below', () => {
  const cells = layoutZones(demoPlant().reverse());
  const rows = (row) => cells.filter((c) => c.row === row).map((c) => c.zone.id);
  assert.deepEqual(rows('brewhouse'), ['hlt', 'mash', 'kettle']);
  assert.deepEqual(rows('cellar'), ['glycol', 'fv1', 'fv2']);
  for (const c of cells) {
    assert.ok(c.x >= 0 && c.x + c.w <= 800 && c.y >= 48 && c.y + c.h <= 452, `${c.zone.id} fits the screen`);
  }
});

test('zones the layout does not know find a row by their type', () => {
  const extra = [{ ...fermenter('bbt1'), type: 'brite' }, { ...hlt(), id: 'cip', type: 'cip' }, ...demoPlant()];
  const cells = layoutZones(extra);
  assert.equal(cells.find((c) => c.zone.id === 'bbt1').row, 'cellar');
  assert.equal(cells.find((c) => c.zone.id === 'cip').row, 'brewhouse');
  assert.equal(cells.filter((c) => c.row === 'cellar').length, 4);
});

test('live values are shown in the language of the operator, not greyed', () => {
  const { view: v } = view([fermenter('fv1')]);
  const fv1 = v.zones[0];
  assert.equal(fv1.values.pv.text, '18,3');
  assert.equal(fv1.values.pv.unit, '°C');
  assert.equal(fv1.values.out.text, '13');
  assert.equal(fv1.values.mode.text, 'AUTO');
  assert.equal(fv1.values.pv.greyed, false);
  assert.deepEqual(fv1.equipment.map((e) => [e.tag, e.text]), [['glycol_valve', 'ABIERTA']]);
  assert.equal(v.banner, null);
  assert.equal(v.zonesText, 'Zonas en línea: 1/1');
  const { view: en } = view([fermenter('fv1')], LIVE, { lang: 'en' });
  assert.equal(en.zones[0].values.pv.text, '18.3');
});

test('a lost feed greys every value and says since when', () => {
  const lost = { status: 'lost', everLive: true, lastLiveAt: 50_000, nextRetryAt: 104_000 };
  const { view: v, i18n } = view(demoPlant(), lost);
  assert.equal(v.banner.kind, 'lost');
  assert.equal(v.banner.title, 'SIN CONEXIÓN CON EL SERVIDOR');
  assert.ok(v.banner.detail.includes(i18n.time(50_000)));
  assert.ok(v.banner.detail.includes('reintento en 4 s'));
  for (const zone of v.zones) {
    assert.equal(zone.stateKnown, false);
    for (const field of Object.values(zone.values)) assert.deepEqual([field.greyed, field.marker], [true, 'NOFEED']);
    for (const eq of zone.equipment) assert.equal(eq.greyed, true);
  }
  assert.equal(v.zonesText, 'Zonas en línea: ?/6');
});

test('the return of the feed is announced for a while', () => {
  const restored = { status: 'live', everLive: true, restoredAt: 95_000, lostFor: 12_000 };
  const { view: v } = view(demoPlant(), restored, { now: 100_000 });
  assert.equal(v.banner.kind, 'restored');
  assert.match(v.banner.title, /^Conexión restablecida a las .* \(perdida durante 12 s\)$/);
  assert.equal(view(demoPlant(), restored, { now: 106_000 }).view.banner, null);
});

test('stale, bad and offline values are each marked', () => {
  const zone = fermenter('fv1');
  zone.tags.pv.quality = 'STALE';
  zone.tags.sv.quality = 'BAD';
  const offline = { ...hlt(), state: 'offline' };
  const { view: v } = view([zone, offline]);
  const fv1 = v.zones.find((z) => z.id === 'fv1');
  assert.deepEqual([fv1.values.pv.greyed, fv1.values.pv.marker], [true, 'STALE']);
  assert.deepEqual([fv1.values.sv.greyed, fv1.values.sv.marker], [true, 'BAD']);
  assert.equal(fv1.values.out.greyed, false);
  const h = v.zones.find((z) => z.id === 'hlt');
  assert.equal(h.abnormal, 'offline');
  assert.equal(h.stateText, 'FUERA DE LÍNEA');
  assert.ok(Object.values(h.values).every((f) => f.greyed && f.marker === 'OFFLINE'));
  assert.equal(v.zonesOnline, 1);
});

test('fail-safe and active interlocks are abnormal states of the zone', () => {
  const { view: v } = view([hlt({ state: 'failsafe', reason: 'broker_lost' })], LIVE, {
    events: [{ zone: 'hlt', kind: 'interlock', code: 'overtemp', active: true, message: 'pv 85 > 80' }],
  });
  const h = v.zones[0];
  assert.equal(h.abnormal, 'failsafe');
  assert.equal(h.reason, 'conexión con el broker perdida');
  assert.deepEqual(h.alarms.map((a) => [a.kind, a.code, a.title]), [['interlock', 'overtemp', 'ENCLAVAMIENTO']]);
});

test('whatever the PLC declares is drawn without failing', () => {
  const odd = [
    { id: 'bare', tags: {} },
    { id: 'nulls', type: 'fermenter', state: 'online', tags: { pv: { value: null, quality: 'GOOD', kind: 'analog' }, mode: { value: 'cip', quality: 'GOOD', kind: 'enum' } } },
    { id: 'many', type: 'kettle', state: 'online', tags: Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`b${i}`, { value: i % 2 === 0, quality: 'GOOD', kind: 'bool' }])) },
    { ...fermenter('glycol'), type: 'glycol' },
  ];
  const { view: v, i18n } = view(odd);
  const ctx = recordingContext();
  const hits = new HitList();
  drawOverview(ctx, v, hits, null);
  assert.deepEqual(hits.targets.map((t) => t.id).sort(), ['zone:bare', 'zone:glycol', 'zone:many', 'zone:nulls']);
  const nulls = v.zones.find((z) => z.id === 'nulls');
  assert.equal(nulls.values.pv.text, '—');
  assert.equal(nulls.values.pv.greyed, true);
  assert.equal(nulls.values.mode.text, 'CIP');
  assert.ok(ctx.texts.some((t) => t.str === 'bare'));
});

test('every value drawn on the canvas is the text of the view', () => {
  const { view: v, i18n } = view(demoPlant());
  const ctx = recordingContext();
  drawOverview(ctx, v, new HitList(), null);
  const drawn = new Set(ctx.texts.map((t) => t.str));
  for (const zone of v.zones) {
    assert.ok(drawn.has(zone.label), zone.label);
    assert.ok(drawn.has(zone.values.pv.text), `${zone.id} pv`);
    assert.ok(drawn.has(zone.values.sv.text), `${zone.id} sv`);
  }
  assert.equal(v.zonesText, 'Zonas en línea: 6/6', 'for the system line, drawn by chrome.js');
});
