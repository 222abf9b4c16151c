import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LiveFeed, SILENCE_LIMIT_MS, liveUrl, retryDelay } from '../../main/resources/web/js/feed.js';

/** Manual clock and timers: the test moves time, the feed's timers fire in order. */
function fakeTime() {
  let now = 1_000_000;
  let nextId = 1;
  const timers = new Map();
  return {
    clock: () => now,
    timers: {
      setTimeout: (fn, ms) => { const id = nextId++; timers.set(id, { at: now + ms, fn }); return id; },
      clearTimeout: (id) => timers.delete(id),
      setInterval: (fn, ms) => { const id = nextId++; timers.set(id, { at: now + ms, fn, every: ms }); return id; },
      clearInterval: (id) => timers.delete(id),
    },
    advance(ms) {
      const end = now + ms;
      for (;;) {
        const due = [...timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        const [id, t] = due;
        now = t.at;
        if (t.every) t.at += t.every; else timers.delete(id);
        t.fn();
      }
      now = end;
    },
  };
}

function fakeSockets() {
  const sockets = [];
  class FakeSocket {
    constructor(url) {
      this.url = url;
      this.closed = false;
      sockets.push(this);
    }
    close() { this.closed = true; }
    receive(message) { this.onmessage?.({ data: typeof message === 'string' ? message : JSON.stringify(message) }); }
    drop() { this.closed = true; this.onclose?.(); }
  }
  return { FakeSocket, sockets, last: () => sockets[sockets.length - 1] };
}

function setup() {
  const time = fakeTime();
  const ws = fakeSockets();
  const messages = [];
  const statuses = [];
  const feed = new LiveFeed({
    url: 'ws://box/api/live',
    onMessage: (m) => messages.push(m),
    onStatus: (f) => statuses.push(f.status),
    WebSocket: ws.FakeSocket,
    clock: time.clock,
    timers: time.timers,
    random: () => 0.5,
  });
  feed.start();
  return { feed, time, ws, messages, statuses };
}

test('the feed address follows the page: ws for http, wss for https, same host and port', () => {
  assert.equal(liveUrl({ protocol: 'http:', host: 'box:8080' }), 'ws://box:8080/api/live');
  assert.equal(liveUrl({ protocol: 'https:', host: 'box' }), 'wss://box/api/live');
});

test('back-off doubles from half a second up to ten, with jitter', () => {
  assert.equal(retryDelay(0, () => 0.5), 500);
  assert.equal(retryDelay(1, () => 0.5), 1000);
  assert.equal(retryDelay(3, () => 0.5), 4000);
  assert.equal(retryDelay(10, () => 0.5), 10000);
  assert.equal(retryDelay(0, () => 0), 400);
  assert.equal(retryDelay(0, () => 1), 600);
});

test('live only once the snapshot has arrived; deltas before it are not applied', () => {
  const { feed, ws, messages } = setup();
  assert.equal(feed.status, 'connecting');
  ws.last().receive({ type: 'tags', values: [] });
  assert.equal(messages.length, 0);
  ws.last().receive({ type: 'snapshot', zones: [] });
  assert.equal(feed.status, 'live');
  ws.last().receive({ type: 'ping', time: 1 });
  assert.deepEqual(messages.map((m) => m.type), ['snapshot', 'ping']);
});

test('a closed socket is a lost feed at once, and it reconnects by itself', () => {
  const { feed, time, ws } = setup();
  ws.last().receive({ type: 'snapshot', zones: [] });
  time.advance(3000);
  ws.last().drop();
  assert.equal(feed.status, 'lost');
  assert.equal(feed.lostAt, time.clock());
  assert.equal(ws.sockets.length, 1);
  time.advance(500);
  assert.equal(ws.sockets.length, 2, 'reconnected after the first back-off step');
  time.advance(700);
  ws.last().receive({ type: 'snapshot', zones: [] });
  assert.equal(feed.status, 'live');
  assert.equal(feed.restoredAt, time.clock());
  assert.equal(feed.lostFor, 1200);
});

test('more than five seconds of silence is a lost feed even with the socket open', () => {
  const { feed, time, ws } = setup();
  ws.last().receive({ type: 'snapshot', zones: [] });
  for (let i = 0; i < 5; i++) {
    time.advance(2000);
    ws.last().receive({ type: 'ping' });
  }
  assert.equal(feed.status, 'live', 'pings every 2 s keep it live');
  time.advance(SILENCE_LIMIT_MS - 100);
  assert.equal(feed.status, 'live');
  time.advance(400);
  assert.equal(feed.status, 'lost');
  assert.ok(ws.sockets[0].closed, 'the silent socket is closed, not left hanging');
});

test('repeated failures back off, and success resets the back-off', () => {
  const { feed, time, ws } = setup();
  ws.last().drop();                      // attempt 0 failed -> wait 500
  time.advance(500);
  ws.last().drop();                      // attempt 1 failed -> wait 1000
  time.advance(999);
  assert.equal(ws.sockets.length, 2);
  time.advance(1);
  assert.equal(ws.sockets.length, 3);
  ws.last().receive({ type: 'snapshot', zones: [] });
  assert.equal(feed.attempt, 0);
  assert.equal(feed.everLive, true);
});

test('a socket that connects but sends no snapshot is given up and retried', () => {
  const { feed, time, ws } = setup();
  time.advance(SILENCE_LIMIT_MS + 300);
  assert.equal(feed.status, 'lost');
  assert.ok(ws.sockets[0].closed);
});

test('garbage on the socket is counted, not fatal', () => {
  const { feed, ws, messages } = setup();
  ws.last().receive({ type: 'snapshot', zones: [] });
  ws.last().receive('{not json');
  assert.equal(feed.badMessages, 1);
  assert.equal(feed.status, 'live');
  assert.equal(messages.length, 1);
});

test('messages from an old socket are ignored after a reconnect', () => {
  const { time, ws, messages } = setup();
  const first = ws.last();
  first.receive({ type: 'snapshot', zones: [] });
  first.drop();
  time.advance(500);
  first.receive({ type: 'tags', values: [] });
  assert.equal(messages.length, 1);
});
