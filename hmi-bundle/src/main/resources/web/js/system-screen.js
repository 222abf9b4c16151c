// The box's own state from GET /api/health: the store-and-forward backlog to the central database
// (for the system line on every screen) and the System screen (database sync per stream, parts of
// the box, who is logged in).

import { COLOURS, SCREEN, alarmShape, button, text, wrappedText } from './draw-kit.js';
import { MAIN } from './chrome.js';

/** A detail under either of its spellings (the sync reports dotted keys; the contract camelCase). */
function pick(obj, ...keys) {
  for (const k of keys) if (obj && obj[k] !== undefined && obj[k] !== null) return obj[k];
  return null;
}

function epoch(v) {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    const t = Date.parse(v);
    return Number.isFinite(t) ? t : null;
  }
  return null;
}

/**
 * The sync backlog as plain numbers.
 * @param poll the /api/health {@link Poller}
 * @returns {{known: boolean, why?: string, configured, db: 'reachable'|'unreachable'|'connecting'|'off',
 *   waiting, oldestAgeMs, lastGoodSync, lastError, streams: Array}}
 */
export function syncState(poll, now) {
  if (!poll.body) return { known: false, why: poll.status === 'waiting' ? 'pending' : 'noHealth' };
  const sync = poll.body.components?.sync;
  if (!sync) return { known: false, why: 'noSync' };
  const state = String(pick(sync, 'state') ?? '');
  const lastError = pick(sync, 'last.error', 'lastError');
  const streams = Object.entries(pick(sync, 'streams') ?? {}).map(([name, s]) => {
    const oldestTs = epoch(pick(s, 'oldestWaitingTs'));
    const ageS = pick(s, 'oldest.waiting.age.s');
    return {
      name,
      waiting: Number(pick(s, 'waiting', 'rows.waiting') ?? 0),
      synced: Number(pick(s, 'synced', 'rows.synced') ?? 0),
      oldestAgeMs: oldestTs !== null ? Math.max(0, now - oldestTs) : ageS !== null ? ageS * 1000 : null,
      dropped: pick(s, 'dropped'),
    };
  });
  const ages = streams.map((s) => s.oldestAgeMs).filter((a) => a !== null);
  const configured = state !== 'local only';
  let db = 'reachable';
  if (!configured) db = 'off';
  else if (lastError) db = 'unreachable';
  else if (state === 'connecting') db = 'connecting';
  return {
    known: true,
    configured,
    db,
    state,
    waiting: Number(pick(sync, 'rows.waiting', 'waiting') ?? streams.reduce((n, s) => n + s.waiting, 0)),
    oldestAgeMs: ages.length ? Math.max(...ages) : null,
    lastGoodSync: epoch(pick(sync, 'last.good.sync', 'lastGoodSync')),
    lastError: lastError ? String(lastError) : null,
    alarm: pick(sync, 'alarm'),
    streams,
  };
}

/** The system line's words for the sync: short, and abnormal when the database cannot be reached. */
export function syncLine(sync, i18n) {
  if (!sync.known) return { text: i18n.t(`sync.${sync.why}`), abnormal: sync.why !== 'pending' };
  if (sync.db === 'off') return { text: i18n.t('sync.off'), abnormal: false };
  const parts = [i18n.t(`sync.db.${sync.db}`)];
  parts.push(sync.waiting > 0
    ? i18n.t('sync.waiting', { n: i18n.count(sync.waiting) }) : i18n.t('sync.upToDate'));
  if (sync.waiting > 0 && sync.oldestAgeMs !== null) parts.push(i18n.t('sync.oldest', { age: i18n.roughDuration(sync.oldestAgeMs) }));
  parts.push(sync.lastGoodSync ? i18n.t('sync.lastGood', { at: i18n.time(sync.lastGoodSync) }) : i18n.t('sync.neverGood'));
  // The error itself is on the System screen: the line has room for the facts only.
  return { text: parts.join(' · '), abnormal: sync.db === 'unreachable' || Boolean(sync.alarm) };
}

export function buildSystemView(health, session, i18n, now) {
  const sync = syncState(health, now);
  const components = Object.entries(health.body?.components ?? {}).map(([name, c]) => ({
    name, status: String(c.status ?? '?'), message: String(c.message ?? c.error ?? c.alarm ?? ''),
  }));
  return {
    title: i18n.t('sys.title'),
    sync,
    syncLine: syncLine(sync, i18n),
    syncTitle: i18n.t('sys.sync'),
    streamHeads: [i18n.t('sys.stream'), i18n.t('sys.waiting'), i18n.t('sys.oldest'), i18n.t('sys.synced')],
    streams: sync.known ? sync.streams.map((s) => ({
      name: s.name, waiting: i18n.count(s.waiting), synced: i18n.count(s.synced),
      oldest: s.oldestAgeMs === null ? '—' : i18n.duration(s.oldestAgeMs),
    })) : [],
    lastGood: sync.known && sync.lastGoodSync ? i18n.t('sync.lastGood', { at: i18n.time(sync.lastGoodSync) }) : '',
    lastError: sync.known && sync.lastError ? i18n.t('sys.lastError', { error: sync.lastError }) : '',
    overall: health.body ? String(health.body.status ?? '?') : null,
    overallText: health.body ? i18n.t('sys.overall', { status: health.body.status })
      : i18n.t(`poll.${health.status}`, { what: '/api/health' }),
    components,
    partsTitle: i18n.t('sys.parts'),
    who: session ? i18n.t('sys.who', { name: session.printedName, role: i18n.t(`role.${session.role}`) }) : i18n.t('sys.nobody'),
    // the way to the Settings screen, for those who may change the configuration
    settings: ['engineer', 'admin'].includes(session?.role) && !session?.mustChangePin ? i18n.t('set.open') : null,
  };
}

export function drawSystem(ctx, view, hits = null, pressedId = null) {
  const top = MAIN.y;
  ctx.fillStyle = COLOURS.background;
  ctx.fillRect(0, top, SCREEN.w, MAIN.h);
  text(ctx, view.syncTitle, 12, top + 22, { size: 16, weight: 'bold' });
  let y = top + 44;
  const l = view.syncLine;
  if (l.abnormal) alarmShape(ctx, 'sensor', 12, y - 13, 16);
  y += 18 * (wrappedText(ctx, l.text, l.abnormal ? 34 : 12, y, 440, 17,
    { size: 13, weight: 'bold', maxLines: 3 }) - 1);
  // Per stream, in sync priority order (as the box reports them).
  y += 26;
  const cols = [12, 170, 270, 370];
  view.streamHeads.forEach((h, i) => text(ctx, h, cols[i] + (i ? 80 : 0), y, { size: 12, colour: COLOURS.label, align: i ? 'right' : 'left' }));
  ctx.fillStyle = COLOURS.panelEdge;
  ctx.fillRect(12, y + 5, 440, 1);
  for (const s of view.streams) {
    y += 22;
    text(ctx, s.name, cols[0], y, { size: 13, weight: 'bold' });
    text(ctx, s.waiting, cols[1] + 80, y, { size: 13, weight: 'bold', align: 'right' });
    text(ctx, s.oldest, cols[2] + 80, y, { size: 13, align: 'right' });
    text(ctx, s.synced, cols[3] + 80, y, { size: 13, align: 'right' });
  }
  y += 28;
  if (view.lastGood) text(ctx, view.lastGood, 12, y, { size: 13 });
  if (view.lastError) wrappedText(ctx, view.lastError, 12, y + 20, 440, 16, { size: 12, colour: COLOURS.label, maxLines: 3 });

  // The box's parts.
  const px = 480;
  ctx.fillStyle = COLOURS.panelEdge;
  ctx.fillRect(px - 12, top + 8, 1, MAIN.h - 16);
  text(ctx, view.partsTitle, px, top + 22, { size: 16, weight: 'bold' });
  text(ctx, view.overallText, px, top + 44, { size: 13, weight: 'bold' });
  let py = top + 66;
  for (const c of view.components.slice(0, 12)) {
    const up = c.status === 'UP';
    if (!up) alarmShape(ctx, 'sensor', px, py - 12, 14);
    text(ctx, c.name, px + 20, py, { size: 13, weight: up ? 'normal' : 'bold' });
    text(ctx, c.status, SCREEN.w - 12, py, { size: 13, weight: 'bold', align: 'right', colour: up ? COLOURS.label : COLOURS.text });
    py += 20;
  }
  text(ctx, view.who, px, MAIN.y + MAIN.h - 10, { size: 13, weight: 'bold', maxWidth: SCREEN.w - px - 12 });
  if (view.settings && hits) {
    button(ctx, hits, 'settings', 12, MAIN.y + MAIN.h - 54, 200, 48, view.settings, {
      state: pressedId === 'settings' ? 'pressed' : 'normal', size: 15 });
  }
}
