// The interlocks screen (GET /api/interlocks, GET /api/estop): every rule with its state, first-out,
// cause and bypass, with reset and bypass (signed) buttons; and the E-stop with its reset. Also what
// every screen shows of them: the E-stop when not CLEAR, and active bypasses.

import { COLOURS, SCREEN, alarmShape, button, outcomeIcon, text, wrappedText } from './draw-kit.js';
import { MAIN } from './chrome.js';
import { outcomeText } from './alarms.js';

const ROW_H = 62;
const ROWS_TOP = MAIN.y + 56;
export const INTERLOCK_ROWS = 5;

function interlocksOf(poll) {
  return poll.ok && Array.isArray(poll.body?.interlocks) ? poll.body.interlocks : [];
}

/** Tripped or bypassed interlocks that block an output of a zone ("kettle.heater"), for its faceplate. */
export function zoneInterlockEntries(poll, zoneId, i18n) {
  return interlocksOf(poll)
    .filter((il) => (il.state !== 'HEALTHY' || il.bypass) && (il.blocks ?? []).some((b) => String(b).startsWith(`${zoneId}.`)))
    .map((il) => ({ kind: 'interlock', code: il.id, message: il.text || '',
      title: il.bypass ? i18n.t('bypass.short') : i18n.t(`il.${il.state}`) }));
}

/** The E-stop state: its own endpoint first, else what the interlocks report; null when unknown. */
export function estopState(estopPoll, interlockPoll) {
  if (estopPoll.ok && typeof estopPoll.body?.state === 'string') return { state: estopPoll.body.state, pressedAt: estopPoll.body.pressedAt ?? null };
  if (interlockPoll.ok && typeof interlockPoll.body?.estop === 'string') return { state: interlockPoll.body.estop, pressedAt: null };
  return null;
}

/** What the top bar shows of the E-stop (null while CLEAR or unknown) and of active bypasses. */
export function buildSafetyChrome(estopPoll, interlockPoll, i18n, now) {
  const estop = estopState(estopPoll, interlockPoll);
  const bypassed = interlocksOf(interlockPoll).filter((i) => i.bypass);
  const soonest = Math.min(...bypassed.map((i) => i.bypass.until ?? Infinity));
  return {
    estop: estop && estop.state !== 'CLEAR' ? {
      state: estop.state, title: i18n.t('estop.short'), detail: i18n.t(`estop.${estop.state}`),
    } : null,
    bypass: bypassed.length ? {
      count: bypassed.length, ids: bypassed.map((i) => i.id),
      title: i18n.t('bypass.short'),
      detail: Number.isFinite(soonest)
        ? `${bypassed.length} · ${i18n.roughDuration(Math.max(0, soonest - now))}` : String(bypassed.length),
    } : null,
  };
}

function listText(items) {
  return (items ?? []).map((c) => (typeof c === 'string' ? c : c && typeof c === 'object'
    ? [c.zone && c.tag ? `${c.zone}.${c.tag}` : c.tag ?? c.zone, c.op ?? c.operator, c.value ?? c.limit]
      .filter((p) => p !== undefined && p !== null).join(' ') || JSON.stringify(c)
    : String(c))).join(', ');
}

export function buildInterlocksView(interlockPoll, estopPoll, ui, i18n, { canAct, now }) {
  const all = interlocksOf(interlockPoll);
  // Abnormal first: tripped, then waiting for reset, then bypassed; then by id.
  const order = { TRIPPED: 0, RESET_NEEDED: 1 };
  const sorted = [...all].sort((a, b) => (order[a.state] ?? (a.bypass ? 2 : 3)) - (order[b.state] ?? (b.bypass ? 2 : 3))
    || String(a.id).localeCompare(String(b.id)));
  const pages = Math.max(1, Math.ceil(sorted.length / INTERLOCK_ROWS));
  const page = Math.min(ui.page, pages - 1);
  const estop = estopState(estopPoll, interlockPoll);
  return {
    available: interlockPoll.ok,
    status: interlockPoll.status,
    unavailableText: interlockPoll.ok ? '' : i18n.t(`poll.${interlockPoll.status}`, { what: i18n.t('il.service') }),
    estop: estop ? {
      state: estop.state,
      text: i18n.t('estop.line', { state: i18n.t(`estop.${estop.state}`) })
        + (estop.pressedAt ? ` · ${i18n.t('estop.since', { at: i18n.time(estop.pressedAt) })}` : ''),
      canReset: canAct && estop.state === 'RESET_NEEDED',
    } : { state: null, canReset: false,
      text: i18n.t('estop.unknown', { why: i18n.t(`poll.${estopPoll.status}`, { what: i18n.t('estop.service') }) }) },
    page,
    pages,
    pageText: i18n.t('alarms.page', { page: page + 1, pages }),
    rows: sorted.slice(page * INTERLOCK_ROWS, (page + 1) * INTERLOCK_ROWS).map((il) => ({
      id: il.id,
      text: il.text || il.id,
      state: il.state,
      stateText: i18n.t(`il.${il.state}`),
      firstOut: Boolean(il.firstOut),
      cause: il.cause ? i18n.t('il.cause', { cause: il.cause, at: il.trippedAt ? i18n.time(il.trippedAt) : '—' }) : '',
      rule: i18n.t('il.rule', { match: i18n.t(`il.match.${il.match ?? 'all'}`), conditions: listText(il.conditions),
        blocks: listText(il.blocks) || '—' }),
      bypass: il.bypass ? i18n.t('il.bypassed', {
        name: il.bypass.printedName || il.bypass.user, until: i18n.time(il.bypass.until),
        left: i18n.duration(Math.max(0, (il.bypass.until ?? now) - now)),
      }) : '',
      bypassed: Boolean(il.bypass),
      canReset: canAct && il.state === 'RESET_NEEDED',
      canBypass: canAct,
    })),
    emptyText: i18n.t('il.none'),
    loginText: canAct ? '' : i18n.t('alarms.loginToAct'),
    outcome: ui.outcome ? outcomeText(ui.outcome, i18n) : null,
    labels: { reset: i18n.t('il.reset'), bypass: i18n.t('il.bypass'), unbypass: i18n.t('il.unbypass'),
      estopReset: i18n.t('estop.reset'), firstOut: i18n.t('il.firstOut') },
  };
}

export function drawInterlocks(ctx, v, hits, pressedId) {
  ctx.fillStyle = COLOURS.background;
  ctx.fillRect(0, MAIN.y, SCREEN.w, MAIN.h);
  const state = (id, enabled = true) => (!enabled ? 'disabled' : pressedId === id ? 'pressed' : 'normal');

  // The E-stop line.
  const ey = MAIN.y + 3;
  const pressed = v.estop.state && v.estop.state !== 'CLEAR';
  ctx.fillStyle = pressed ? COLOURS.critical : COLOURS.panel;
  ctx.fillRect(4, ey, 470, 48);
  if (pressed) alarmShape(ctx, 'interlock', 12, ey + 12, 24);
  wrappedText(ctx, v.estop.text, pressed ? 44 : 14, v.estop.state ? ey + 30 : ey + 20, pressed ? 300 : 450, 17,
    { size: v.estop.state ? 15 : 13, weight: 'bold', colour: pressed ? '#ffffff' : COLOURS.text, maxLines: 2 });
  if (v.estop.state === 'RESET_NEEDED') {
    button(ctx, hits, 'estop:reset', 350, ey, 120, 48, v.labels.estopReset, { state: state('estop:reset', v.estop.canReset), size: 13 });
  }
  text(ctx, v.pageText, 590, ey + 30, { size: 13, colour: COLOURS.label, align: 'right' });
  button(ctx, hits, 'ipage:up', 636, ey, 76, 48, '▲', { state: state('ipage:up', v.page > 0), size: 20 });
  button(ctx, hits, 'ipage:down', 718, ey, 76, 48, '▼', { state: state('ipage:down', v.page < v.pages - 1), size: 20 });

  if (!v.available) {
    alarmShape(ctx, 'sensor', 20, ROWS_TOP + 16, 26);
    wrappedText(ctx, v.unavailableText, 56, ROWS_TOP + 36, 720, 22, { size: 17, weight: 'bold', maxLines: 3 });
  } else if (v.rows.length === 0) {
    text(ctx, v.emptyText, 20, ROWS_TOP + 36, { size: 17, colour: COLOURS.label });
  }
  v.rows.forEach((r, i) => drawRow(ctx, hits, r, v.labels, ROWS_TOP + i * ROW_H, state));

  const y = MAIN.y + MAIN.h - 10;
  if (v.outcome) {
    outcomeIcon(ctx, v.outcome.phase, 10, y - 14, 18);
    text(ctx, `${v.outcome.text}${v.outcome.detail ? ` — ${v.outcome.detail}` : ''}`, 36, y, { size: 13, weight: 'bold', maxWidth: SCREEN.w - 46 });
  } else if (v.loginText) {
    text(ctx, v.loginText, 10, y, { size: 13, colour: COLOURS.label });
  }
}

function drawRow(ctx, hits, r, labels, y, state) {
  const h = ROW_H - 4;
  ctx.fillStyle = COLOURS.panel;
  ctx.fillRect(4, y, SCREEN.w - 8, h);
  const abnormal = r.state === 'TRIPPED' ? COLOURS.critical : r.state === 'RESET_NEEDED' || r.bypassed ? COLOURS.high : null;
  if (abnormal) {
    ctx.strokeStyle = abnormal;
    ctx.lineWidth = 2;
    ctx.strokeRect(5, y + 1, SCREEN.w - 10, h - 2);
    ctx.fillStyle = abnormal;
    ctx.fillRect(4, y, 6, h);
  }
  if (r.state === 'TRIPPED') alarmShape(ctx, 'interlock', 16, y + 6, 20);
  else if (r.state === 'RESET_NEEDED' || r.bypassed) alarmShape(ctx, 'failsafe', 16, y + 6, 20);
  if (r.firstOut) {
    ctx.fillStyle = COLOURS.text;
    ctx.fillRect(12, y + 32, 30, 18);
    text(ctx, labels.firstOut, 27, y + 45, { size: 11, weight: 'bold', colour: '#ffffff', align: 'center' });
  }
  text(ctx, `${r.id} · ${r.stateText}`, 50, y + 16, { size: 12, weight: abnormal ? 'bold' : 'normal', maxWidth: 470 });
  text(ctx, r.text, 50, y + 34, { size: 14, weight: 'bold', maxWidth: 470 });
  text(ctx, r.bypass || r.cause || r.rule, 50, y + 51, {
    size: 11, weight: r.bypass ? 'bold' : 'normal', colour: r.bypass ? COLOURS.text : COLOURS.label, maxWidth: 470,
  });
  button(ctx, hits, `ilreset:${r.id}`, 528, y + 3, 126, h - 6, labels.reset, { state: state(`ilreset:${r.id}`, r.canReset), size: 13 });
  const bid = r.bypassed ? `unbypass:${r.id}` : `bypass:${r.id}`;
  button(ctx, hits, bid, 660, y + 3, 134, h - 6, r.bypassed ? labels.unbypass : labels.bypass, {
    state: state(bid, r.canBypass), size: 13,
  });
}
