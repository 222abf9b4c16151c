import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BoxApi, classifyAnswer, dropKioskToken } from '../../main/resources/web/js/api.js';
import { memoryStorage } from './fixtures.mjs';

function fakeLocation(hash) {
  return { hash, pathname: '/hmi/', search: '' };
}

function fakeHistory() {
  return { replaced: null, replaceState(_s, _t, url) { this.replaced = url; } };
}

test('a kiosk token in the address is dropped, never kept: writes need a person', () => {
  const storage = memoryStorage();
  const history = fakeHistory();
  assert.equal(dropKioskToken(fakeLocation('#token=s3cr%2Ft'), history, storage), true);
  assert.equal(history.replaced, '/hmi/');
  assert.equal(storage.getItem('brewpi.hmi.token'), null);
});

test('a token stored by an older HMI is forgotten', () => {
  const storage = memoryStorage({ 'brewpi.hmi.token': 'old' });
  assert.equal(dropKioskToken(fakeLocation(''), fakeHistory(), storage), true);
  assert.equal(storage.getItem('brewpi.hmi.token'), null);
});

test('no token anywhere: the address untouched', () => {
  const history = fakeHistory();
  assert.equal(dropKioskToken(fakeLocation('#other=1'), history, memoryStorage()), false);
  assert.equal(history.replaced, null);
});

function fakeSession(token, extra = {}) {
  return { token, mustChangePin: false, touches: 0, ended: 0,
    touched() { this.touches++; }, expired() { this.ended++; }, ...extra };
}

test('only HTTP 200 with outcome DONE is done', () => {
  assert.deepEqual(classifyAnswer(200, { outcome: 'DONE', message: 'ok' }),
    { done: true, outcome: 'DONE', reason: null, message: 'ok' });
  assert.equal(classifyAnswer(200, { outcome: 'TIMEOUT' }).done, false);
  assert.equal(classifyAnswer(200, null).done, false);
  assert.equal(classifyAnswer(202, { outcome: 'DONE' }).done, false);
});

test('refusals map to reasons the operator can act on', () => {
  const reason = (status, body) => classifyAnswer(status, body).reason;
  assert.equal(reason(400, { outcome: 'REJECTED', error: 'out_of_range' }), 'range');
  assert.equal(reason(400, { outcome: 'REJECTED', error: 'read_only' }), 'read_only');
  assert.equal(reason(409, { outcome: 'REFUSED', error: 'interlocked' }), 'interlock');
  assert.equal(reason(409, { outcome: 'REFUSED', error: 'failsafe' }), 'failsafe');
  assert.equal(reason(504, { outcome: 'TIMEOUT', error: 'timeout' }), 'timeout');
  assert.equal(reason(503, { outcome: 'NOT_SENT', error: 'offline' }), 'offline');
  assert.equal(reason(401, { outcome: 'REJECTED', error: 'unauthorized' }), 'session');
  assert.equal(reason(401, null), 'session');
  assert.equal(reason(403, { error: 'forbidden' }), 'role');
  assert.equal(reason(409, { error: 'estop', source: 'estop' }), 'estop');
  assert.equal(classifyAnswer(409, { error: 'interlocked', source: 'kettle-level' }).source, 'kettle-level');
  assert.equal(reason(504, null), 'timeout');
  assert.equal(reason(503, { outcome: 'NOT_SENT', error: 'not_sent' }), 'not_sent');
  assert.equal(reason(422, { outcome: 'REJECTED', error: 'bad_type' }), 'bad_request');
  assert.equal(reason(500, { outcome: 'REFUSED', error: 'something_new' }), 'other');
});

test('a write carries the session token and the value as JSON', async () => {
  const calls = [];
  const session = fakeSession('abc');
  const api = new BoxApi({
    session,
    fetch: async (url, init) => {
      calls.push({ url, init });
      return { status: 200, json: async () => ({ outcome: 'DONE', message: 'acknowledged' }) };
    },
  });
  const result = await api.writeTag('fv1', 'sv', 19.5);
  assert.equal(result.done, true);
  assert.equal(calls[0].url, '/api/zones/fv1/tags/sv');
  assert.equal(calls[0].init.method, 'PUT');
  assert.equal(calls[0].init.headers.Authorization, 'Bearer abc');
  assert.deepEqual(JSON.parse(calls[0].init.body), { value: 19.5 });
  await api.resetFailsafe('hlt');
  assert.equal(calls[1].url, '/api/zones/hlt/reset');
  assert.equal(calls[1].init.method, 'POST');
  assert.equal(session.touches, 2, 'the box restarts its idle clock on each');
});

test('reads carry no token, so polling never keeps a session alive', async () => {
  const calls = [];
  const session = fakeSession('abc');
  const api = new BoxApi({ session, fetch: async (url, init) => { calls.push(init); return { status: 200, json: async () => ({}) }; } });
  await api.read('/api/alarms');
  assert.equal(calls[0].headers.Authorization, undefined);
  assert.equal(session.touches, 0);
});

test('a 401 to an act ends the session here too', async () => {
  const session = fakeSession('gone');
  const api = new BoxApi({ session, fetch: async () => ({ status: 401, json: async () => ({ error: 'unauthorized' }) }) });
  const result = await api.writeTag('fv1', 'sv', 19);
  assert.equal(result.reason, 'session');
  assert.equal(session.ended, 1);
});

test('a wrong PIN in a signature (401 bad_credentials) does not end the session', async () => {
  const session = fakeSession('still-open');
  const api = new BoxApi({ session, fetch: async () => ({ status: 401, json: async () => ({ error: 'bad_credentials', message: 'wrong PIN' }) }) });
  const answer = await api.act('POST', '/api/batches/L/release', { pin: '1', reason: 'r' });
  assert.equal(answer.status, 401);
  assert.equal(session.ended, 0);
});

test('a one-time-PIN session cannot write', () => {
  const api = new BoxApi({ session: fakeSession('t', { mustChangePin: true }), fetch: async () => {} });
  assert.equal(api.canWrite, false);
});

test('nobody logged in: nothing is sent', async () => {
  let called = false;
  const api = new BoxApi({ session: fakeSession(null), fetch: async () => { called = true; } });
  assert.equal(api.canWrite, false);
  const result = await api.writeTag('fv1', 'sv', 19);
  assert.equal(result.done, false);
  assert.equal(result.reason, 'session');
  assert.equal(called, false);
});

test('a network failure is not done, and says so', async () => {
  const api = new BoxApi({ session: fakeSession('t'), fetch: async () => { throw new TypeError('Failed to fetch'); } });
  const result = await api.writeTag('fv1', 'sv', 19);
  assert.equal(result.done, false);
  assert.equal(result.reason, 'network');
});

test('an answer that is not JSON is judged by its status', async () => {
  const api = new BoxApi({ session: fakeSession('t'), fetch: async () => ({ status: 502, json: async () => { throw new SyntaxError('x'); } }) });
  const result = await api.writeTag('fv1', 'sv', 19);
  assert.equal(result.done, false);
  assert.equal(result.outcome, 'HTTP 502');
});
