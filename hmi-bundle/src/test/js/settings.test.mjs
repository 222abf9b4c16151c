import { test } from 'node:test';
import assert from 'node:assert/strict';
import { I18n } from '../../main/resources/web/js/i18n.js';
import { SettingsScreen, drawSettings, kindOf } from '../../main/resources/web/js/settings-screen.js';
import { SignatureDialog } from '../../main/resources/web/js/signature.js';
import { buildSystemView, drawSystem } from '../../main/resources/web/js/system-screen.js';
import { HitList } from '../../main/resources/web/js/draw-kit.js';
import { recordingContext } from './fixtures.mjs';

const CONFIGS = {
  count: 3,
  configurations: [
    { pid: 'brewpi.alarm~fv1-temp', factoryPid: 'brewpi.alarm', file: 'brewpi.alarm-fv1-temp.cfg', editable: true,
      properties: { kind: 'HI', limit: '21.5', message: 'fv1 warm', suppressed: 'false', zone: 'fv1' } },
    { pid: 'brewpi.sync', file: 'brewpi.sync.cfg', editable: true,
      properties: { 'pg.password': '****', 'pg.url': 'jdbc:postgresql://db/brew' } },
    { pid: 'brewpi.users', file: 'brewpi.users.cfg', editable: false, notEditable: 'security',
      properties: { 'lockout.attempts': '5' } },
  ],
};

/** The box's API as the screen uses it: answers GET /api/config and records every PUT. */
function fakeApi(putAnswer = { status: 200, body: {} }) {
  const calls = [];
  return {
    calls,
    async act(method, path, body) {
      calls.push({ method, path, body });
      return method === 'GET' ? { status: 200, body: CONFIGS } : putAnswer;
    },
  };
}

function screen(role = 'engineer', api = fakeApi()) {
  const signature = new SignatureDialog();
  const session = { view: () => ({ user: 'eva', printedName: 'Eva Ingeniera', role }) };
  return { s: new SettingsScreen({ api, signature, session, invalidate: () => {} }), signature, api };
}

test('a value is typed as the box holds it: true/false, numbers, text', () => {
  assert.equal(kindOf('false'), 'bool');
  assert.equal(kindOf('21.5'), 'number');
  assert.equal(kindOf('-2'), 'number');
  assert.equal(kindOf('fv1 warm'), 'text');
  assert.equal(kindOf('1.2.3'), 'text');
});

test('only changeable configurations are listed; secrets are shown masked and cannot be touched', async () => {
  const { s } = screen();
  await s.load();
  const v = s.view(new I18n(null));
  assert.deepEqual(v.configs.map((c) => c.pid), ['brewpi.alarm~fv1-temp', 'brewpi.sync']);
  assert.equal(v.selected, 'brewpi.alarm~fv1-temp');
  s.activate('set:cfg:brewpi.sync');
  const sync = s.view(new I18n(null));
  assert.deepEqual(sync.props.map((p) => [p.key, p.value, p.secret]),
    [['pg.password', '****', true], ['pg.url', 'jdbc:postgresql://db/brew', false]]);
  const hits = new HitList();
  drawSettings(recordingContext(), sync, hits, null);
  assert.equal(hits.byId('set:prop:pg.password').enabled, false);
  assert.equal(hits.byId('set:prop:pg.url').enabled, true);
  s.activate('set:prop:pg.password');
  assert.equal(s.edit, null, 'a secret opens no editor');
  for (const t of hits.targets) assert.ok(t.w >= 48 && t.h >= 48, `${t.id} is big enough to touch`);
});

test('a number is typed in the operator\'s language, then signed and sent as a number with PIN and reason', async () => {
  const { s, signature, api } = screen();
  const es = new I18n(null);
  await s.load();
  s.activate('set:prop:limit', es);
  assert.equal(s.view(es).edit.kind, 'number');
  s.activate('set:next', es);
  assert.equal(s.view(es).edit.error, 'escriba un valor', 'nothing typed: refused here');
  for (const k of ['2', '2', ',', '5']) s.activate(`set:key:${k}`, es);
  s.activate('set:next', es);
  assert.ok(signature.open);
  const sig = signature.view(es);
  assert.equal(sig.meaning, 'configuration change');
  assert.equal(sig.target, 'config:brewpi.alarm~fv1-temp');
  assert.match(sig.targetText, /limit: 21\.5 → 22\.5/);
  assert.match(sig.signerText, /Eva Ingeniera/);
  for (const k of 'new yeast') signature.activate(`sig:key:${k === ' ' ? 'space' : k}`);
  signature.activate('sig:field:pin');
  for (const k of '2468') signature.activate(`sig:key:${k}`);
  await signature.activate('sig:sign');
  const put = api.calls.find((c) => c.method === 'PUT');
  assert.deepEqual(put, { method: 'PUT', path: '/api/config/brewpi.alarm~fv1-temp',
    body: { properties: { limit: 22.5 }, pin: '2468', reason: 'new yeast' } });
  assert.equal(signature.open, false);
  assert.equal(s.edit, null);
  assert.match(s.view(es).outcome.text, /Cambiado: limit = 22\.5/);
  assert.equal(api.calls.filter((c) => c.method === 'GET').length, 2, 'read again after the change');
});

test('the same value or a non-number is refused before any signature; a refused change says why', async () => {
  const api = fakeApi({ status: 401, body: { error: 'bad_credentials', message: 'wrong PIN' } });
  const { s, signature } = screen('admin', api);
  const en = new I18n(null);
  en.toggle();
  await s.load();
  s.activate('set:prop:limit', en);
  for (const k of ['2', '1', '.', '5']) s.activate(`set:key:${k}`, en);
  s.activate('set:next', en);
  assert.equal(signature.open, false);
  assert.equal(s.view(en).edit.error, 'that is the current value');
  s.activate('set:cancel', en);
  s.activate('set:prop:suppressed', en);
  assert.equal(s.view(en).edit.kind, 'bool');
  s.activate('set:bool:true', en);
  s.activate('set:next', en);
  assert.ok(signature.open);
  const result = await s.submit(s.edit, true, '0000', 'test');
  assert.deepEqual(result, { ok: false, reason: 'pin', message: 'wrong PIN' });
  assert.ok(s.edit, 'the editor stays for another try');
  assert.match(s.view(en).outcome.text, /Not changed \(suppressed\)/);
});

test('the System screen offers Settings to engineers and administrators only', () => {
  const es = new I18n(null);
  const health = { status: 'ok', body: { status: 'UP', components: {} } };
  for (const [role, shown] of [['operator', false], ['supervisor', false], ['quality', false], ['engineer', true],
    ['admin', true]]) {
    const view = buildSystemView(health, { printedName: 'X', role }, es, 0);
    const hits = new HitList();
    drawSystem(recordingContext(), view, hits, null);
    assert.equal(Boolean(hits.byId('settings')), shown, role);
  }
  assert.equal(buildSystemView(health, null, es, 0).settings, null, 'nobody logged in');
  const { s } = screen('supervisor');
  assert.equal(s.allowed, false);
});
