import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BoxApi } from '../../main/resources/web/js/api.js';
import { ENDED, Session } from '../../main/resources/web/js/session.js';
import { LoginScreen } from '../../main/resources/web/js/login-screen.js';
import { I18n } from '../../main/resources/web/js/i18n.js';
import { memoryStorage } from './fixtures.mjs';

/** A box that answers the session endpoints as SessionServlet does. */
function fakeBox({ pin = '24681357', mustChange = false, locked = false } = {}) {
  const box = { calls: [], pin, mustChange, sessions: new Set() };
  box.fetch = async (url, init) => {
    const body = init.body ? JSON.parse(init.body) : null;
    box.calls.push({ url, method: init.method, body, auth: init.headers.Authorization ?? null });
    const answer = (status, json) => ({ status, json: async () => json });
    if (url === '/api/session' && init.method === 'POST') {
      if (locked) return answer(429, { error: 'locked', message: 'locked for 5 minutes' });
      if (body.user !== 'ana' || body.pin !== box.pin) return answer(401, { error: 'bad_credentials' });
      box.sessions.add('tok-1');
      return answer(200, { token: 'tok-1', user: 'ana', printedName: 'Ana Ruiz', role: 'supervisor',
        mustChangePin: box.mustChange, idleTimeoutSeconds: 900 });
    }
    if (url === '/api/session/pin') {
      if (body.pin !== box.pin) return answer(401, { error: 'bad_credentials' });
      if (body.newPin.length < 6) return answer(400, { error: 'bad_request', message: 'too short' });
      box.pin = body.newPin;
      box.mustChange = false;
      return { status: 204, json: async () => { throw new SyntaxError('no body'); } };
    }
    if (url === '/api/session' && init.method === 'DELETE') {
      box.sessions.delete('tok-1');
      return { status: 204, json: async () => { throw new SyntaxError('no body'); } };
    }
    if (url === '/api/session') {
      return box.sessions.has(init.headers.Authorization?.slice(7)) ? answer(200, { user: 'ana', role: 'supervisor' })
        : answer(401, { error: 'unauthorized' });
    }
    return answer(404, {});
  };
  return box;
}

function wire(box, clock = () => 1000) {
  const storage = memoryStorage();
  let changes = 0;
  const session = new Session({ storage, clock: () => clock(), onChange: () => { changes++; } });
  const api = new BoxApi({ session, fetch: box.fetch });
  session.attach(api);
  return { session, api, storage, changes: () => changes };
}

function typeInto(screen, field, text) {
  screen.activate(`login:field:${field}`);
  for (const ch of text) screen.activate(`login:key:${ch}`);
}

test('login keeps the session for the tab, never its PIN, and logout ends it on the box', async () => {
  const box = fakeBox();
  const { session, storage } = wire(box);
  assert.deepEqual(await session.login('ana', '24681357'), { ok: true });
  assert.equal(session.view().printedName, 'Ana Ruiz');
  assert.equal(session.view().token, undefined, 'the view never carries the token');
  assert.ok(!storage.getItem('brewpi.hmi.session').includes('24681357'));
  await session.logout();
  assert.equal(session.loggedIn, false);
  assert.equal(session.endedBecause, ENDED.LOGOUT);
  assert.equal(box.sessions.size, 0);
});

test('the login screen: wrong PIN, then the one-time PIN replaced, then logged in', async () => {
  const box = fakeBox({ mustChange: true });
  const { session } = wire(box);
  let done = 0;
  const screen = new LoginScreen(session, () => { done++; });
  const i18n = new I18n(null);
  typeInto(screen, 'user', 'ana');
  typeInto(screen, 'pin', '999999');
  await screen.activate('login:submit');
  assert.equal(screen.view(i18n).message.text, 'Usuario o PIN incorrecto.');
  assert.equal(screen.fields.pin.text, '', 'a wrong PIN is cleared');

  typeInto(screen, 'pin', '24681357');
  await screen.activate('login:submit');
  assert.equal(screen.step, 'newPin');
  assert.equal(session.mustChangePin, true);
  typeInto(screen, 'newPin', '97531864');
  typeInto(screen, 'repeat', '97531860');
  await screen.activate('login:submit');
  assert.equal(screen.view(i18n).message.key, 'login.mismatch');
  typeInto(screen, 'repeat', '97531864');
  await screen.activate('login:submit');
  assert.equal(done, 1);
  assert.equal(session.mustChangePin, false);
  assert.equal(box.pin, '97531864');
});

test('a locked user is told so, with the box own words', async () => {
  const { session } = wire(fakeBox({ locked: true }));
  const screen = new LoginScreen(session, () => {});
  typeInto(screen, 'user', 'ana');
  typeInto(screen, 'pin', '24681357');
  await screen.activate('login:submit');
  const view = screen.view(new I18n(null));
  assert.equal(view.message.key, 'login.locked');
  assert.equal(view.message.detail, 'locked for 5 minutes');
  assert.equal(session.loggedIn, false);
});

test('the user keyboard types only what a user name may hold', () => {
  const screen = new LoginScreen({}, () => {});
  typeInto(screen, 'user', 'Ab c.1');
  assert.equal(screen.fields.user.text, 'bc.1', 'no capitals, no spaces');
});

test('past the box inactivity time without a request the session ends here too', async () => {
  let now = 1000;
  const { session, api } = wire(fakeBox(), () => now);
  await session.login('ana', '24681357');
  now += 899_000;
  session.checkIdle();
  assert.equal(session.loggedIn, true);
  await api.act('GET', '/api/session'); // a request restarts the box's idle clock
  now += 899_000;
  session.checkIdle();
  assert.equal(session.loggedIn, true);
  now += 2000;
  session.checkIdle();
  assert.equal(session.loggedIn, false);
  assert.equal(session.endedBecause, ENDED.IDLE);
});

test('a stored session the box no longer knows is dropped at start', async () => {
  const box = fakeBox();
  const first = wire(box);
  await first.session.login('ana', '24681357');
  box.sessions.clear(); // the box restarted
  const again = new Session({ storage: first.storage });
  again.attach(new BoxApi({ session: again, fetch: box.fetch }));
  assert.equal(again.loggedIn, true);
  await again.verify();
  assert.equal(again.loggedIn, false);
  assert.equal(again.endedBecause, ENDED.EXPIRED);
});
