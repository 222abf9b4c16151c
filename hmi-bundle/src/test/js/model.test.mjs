import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PlantModel, valueStatus } from '../../main/resources/web/js/model.js';
import { fermenter, hlt } from './fixtures.mjs';

test('a snapshot replaces the plant, deltas update it', () => {
  const model = new PlantModel();
  model.apply({ type: 'snapshot', time: 1, zones: [fermenter('fv1'), hlt()] });
  assert.deepEqual([...model.zones.keys()], ['fv1', 'hlt']);

  model.apply({ type: 'tags', time: 2, values: [{ zone: 'fv1', tag: 'pv', value: 19.5, quality: 'GOOD', plcTime: 5, time: 6 }] });
  const pv = model.zones.get('fv1').tags.pv;
  assert.equal(pv.value, 19.5);
  assert.equal(pv.unit, 'degC', 'the tag definition is kept');
  assert.equal(pv.time, 6);

  model.apply({ type: 'snapshot', time: 3, zones: [hlt()] });
  assert.deepEqual([...model.zones.keys()], ['hlt']);
});

test('a zone message replaces that zone', () => {
  const model = new PlantModel();
  model.apply({ type: 'snapshot', zones: [fermenter('fv1')] });
  model.apply({ type: 'zone', zone: { ...fermenter('fv1'), state: 'failsafe', reason: 'heartbeat_timeout' } });
  assert.equal(model.zones.get('fv1').state, 'failsafe');
  assert.equal(model.zones.get('fv1').reason, 'heartbeat_timeout');
});

test('what cannot be used is counted and ignored', () => {
  const model = new PlantModel();
  model.apply({ type: 'snapshot', zones: [fermenter('fv1')] });
  assert.equal(model.apply(null), false);
  assert.equal(model.apply({ type: 'weird' }), false);
  assert.equal(model.apply({ type: 'snapshot', zones: 'nope' }), false);
  model.apply({ type: 'tags', values: [{ zone: 'nowhere', tag: 'pv', value: 1, quality: 'GOOD' }, null] });
  assert.equal(model.ignored, 5);
  assert.equal(model.zones.get('fv1').tags.pv.value, 18.25);
});

test('an unknown quality or state is never taken for good', () => {
  const model = new PlantModel();
  model.apply({ type: 'snapshot', zones: [{ id: 'x', tags: { pv: { value: 1, quality: 'FINE' } }, state: 'dancing' }] });
  const zone = model.zones.get('x');
  assert.equal(zone.tags.pv.quality, 'BAD');
  assert.equal(zone.state, 'offline');
  assert.equal(zone.label, 'x');
  model.apply({ type: 'tags', values: [{ zone: 'x', tag: 'pv', value: 2, quality: 'great' }] });
  assert.equal(zone.tags.pv.quality, 'BAD');
});

test('a tag the zone did not declare is added from its value', () => {
  const model = new PlantModel();
  model.apply({ type: 'snapshot', zones: [fermenter('fv1')] });
  model.apply({ type: 'tags', values: [{ zone: 'fv1', tag: 'agitator', value: true, quality: 'GOOD' }] });
  assert.equal(model.zones.get('fv1').tags.agitator.kind, 'bool');
});

test('events stay active until cleared, and a new snapshot forgets them', () => {
  const model = new PlantModel();
  model.apply({ type: 'snapshot', zones: [hlt()] });
  const trip = { zone: 'hlt', kind: 'interlock', code: 'overtemp', active: true, message: 'pv 85 > 80' };
  model.apply({ type: 'event', event: trip });
  assert.equal(model.eventsOf('hlt').length, 1);
  model.apply({ type: 'event', event: { ...trip, active: false } });
  assert.equal(model.eventsOf('hlt').length, 0);
  model.apply({ type: 'event', event: trip });
  model.apply({ type: 'snapshot', zones: [hlt()] });
  assert.equal(model.eventsOf('hlt').length, 0);
});

test('only a GOOD value of an online zone on a live feed is live', () => {
  const zone = fermenter('fv1');
  assert.deepEqual(valueStatus(zone, zone.tags.pv, true), { greyed: false, marker: null });
  assert.deepEqual(valueStatus(zone, zone.tags.pv, false), { greyed: true, marker: 'NOFEED' });
  for (const q of ['STALE', 'BAD', 'OFFLINE']) {
    assert.deepEqual(valueStatus(zone, { ...zone.tags.pv, quality: q }, true), { greyed: true, marker: q });
  }
  assert.deepEqual(valueStatus({ ...zone, state: 'offline' }, zone.tags.pv, true), { greyed: true, marker: 'OFFLINE' });
  assert.deepEqual(valueStatus(zone, { ...zone.tags.pv, value: null }, true), { greyed: true, marker: 'BAD' });
  assert.equal(valueStatus({ ...zone, state: 'failsafe' }, zone.tags.pv, true).greyed, false,
    'a zone in fail-safe still reports real readings');
});
