import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PlantApi, classifyAnswer, takeToken } from '../../main/resources/web/js/api.js';
import { memoryStorage } from './fixtures.mjs';

function fakeLocation(hash) {
  return { hash, pathname: '/hmi/', search: '' };
}

function fakeHistory() {
  return { replaced: null, replaceState(_s, _t, url) { this.replaced = url; } };
}

test('the token in the address is kept and removed from the address bar', () => {
  const storage = memoryStorage();
  const history = fakeHistory();
  assert.equal(takeToken(fakeLocation('#token=s3cr%2Ft'), history, storage), 's3cr/t');
  assert.equal(history.replaced, '/hmi/');
  assert.equal(takeToken(fakeLocation(''), fakeHistory(), storage), 's3cr/t', 'remembered for the next load');
});

test('an empty token forgets the stored one: read-only', () => {
  const storage = memoryStorage({ 'brewpi.hmi.token': 'old' });
  assert.equal(takeToken(fakeLocation('#token='), fakeHistory(), storage), null);
});

test('no token anywhere: read-only, the address untouched', () => {
  const history = fakeHistory();
  assert.equal(takeToken(fakeLocation('#other=1'), history, memoryStorage()), null);
  assert.equal(history.replaced, null);
});

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
  assert.equal(reason(401, { outcome: 'REJECTED', error: 'unauthorized' }), 'auth');
  assert.equal(reason(401, null), 'auth');
  assert.equal(reason(504, null), 'timeout');
  assert.equal(reason(503, { outcome: 'NOT_SENT', error: 'not_sent' }), 'not_sent');
  assert.equal(reason(422, { outcome: 'REJECTED', error: 'bad_type' }), 'bad_request');
  assert.equal(reason(500, { outcome: 'REFUSED', error: 'something_new' }), 'other');
});

test('a write carries the bearer token and the value as JSON', async () => {
  const calls = [];
  const api = new PlantApi({
    token: 'abc',
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
});

test('without a token nothing is sent', async () => {
  let called = false;
  const api = new PlantApi({ token: null, fetch: async () => { called = true; } });
  assert.equal(api.canWrite, false);
  const result = await api.writeTag('fv1', 'sv', 19);
  assert.equal(result.done, false);
  assert.equal(result.reason, 'auth');
  assert.equal(called, false);
});

test('a network failure is not done, and says so', async () => {
  const api = new PlantApi({ token: 't', fetch: async () => { throw new TypeError('Failed to fetch'); } });
  const result = await api.writeTag('fv1', 'sv', 19);
  assert.equal(result.done, false);
  assert.equal(result.reason, 'network');
});

test('an answer that is not JSON is judged by its status', async () => {
  const api = new PlantApi({ token: 't', fetch: async () => ({ status: 502, json: async () => { throw new SyntaxError('x'); } }) });
  const result = await api.writeTag('fv1', 'sv', 19);
  assert.equal(result.done, false);
  assert.equal(result.outcome, 'HTTP 502');
});
