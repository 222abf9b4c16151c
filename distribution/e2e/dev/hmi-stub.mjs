#!/usr/bin/env node
// DEV TOOL ONLY - not part of the product, not used by any test or build.
//
// Serves the HMI files straight from hmi-bundle/src/main/resources/web at /hmi/ and fakes the
// box's /api/live WebSocket and REST writes with a toy plant, so the HMI can be worked on
// without building and starting the box:
//
//   node distribution/e2e/dev/hmi-stub.mjs [port]        (default 8099)
//   open http://127.0.0.1:8099/hmi/ and log in as any user with PIN 123456 (toy plant only)
//
// Or, to try the HMI's sources against a running box (its /api and /api/live are proxied):
//   node distribution/e2e/dev/hmi-stub.mjs 8099 http://127.0.0.1:8080
//
// Knobs (GET): /dev/stale?zone=fv1  /dev/bad?zone=fv1&tag=pv  /dev/offline?zone=hlt
//   /dev/failsafe?zone=hlt  /dev/online?zone=hlt  /dev/interlock?zone=kettle&active=true
//   /dev/silence?ms=8000 (no messages, not even pings)  /dev/drop?ms=8000 (close and refuse)
//   /dev/slow?ms=2500 (delay write answers)
// No dependencies: a minimal WebSocket server (text frames out, close frames in) is below.

import http from 'node:http';
import net from 'node:net';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const webRoot = path.resolve(here, '../../../hmi-bundle/src/main/resources/web');
const port = Number(process.argv[2] || 8099);
const box = process.argv[3] ? new URL(process.argv[3]) : null;
const TOKEN = 'dev';

const analog = (unit, min, max, rw = false) => ({ kind: 'analog', unit, min, max, rw });
const bool = (rw = false) => ({ kind: 'bool', rw });
const modeTag = () => ({ kind: 'enum', values: ['off', 'auto', 'manual'], rw: true });

function zone(id, label, type, failsafe, tags, values) {
  const now = Date.now();
  const t = {};
  for (const [name, def] of Object.entries(tags)) {
    t[name] = { ...def, value: values[name] ?? null, quality: 'GOOD', plcTime: now, time: now };
  }
  return {
    id, label, type, driver: 'mqtt', state: 'online', reason: null, lastSeen: now, firmware: '1.0.0',
    boot: 1234, periodMs: 1000, failsafe, tags: t, counters: {},
  };
}

const plant = [
  zone('hlt', 'HLT', 'hlt', 'off', { pv: analog('degC', 0, 100), sv: analog('degC', 0, 85, true), out: analog('%', 0, 100), mode: modeTag(), heater: bool(), level: bool() },
    { pv: 74.2, sv: 75, out: 38, mode: 'auto', heater: true, level: true }),
  zone('mash', 'Macerador', 'mash', 'off', { pv: analog('degC', 0, 100), sv: analog('degC', 0, 80, true), out: analog('%', 0, 100), mode: modeTag(), heater: bool(), pump: bool(true) },
    { pv: 66.1, sv: 66, out: 12, mode: 'auto', heater: false, pump: true }),
  zone('kettle', 'Hervidor', 'kettle', 'off', { pv: analog('degC', 0, 110), sv: analog('degC', 0, 102, true), out: analog('%', 0, 100), mode: modeTag(), heater: bool(), pump: bool(true) },
    { pv: 21.4, sv: 0, out: 0, mode: 'off', heater: false, pump: false }),
  zone('glycol', 'Glicol', 'glycol', 'hold_last', { pv: analog('degC', -10, 30), sv: analog('degC', -5, 10, true), out: analog('%', 0, 100), mode: modeTag(), compressor: bool(), pump: bool() },
    { pv: -1.8, sv: -2, out: 55, mode: 'auto', compressor: true, pump: true }),
  zone('fv1', 'FV1', 'fermenter', 'hold_last', { pv: analog('degC', -5, 40), sv: analog('degC', -2, 30, true), out: analog('%', -100, 100), mode: modeTag(), glycol_valve: bool(true) },
    { pv: 18.3, sv: 18, out: -20, mode: 'auto', glycol_valve: true }),
  zone('fv2', 'FV2', 'fermenter', 'hold_last', { pv: analog('degC', -5, 40), sv: analog('degC', -2, 30, true), out: analog('%', -100, 100), mode: modeTag(), glycol_valve: bool(true) },
    { pv: 12.9, sv: 12, out: 0, mode: 'auto', glycol_valve: false }),
];
const byId = new Map(plant.map((z) => [z.id, z]));

const clients = new Set();
let silentUntil = 0;
let refuseUntil = 0;
let slowMs = 300;

// --- WebSocket (RFC 6455, just enough) ---

function frame(text) {
  const payload = Buffer.from(text, 'utf8');
  let header;
  if (payload.length < 126) {
    header = Buffer.from([0x81, payload.length]);
  } else if (payload.length < 65536) {
    header = Buffer.alloc(4);
    header[0] = 0x81; header[1] = 126; header.writeUInt16BE(payload.length, 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = 0x81; header[1] = 127; header.writeBigUInt64BE(BigInt(payload.length), 2);
  }
  return Buffer.concat([header, payload]);
}

function send(socket, message) {
  if (Date.now() < silentUntil) return;
  socket.write(frame(JSON.stringify(message)));
}

function broadcast(message) {
  for (const socket of clients) send(socket, message);
}

function upgrade(req, socket) {
  if (req.url !== '/api/live' || Date.now() < refuseUntil) {
    socket.end('HTTP/1.1 503 Service Unavailable\r\n\r\n');
    return;
  }
  const accept = crypto.createHash('sha1')
    .update(req.headers['sec-websocket-key'] + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest('base64');
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
  clients.add(socket);
  socket.on('data', (buf) => { if ((buf[0] & 0x0f) === 0x8) socket.end(); });
  socket.on('close', () => clients.delete(socket));
  socket.on('error', () => clients.delete(socket));
  send(socket, { type: 'snapshot', time: Date.now(), zones: plant });
}

// --- the toy plant ---

function setTag(z, tag, value, quality = 'GOOD') {
  const now = Date.now();
  const t = z.tags[tag];
  Object.assign(t, { value, quality, plcTime: now, time: now });
  return { zone: z.id, tag, value, quality, plcTime: now, time: now };
}

setInterval(() => {
  const values = [];
  for (const z of plant) {
    if (z.state === 'offline') continue;
    const { pv, sv, mode } = z.tags;
    if (pv.quality === 'STALE' || pv.quality === 'BAD') continue;
    const target = mode.value === 'off' ? 20 : sv.value;
    const next = pv.value + (target - pv.value) * 0.05 + (Math.random() - 0.5) * 0.1;
    values.push(setTag(z, 'pv', Math.round(next * 100) / 100));
    z.lastSeen = Date.now();
  }
  broadcast({ type: 'tags', time: Date.now(), values });
}, 1000);

setInterval(() => broadcast({ type: 'ping', time: Date.now() }), 2000);

function setState(z, state, reason) {
  z.state = state;
  z.reason = reason;
  if (state === 'offline') for (const t of Object.keys(z.tags)) z.tags[t].quality = 'OFFLINE';
  else for (const t of Object.keys(z.tags)) if (z.tags[t].quality === 'OFFLINE') z.tags[t].quality = 'GOOD';
  broadcast({ type: 'zone', zone: z });
}

// --- HTTP ---

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };

function json(res, status, body) {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

function readBody(req) {
  return new Promise((resolve) => {
    let data = '';
    req.on('data', (c) => { data += c; });
    req.on('end', () => {
      try { resolve(JSON.parse(data || '{}')); } catch (e) { resolve(null); }
    });
  });
}

async function write(req, res, z, tagName) {
  if (req.headers.authorization !== `Bearer ${TOKEN}`) return json(res, 401, { outcome: 'REJECTED', error: 'unauthorized', message: 'bearer token required' });
  const body = await readBody(req);
  const tag = z.tags[tagName];
  if (!tag) return json(res, 404, { outcome: 'REJECTED', error: 'unknown_tag', message: `no tag ${tagName}` });
  if (!tag.rw) return json(res, 400, { outcome: 'REJECTED', error: 'read_only', message: `${tagName} is read-only` });
  const v = body?.value;
  if (tag.kind === 'analog' && (typeof v !== 'number' || v < tag.min || v > tag.max)) {
    return json(res, 400, { outcome: 'REJECTED', error: 'out_of_range', message: `${tagName} ${v} outside ${tag.min}..${tag.max}` });
  }
  if (z.state === 'offline') return json(res, 503, { outcome: 'NOT_SENT', error: 'offline', message: `${z.id} is offline` });
  setTimeout(() => {
    if (z.state === 'failsafe' && z.failsafe === 'off') return json(res, 409, { outcome: 'REFUSED', error: 'failsafe', message: 'zone in fail-safe' });
    if (slowMs > 3000) return json(res, 504, { outcome: 'TIMEOUT', error: 'timeout', message: 'no ack within 3000 ms' });
    broadcast({ type: 'tags', time: Date.now(), values: [setTag(z, tagName, v)] });
    json(res, 200, { outcome: 'DONE', error: null, message: 'acknowledged' });
  }, slowMs);
}

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url, `http://${req.headers.host}`);
  const q = url.searchParams;
  const z = byId.get(q.get('zone'));
  if (url.pathname === '/') { res.writeHead(302, { Location: '/hmi/' }); return res.end(); }
  if (url.pathname === '/hmi') { res.writeHead(302, { Location: '/hmi/' }); return res.end(); }
  if (url.pathname.startsWith('/hmi/')) {
    const rel = url.pathname === '/hmi/' ? 'index.html' : url.pathname.slice(5);
    const file = path.resolve(webRoot, rel);
    if (!file.startsWith(webRoot) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404); return res.end('not found');
    }
    res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream', 'Cache-Control': 'no-cache' });
    return res.end(fs.readFileSync(file));
  }
  if (box && url.pathname.startsWith('/api/')) return proxy(req, res);
  if (url.pathname === '/api/zones' && req.method === 'GET') return json(res, 200, plant);
  if (url.pathname === '/api/session' && req.method === 'POST') {
    // Toy login: any user name, PIN 123456; everything else (alarms, interlocks...) answers 404.
    const body = await readBody(req);
    if (body?.pin !== '123456') return json(res, 401, { error: 'bad_credentials', message: 'toy PIN is 123456' });
    return json(res, 200, { token: TOKEN, user: body.user, printedName: body.user, role: 'supervisor', mustChangePin: false, idleTimeoutSeconds: 900 });
  }
  if (url.pathname === '/api/session' && req.method === 'DELETE') { res.writeHead(204); return res.end(); }
  let m = /^\/api\/zones\/([^/]+)\/tags\/([^/]+)$/.exec(url.pathname);
  if (m && req.method === 'PUT') {
    const target = byId.get(m[1]);
    return target ? write(req, res, target, m[2]) : json(res, 404, { outcome: 'REJECTED', error: 'unknown_zone' });
  }
  m = /^\/api\/zones\/([^/]+)\/reset$/.exec(url.pathname);
  if (m && req.method === 'POST') {
    const target = byId.get(m[1]);
    if (!target) return json(res, 404, { outcome: 'REJECTED', error: 'unknown_zone' });
    return setTimeout(() => {
      if (target.state !== 'failsafe') return json(res, 409, { outcome: 'REFUSED', error: 'bad_request', message: 'not in fail-safe' });
      setState(target, 'online', null);
      json(res, 200, { outcome: 'DONE', error: null, message: 'reset' });
    }, slowMs);
  }
  // dev knobs
  const ms = Number(q.get('ms') || 8000);
  switch (url.pathname) {
    case '/dev/stale': for (const t of Object.values(z.tags)) t.quality = 'STALE'; broadcast({ type: 'zone', zone: z }); break;
    case '/dev/bad': broadcast({ type: 'tags', time: Date.now(), values: [setTag(z, q.get('tag') || 'pv', null, 'BAD')] }); break;
    case '/dev/offline': setState(z, 'offline', 'lwt'); break;
    case '/dev/failsafe': setState(z, 'failsafe', q.get('reason') || 'heartbeat_timeout'); break;
    case '/dev/online': setState(z, 'online', null); break;
    case '/dev/interlock': broadcast({ type: 'event', event: { zone: z.id, kind: 'interlock', code: q.get('code') || 'overtemp', active: q.get('active') !== 'false', message: 'pv 85.2 > trip 80.0', time: Date.now(), plcTime: Date.now() } }); break;
    case '/dev/silence': silentUntil = Date.now() + ms; break;
    case '/dev/drop': refuseUntil = Date.now() + ms; for (const s of clients) s.destroy(); break;
    case '/dev/slow': slowMs = ms; break;
    default: res.writeHead(404); return res.end('not found');
  }
  return json(res, 200, { ok: true });
});

// --- proxy to a real box ---

function proxy(req, res) {
  const upstream = http.request({
    host: box.hostname, port: box.port, path: req.url, method: req.method, headers: req.headers,
  }, (answer) => {
    res.writeHead(answer.statusCode, answer.headers);
    answer.pipe(res);
  });
  upstream.on('error', () => { res.writeHead(502); res.end('box unreachable'); });
  req.pipe(upstream);
}

function proxyUpgrade(req, socket, head) {
  const upstream = net.connect(Number(box.port), box.hostname, () => {
    const headers = Object.entries(req.headers).map(([k, v]) => `${k}: ${v}`).join('\r\n');
    upstream.write(`${req.method} ${req.url} HTTP/1.1\r\n${headers}\r\n\r\n`);
    upstream.write(head);
    upstream.pipe(socket);
    socket.pipe(upstream);
  });
  upstream.on('error', () => socket.destroy());
  socket.on('error', () => upstream.destroy());
}

server.on('upgrade', box ? proxyUpgrade : upgrade);
server.listen(port, '127.0.0.1', () => console.log(box
  ? `HMI sources on http://127.0.0.1:${port}/hmi/ with /api from ${box.origin}`
  : `HMI dev stub on http://127.0.0.1:${port}/hmi/ (log in with PIN 123456)`));
