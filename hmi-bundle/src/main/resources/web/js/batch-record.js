// A batch's record (GET /api/batches/{lot}): the recipe it ran (version and hash), its CCPs (MET /
// NOT MET / NO DATA), every state change with who, when and why, and the electronic signatures
// (recipe approval, batch release). The acts this person may do are at the bottom.

import { COLOURS, SCREEN, alarmShape, button, clippedText, outcomeIcon, text } from './draw-kit.js';
import { MAIN } from './chrome.js';
import { outcomeText } from './alarms.js';
import { batchActions } from './batches-screen.js';

export const RECORD_TABS = ['ccp', 'history', 'signatures'];
const PER_PAGE = { ccp: 4, history: 6, signatures: 4 };
const CONTENT = { y: MAIN.y + 56, h: 250 };
const ACTION_Y = MAIN.y + MAIN.h - 52;
const ACTION_X = { bcomplete: 392, bhold: 526, bresume: 526, babort: 660, brelease: 660 };

/** The limits of a CCP in words: "≥ 98,0 · 60 min seguidos", "10,0 … 22,0 · siempre". */
export function ccpLimits(cp, i18n) {
  if (!cp) return '';
  const n = (x) => i18n.number(Number(x), 1);
  const range = cp.min != null && cp.max != null ? `${n(cp.min)} … ${n(cp.max)}`
    : cp.min != null ? `≥ ${n(cp.min)}` : cp.max != null ? `≤ ${n(cp.max)}` : '—';
  return cp.mode === 'throughout' ? `${range} · ${i18n.t('ccp.throughout')}`
    : `${range} · ${i18n.t('ccp.hold', { min: cp.minutes })}`;
}

function signatureRow(title, s, i18n) {
  return {
    title,
    meaning: s.meaning,
    name: s.printedName || s.user,
    text: i18n.t('sig.row', { name: s.printedName || s.user, user: s.user,
      role: i18n.t(`role.${String(s.role ?? '').toLowerCase()}`), at: i18n.dateTime(s.time), meaning: s.meaning }),
    reason: i18n.t('sig.rowReason', { reason: s.reason ?? '' }),
    target: s.target ?? '',
  };
}

/**
 * @param poll the record's poller (GET /api/batches/{lot})
 * @param ui {lot, tab, page, outcome}
 */
export function buildRecordView(poll, ui, i18n, { rights }) {
  const b = poll.ok && poll.body && poll.body.lot === ui.lot ? poll.body : null;
  const tab = RECORD_TABS.includes(ui.tab) ? ui.tab : 'ccp';
  const labels = { back: i18n.t('btn.back'), ccp: i18n.t('rtab.ccp'), history: i18n.t('rtab.history'),
    signatures: i18n.t('rtab.signatures') };
  const base = { lot: ui.lot, tab, labels, outcome: ui.outcome ? outcomeText(ui.outcome, i18n) : null,
    loginText: rights.loggedIn ? '' : i18n.t('alarms.loginToAct') };
  if (!b) {
    return { ...base, available: false, page: 0, pages: 1, pageText: '', items: [], actions: [],
      title: `${i18n.t('b.lot')} ${ui.lot}`, subtitle: '',
      unavailableText: poll.status === 'waiting' || (poll.ok && poll.body?.lot !== ui.lot) ? i18n.t('poll.waiting')
        : poll.status === 'missing' ? i18n.t('b.unknown', { lot: ui.lot }) : i18n.t(`poll.${poll.status}`, { what: i18n.t('b.service') }) };
  }
  const recipe = b.recipe ?? {};
  const limits = new Map((recipe.criticalParameters ?? []).map((cp) => [cp.id, cp]));
  const ccp = (b.ccp ?? []).map((c) => ({
    id: c.id,
    status: c.status,
    statusText: i18n.t(`ccp.${c.status}`),
    abnormal: c.status !== 'MET',
    where: `${c.zone}.${c.tag}`,
    limits: ccpLimits(limits.get(c.id), i18n),
    detail: c.detail ?? '',
    hazard: limits.get(c.id)?.hazard ?? '',
  }));
  const history = (b.history ?? []).map((e) => ({
    seq: e.seq,
    event: e.event,
    signed: Boolean(e.signature),
    line: i18n.t('hist.line', { at: i18n.dateTime(e.time), event: i18n.t(`bevent.${e.event}`),
      change: e.from ? `${e.from} → ${e.to}` : `→ ${e.to}`, name: e.printedName || e.actor, user: e.actor }),
    reason: e.reason ? i18n.t('hist.reason', { reason: e.reason }) : i18n.t('hist.noReason'),
  }));
  const signatures = [];
  if (recipe.approval) signatures.push(signatureRow(i18n.t('sig.approvalTitle', { id: recipe.id, version: recipe.version }), recipe.approval, i18n));
  if (b.release) signatures.push(signatureRow(i18n.t('sig.releaseTitle', { lot: b.lot }), b.release, i18n));
  const lists = { ccp, history, signatures };
  const items = lists[tab];
  const per = PER_PAGE[tab];
  const pages = Math.max(1, Math.ceil(items.length / per));
  const page = Math.min(ui.page ?? 0, pages - 1);
  const active = b.state === 'RUNNING' || b.state === 'HELD';
  return {
    ...base,
    available: true,
    state: b.state,
    stateText: i18n.t(`bstate.${b.state}`),
    title: `${i18n.t('b.lot')} ${b.lot}`,
    subtitle: [`${recipe.name || recipe.id} v${recipe.version}`, b.state === 'COMPLETE' ? i18n.t('b.awaitingRelease') : null,
      b.state === 'RELEASED' && b.deviation ? i18n.t('bstate.withDeviation') : null].filter(Boolean).join(' · '),
    info: [
      i18n.t('rec.recipe', { id: recipe.id, version: recipe.version, sha: String(recipe.sha256 ?? '').slice(0, 16) }),
      [i18n.t('b.startedShort', { at: i18n.dateTime(b.startedAt) }),
        b.endedAt ? i18n.t('b.ended', { at: i18n.dateTime(b.endedAt) }) : null,
        i18n.t('b.zones', { zones: (b.zones ?? []).join(', ') || '—' })].filter(Boolean).join(' · '),
      !ccp.length ? i18n.t('rec.noCcp') : active ? i18n.t('rec.ccpLive')
        : i18n.t('rec.ccpAt', { at: i18n.dateTime(b.ccpEvaluatedAt) }),
    ],
    deviation: b.deviation ? i18n.t('rec.deviation', { text: b.deviation }) : '',
    ccp,
    history,
    signatures,
    items: items.slice(page * per, (page + 1) * per),
    emptyText: i18n.t(`rec.none.${tab}`),
    page,
    pages,
    pageText: i18n.t('alarms.page', { page: page + 1, pages }),
    actions: batchActions(b.state, rights, i18n, { record: true }),
  };
}

export function drawRecord(ctx, v, hits, pressedId) {
  ctx.fillStyle = COLOURS.background;
  ctx.fillRect(0, MAIN.y, SCREEN.w, MAIN.h);
  const state = (id, enabled = true) => (!enabled ? 'disabled' : pressedId === id ? 'pressed' : 'normal');
  const y0 = MAIN.y + 3;
  button(ctx, hits, 'bback', 6, y0, 100, 48, v.labels.back, { state: state('bback'), size: 15 });
  clippedText(ctx, `${v.title}${v.stateText ? ` · ${v.stateText}` : ''}`, 116, y0 + 21, 360, { size: 15, weight: 'bold' });
  clippedText(ctx, v.subtitle, 116, y0 + 41, 360, { size: 13, colour: COLOURS.label });
  RECORD_TABS.forEach((t, i) => {
    const id = `rtab:${t}`;
    button(ctx, hits, id, 484 + i * 104, y0, 100, 48, v.labels[t], {
      state: v.tab === t ? 'selected' : pressedId === id ? 'pressed' : 'normal', size: 14,
    });
  });

  if (!v.available) {
    text(ctx, v.unavailableText, 20, CONTENT.y + 36, { size: 17, weight: 'bold', maxWidth: 760 });
  } else if (v.tab === 'ccp') {
    drawCcps(ctx, v);
  } else if (v.tab === 'history') {
    if (!v.items.length) text(ctx, v.emptyText, 20, CONTENT.y + 30, { size: 15, colour: COLOURS.label });
    v.items.forEach((e, i) => {
      const y = CONTENT.y + i * 41;
      ctx.fillStyle = COLOURS.panel;
      ctx.fillRect(4, y, SCREEN.w - 8, 38);
      if (e.signed) signedMark(ctx, 12, y + 9);
      clippedText(ctx, e.line, e.signed ? 40 : 14, y + 16, SCREEN.w - (e.signed ? 54 : 28), { size: 13, weight: 'bold' });
      clippedText(ctx, e.reason, e.signed ? 40 : 14, y + 33, SCREEN.w - (e.signed ? 54 : 28), { size: 12, colour: COLOURS.label });
    });
  } else {
    if (!v.items.length) text(ctx, v.emptyText, 20, CONTENT.y + 30, { size: 15, colour: COLOURS.label });
    v.items.forEach((s, i) => {
      const y = CONTENT.y + i * 62;
      ctx.fillStyle = COLOURS.panel;
      ctx.fillRect(4, y, SCREEN.w - 8, 58);
      signedMark(ctx, 12, y + 8);
      clippedText(ctx, s.title, 40, y + 18, SCREEN.w - 54, { size: 14, weight: 'bold' });
      clippedText(ctx, s.text, 40, y + 35, SCREEN.w - 54, { size: 12 });
      clippedText(ctx, `${s.reason} · ${s.target}`, 40, y + 52, SCREEN.w - 54, { size: 12, colour: COLOURS.label });
    });
  }

  // The outcome on its own line, then paging and the acts.
  if (v.outcome) {
    outcomeIcon(ctx, v.outcome.phase, 10, ACTION_Y - 22, 16);
    clippedText(ctx, `${v.outcome.text}${v.outcome.detail ? ` — ${v.outcome.detail}` : ''}`, 32, ACTION_Y - 9,
      SCREEN.w - 42, { size: 13, weight: 'bold' });
  } else if (v.loginText) {
    text(ctx, v.loginText, 10, ACTION_Y - 9, { size: 13, colour: COLOURS.label });
  }
  button(ctx, hits, 'rpage:up', 6, ACTION_Y, 64, 48, '▲', { state: state('rpage:up', v.page > 0), size: 20 });
  button(ctx, hits, 'rpage:down', 74, ACTION_Y, 64, 48, '▼', { state: state('rpage:down', v.page < v.pages - 1), size: 20 });
  text(ctx, v.pageText, 146, ACTION_Y + 30, { size: 13, colour: COLOURS.label });
  // Each act in its own place, so none moves under a finger when the state changes.
  v.actions.forEach((a) => {
    const id = `${a.act}:${v.lot}`;
    button(ctx, hits, id, ACTION_X[a.act], ACTION_Y, 130, 48, a.label, { state: state(id), size: 14 });
  });
}

function drawCcps(ctx, v) {
  const top = CONTENT.y;
  ctx.fillStyle = COLOURS.panel;
  ctx.fillRect(4, top, SCREEN.w - 8, v.deviation ? 74 : 58);
  v.info.forEach((line, i) => clippedText(ctx, line, 14, top + 17 + i * 18, SCREEN.w - 28, { size: 12, weight: i === 0 ? 'bold' : 'normal' }));
  if (v.deviation) clippedText(ctx, v.deviation, 14, top + 68, SCREEN.w - 28, { size: 12, weight: 'bold' });
  const y0 = top + (v.deviation ? 78 : 62);
  if (!v.items.length) text(ctx, v.emptyText, 20, y0 + 30, { size: 15, colour: COLOURS.label });
  const rowH = v.deviation ? 42 : 46;
  v.items.forEach((c, i) => {
    const y = y0 + i * rowH;
    const h = rowH - 4;
    ctx.fillStyle = COLOURS.panel;
    ctx.fillRect(4, y, SCREEN.w - 8, h);
    // ISA-101: a met CCP is plain grey; not met (orange) and no data (yellow) are framed, shaped and worded.
    const colour = c.status === 'NOT_MET' ? COLOURS.high : c.status === 'NO_DATA' ? COLOURS.medium : null;
    if (colour) {
      ctx.strokeStyle = colour;
      ctx.lineWidth = 2;
      ctx.strokeRect(5, y + 1, SCREEN.w - 10, h - 2);
      ctx.fillStyle = colour;
      ctx.fillRect(4, y, 6, h);
      alarmShape(ctx, c.status === 'NOT_MET' ? 'failsafe' : 'sensor', 16, y + 9, 20);
    } else {
      outcomeIcon(ctx, 'done', 18, y + 11, 16);
    }
    text(ctx, c.statusText, 44, y + 17, { size: 13, weight: 'bold', maxWidth: 130 });
    text(ctx, c.id, 44, y + 34, { size: 12, colour: COLOURS.label, maxWidth: 130 });
    clippedText(ctx, `${c.where} · ${c.limits}`, 184, y + 17, SCREEN.w - 198, { size: 13, weight: 'bold' });
    clippedText(ctx, c.detail || c.hazard, 184, y + 34, SCREEN.w - 198, { size: 12, colour: COLOURS.label });
  });
}

/** A handwritten stroke over a line: this entry carries an electronic signature. */
function signedMark(ctx, x, y) {
  ctx.save();
  ctx.strokeStyle = COLOURS.text;
  ctx.lineWidth = 2;
  ctx.lineCap = 'round';
  ctx.beginPath();
  ctx.moveTo(x, y + 12);
  ctx.bezierCurveTo(x + 3, y, x + 7, y, x + 7, y + 8);
  ctx.bezierCurveTo(x + 7, y + 16, x + 12, y + 14, x + 14, y + 6);
  ctx.bezierCurveTo(x + 15, y + 2, x + 18, y + 4, x + 21, y + 9);
  ctx.moveTo(x, y + 19);
  ctx.lineTo(x + 22, y + 19);
  ctx.stroke();
  ctx.restore();
}
