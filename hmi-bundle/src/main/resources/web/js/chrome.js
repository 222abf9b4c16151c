// What every screen shows around its content. Top bar: E-stop (when not clear), the live-feed or
// alarm banner (one touch to the alarm list), active bypasses, who is logged in, the language.
// Bottom bar: the screens, then the system line (feed, zones, database sync) and the clock.

import { COLOURS, SCREEN, alarmShape, button, clippedText, outcomeIcon, text } from './draw-kit.js';

export const TOP_BAR_H = 48;
export const BOTTOM_BAR_H = 48;
export const MAIN = { y: TOP_BAR_H + 1, h: SCREEN.h - TOP_BAR_H - BOTTOM_BAR_H - 2 };
export const SCREENS = ['overview', 'alarms', 'batches', 'interlocks', 'system'];

const USER_W = 190;
const NAV_STEP = 78; // five screens leave the system line 400 px
const LANG_W = 92;
const ESTOP_W = 150;
const BYPASS_W = 104;

/** The shape and fill for an alarm priority: a shape for each, so colour is never the only cue. */
export function priorityShape(priority) {
  return { critical: 'interlock', high: 'failsafe', medium: 'sensor', low: 'offline' }[priority] ?? 'sensor';
}

export function priorityColour(priority) {
  return COLOURS[priority] ?? COLOURS.medium;
}

/** A priority badge: its shape in its colour with a letter, readable without colour. */
export function priorityBadge(ctx, priority, x, y, s = 20) {
  ctx.save();
  ctx.fillStyle = priorityColour(priority);
  ctx.strokeStyle = '#1e1e1e';
  ctx.lineWidth = 1.2;
  ctx.beginPath();
  if (priority === 'critical') {
    ctx.moveTo(x + s / 2, y); ctx.lineTo(x + s, y + s / 2); ctx.lineTo(x + s / 2, y + s); ctx.lineTo(x, y + s / 2);
  } else if (priority === 'high') {
    ctx.moveTo(x + s / 2, y); ctx.lineTo(x + s, y + s); ctx.lineTo(x, y + s);
  } else if (priority === 'medium') {
    ctx.rect(x + 1, y + 1, s - 2, s - 2);
  } else {
    ctx.arc(x + s / 2, y + s / 2, s / 2, 0, Math.PI * 2);
  }
  ctx.closePath();
  ctx.fill();
  ctx.stroke();
  const letter = { critical: '1', high: '2', medium: '3', low: '4' }[priority] ?? '?';
  text(ctx, letter, x + s / 2, y + s * (priority === 'high' ? 0.66 : 0.54), {
    size: s * 0.55, weight: 'bold', colour: priority === 'critical' ? '#ffffff' : '#111111', align: 'center',
    baseline: 'middle',
  });
  ctx.restore();
}

export function drawTopBar(ctx, view, hits, pressedId) {
  ctx.fillStyle = COLOURS.panel;
  ctx.fillRect(0, 0, SCREEN.w, TOP_BAR_H);
  let left = 0;
  let right = SCREEN.w - LANG_W - USER_W - 4;

  if (view.estop) {
    // Steady red with a stop sign and words: the E-stop outranks everything on the bar.
    ctx.fillStyle = COLOURS.critical;
    ctx.fillRect(0, 0, ESTOP_W, TOP_BAR_H);
    octagon(ctx, 8, 10, 28);
    text(ctx, view.estop.title, 42, 21, { size: 13, weight: 'bold', colour: '#ffffff', maxWidth: ESTOP_W - 46 });
    text(ctx, view.estop.detail, 42, 39, { size: 12, weight: 'bold', colour: '#ffffff', maxWidth: ESTOP_W - 46 });
    hits.add('nav:interlocks', 0, 0, ESTOP_W, TOP_BAR_H);
    left = ESTOP_W + 2;
  }
  if (view.bypass) {
    right -= BYPASS_W + 2;
    ctx.fillStyle = COLOURS.high;
    ctx.fillRect(right + 2, 0, BYPASS_W, TOP_BAR_H);
    ctx.strokeStyle = '#1e1e1e';
    ctx.lineWidth = 1.5;
    ctx.strokeRect(right + 3, 1, BYPASS_W - 2, TOP_BAR_H - 2);
    text(ctx, view.bypass.title, right + 2 + BYPASS_W / 2, 20, { size: 13, weight: 'bold', colour: '#111111', align: 'center', maxWidth: BYPASS_W - 8 });
    text(ctx, view.bypass.detail, right + 2 + BYPASS_W / 2, 38, { size: 12, colour: '#111111', align: 'center', maxWidth: BYPASS_W - 8 });
    hits.add('nav:interlocks', right + 2, 0, BYPASS_W, TOP_BAR_H);
  }
  drawBanner(ctx, view, hits, left, right - left, pressedId);
  drawUser(ctx, view.user, hits, SCREEN.w - LANG_W - USER_W - 2, pressedId);
  drawLang(ctx, view.lang, hits, pressedId);
  ctx.fillStyle = COLOURS.panelEdge;
  ctx.fillRect(0, TOP_BAR_H, SCREEN.w, 1);
}

function drawBanner(ctx, view, hits, x, w, pressedId) {
  const feed = view.feedBanner;
  if (feed && feed.kind === 'lost') {
    // The lost live feed outranks the alarms: nothing on screen is current.
    ctx.fillStyle = COLOURS.medium;
    ctx.fillRect(x, 0, w, TOP_BAR_H);
    ctx.strokeStyle = '#1e1e1e';
    ctx.lineWidth = 2;
    ctx.strokeRect(x + 1, 1, w - 2, TOP_BAR_H - 2);
    alarmShape(ctx, 'feed', x + 10, 10, 28);
    text(ctx, feed.title, x + 48, 21, { size: 15, weight: 'bold', colour: '#111111', maxWidth: w - 52 });
    text(ctx, feed.detail, x + 48, 40, { size: 12, colour: '#111111', maxWidth: w - 52 });
    return;
  }
  const a = view.alarm;
  if (pressedId === 'alarms') {
    ctx.fillStyle = COLOURS.buttonPressed;
    ctx.fillRect(x, 0, w, TOP_BAR_H);
  }
  hits.add('alarms', x, 0, w, TOP_BAR_H);
  if (a.top) {
    // Highest-priority unacknowledged alarm: framed in its colour, shape + priority word + text.
    ctx.fillStyle = priorityColour(a.top.priority);
    ctx.fillRect(x, 0, 8, TOP_BAR_H);
    ctx.strokeStyle = priorityColour(a.top.priority);
    ctx.lineWidth = 3;
    ctx.strokeRect(x + 1.5, 1.5, w - 3, TOP_BAR_H - 3);
    priorityBadge(ctx, a.top.priority, x + 14, 13, 22);
    text(ctx, `${a.top.priorityText} · ${a.top.zone}`, x + 44, 19, { size: 12, weight: 'bold', colour: COLOURS.text, maxWidth: w - 140 });
    text(ctx, a.top.text, x + 44, 38, { size: 14, weight: 'bold', colour: COLOURS.text, maxWidth: w - 140 });
    drawCounts(ctx, a.counts, x + w - 92, 88);
  } else if (view.feedBanner) {
    if (view.feedBanner.kind === 'restored') outcomeIcon(ctx, 'done', x + 12, 14, 20);
    text(ctx, view.feedBanner.title, x + (view.feedBanner.kind === 'restored' ? 40 : 12), 30,
      { size: 14, weight: 'bold', maxWidth: w - 50 });
  } else {
    text(ctx, 'BrewPi', x + 12, 22, { size: 12, weight: 'bold', colour: COLOURS.label });
    text(ctx, view.title, x + 12, 40, { size: 16, weight: 'bold', maxWidth: w - 110 });
    text(ctx, a.quietText, x + w - 8, 30, { size: 12, colour: COLOURS.label, align: 'right', maxWidth: 120 });
  }
}

/** Unacknowledged alarms per priority, as shape + number (four small columns). */
function drawCounts(ctx, counts, x, w) {
  const order = ['critical', 'high', 'medium', 'low'];
  const cw = w / 2;
  order.forEach((p, i) => {
    const cx = x + (i % 2) * cw;
    const cy = 6 + Math.floor(i / 2) * 19;
    priorityBadge(ctx, p, cx, cy, 15);
    text(ctx, String(counts[p] ?? 0), cx + 19, cy + 12, { size: 13, weight: 'bold', colour: counts[p] ? COLOURS.text : COLOURS.greyed });
  });
}

function drawUser(ctx, user, hits, x, pressedId) {
  button(ctx, hits, 'user', x, 0, USER_W, TOP_BAR_H, '', { state: pressedId === 'user' ? 'pressed' : 'normal' });
  personIcon(ctx, x + 10, 12, user.loggedIn);
  if (user.loggedIn) {
    text(ctx, user.name, x + 38, 21, { size: 14, weight: 'bold', maxWidth: USER_W - 44 });
    text(ctx, user.detail, x + 38, 39, { size: 12, colour: COLOURS.label, maxWidth: USER_W - 44 });
  } else {
    text(ctx, user.name, x + 38, 21, { size: 14, weight: 'bold', maxWidth: USER_W - 44 });
    text(ctx, user.detail, x + 38, 39, { size: 11, colour: COLOURS.label, maxWidth: USER_W - 44 });
  }
}

function personIcon(ctx, x, y, solid) {
  ctx.save();
  ctx.strokeStyle = COLOURS.text;
  ctx.fillStyle = solid ? COLOURS.text : 'transparent';
  ctx.lineWidth = 2;
  ctx.beginPath();
  ctx.arc(x + 10, y + 7, 6, 0, Math.PI * 2);
  if (solid) ctx.fill();
  ctx.stroke();
  ctx.beginPath();
  ctx.moveTo(x, y + 25);
  ctx.quadraticCurveTo(x + 10, y + 8, x + 20, y + 25);
  ctx.closePath();
  if (solid) ctx.fill();
  ctx.stroke();
  ctx.restore();
}

function drawLang(ctx, lang, hits, pressedId) {
  const x = SCREEN.w - LANG_W;
  button(ctx, hits, 'lang', x, 0, LANG_W, TOP_BAR_H, '', { state: pressedId === 'lang' ? 'pressed' : 'normal' });
  text(ctx, 'ES', x + 24, 30, { size: 17, weight: lang === 'es' ? 'bold' : 'normal', align: 'center',
    colour: lang === 'es' ? COLOURS.text : COLOURS.label });
  text(ctx, 'EN', x + LANG_W - 24, 30, { size: 17, weight: lang === 'en' ? 'bold' : 'normal', align: 'center',
    colour: lang === 'en' ? COLOURS.text : COLOURS.label });
  ctx.fillStyle = COLOURS.text;
  ctx.fillRect(lang === 'es' ? x + 12 : x + LANG_W - 36, 36, 24, 3);
}

function octagon(ctx, x, y, s) {
  ctx.save();
  ctx.fillStyle = '#ffffff';
  ctx.beginPath();
  for (let i = 0; i < 8; i++) {
    const angle = Math.PI / 8 + (i * Math.PI) / 4;
    const px = x + s / 2 + (s / 2) * Math.cos(angle);
    const py = y + s / 2 + (s / 2) * Math.sin(angle);
    if (i === 0) ctx.moveTo(px, py); else ctx.lineTo(px, py);
  }
  ctx.closePath();
  ctx.fill();
  ctx.fillStyle = COLOURS.critical;
  ctx.fillRect(x + 7, y + s / 2 - 3, s - 14, 6);
  ctx.restore();
}

export function drawBottomBar(ctx, view, hits, pressedId) {
  const y = SCREEN.h - BOTTOM_BAR_H;
  ctx.fillStyle = COLOURS.panel;
  ctx.fillRect(0, y, SCREEN.w, BOTTOM_BAR_H);
  ctx.fillStyle = COLOURS.panelEdge;
  ctx.fillRect(0, y, SCREEN.w, 1);
  view.nav.forEach((n, i) => {
    const id = `nav:${n.id}`;
    button(ctx, hits, id, 2 + i * NAV_STEP, y, NAV_STEP - 2, BOTTOM_BAR_H, n.label, {
      state: n.selected ? 'selected' : pressedId === id ? 'pressed' : 'normal', size: 13,
    });
  });
  const sx = 2 + view.nav.length * NAV_STEP + 6;
  const line1 = y + 15;
  const line2 = y + 35;
  // Line 1: the live feed and the zones; the clock at the right.
  if (view.feed === 'live') {
    ctx.fillStyle = COLOURS.text;
    ctx.beginPath();
    ctx.arc(sx + 6, line1, 5, 0, Math.PI * 2);
    ctx.fill();
  } else if (view.feed === 'lost') {
    alarmShape(ctx, 'feed', sx, line1 - 7, 14);
  } else {
    ctx.strokeStyle = COLOURS.label;
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.arc(sx + 6, line1, 5, 0, Math.PI * 2);
    ctx.stroke();
  }
  text(ctx, `${view.feedText} · ${view.zonesText}`, sx + 18, line1 + 1,
    { size: 12, weight: 'bold', baseline: 'middle', maxWidth: SCREEN.w - sx - 100 });
  text(ctx, view.time, SCREEN.w - 8, line1 + 1, { size: 14, weight: 'bold', align: 'right', baseline: 'middle' });
  // Line 2: the database sync backlog.
  let tx = sx;
  if (view.sync.abnormal) {
    alarmShape(ctx, 'sensor', sx, line2 - 7, 14);
    tx += 18;
  }
  clippedText(ctx, view.sync.text, tx, line2 + 1, SCREEN.w - tx - 6, {
    size: 11, weight: view.sync.abnormal ? 'bold' : 'normal', baseline: 'middle',
    colour: view.sync.abnormal ? COLOURS.text : COLOURS.label,
  });
}
