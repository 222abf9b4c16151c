// The plant overview: a P&ID-like picture of the brewhouse (top row) and the cellar with its
// glycol chiller (bottom row). First a view is built from the model (pure data: what each zone
// shows and whether it may be read as live), then it is drawn. The test hook returns the view.

import { valueStatus } from './model.js';
import { decimalsFor } from './i18n.js';
import {
  COLOURS, SCREEN, alarmShape, button, fitText, font, outcomeIcon, qualityMarker, roundRect, text, value,
} from './draw-kit.js';
import { MAIN } from './chrome.js';

const MAIN_TOP = MAIN.y + 1;
const MAIN_BOTTOM = MAIN.y + MAIN.h - 1;
const RESTORED_NOTICE_MS = 10000;

const BREWHOUSE_ORDER = ['hlt', 'mash', 'kettle'];
const CELLAR_ORDER = ['glycol', 'fv1', 'fv2'];
const CELLAR_TYPES = new Set(['fermenter', 'brite', 'glycol']);
const MAIN_TAGS = new Set(['pv', 'sv', 'out', 'mode']);

// ---------------------------------------------------------------------------------------------
// Layout

/** Which row a zone belongs to: known ids first, then by type. */
function rowOf(zone) {
  if (BREWHOUSE_ORDER.includes(zone.id)) return 'brewhouse';
  if (CELLAR_ORDER.includes(zone.id)) return 'cellar';
  return CELLAR_TYPES.has(zone.type) ? 'cellar' : 'brewhouse';
}

function orderKey(zone, known) {
  const i = known.indexOf(zone.id);
  if (i >= 0) return `0${i}`;
  return `${zone.type === 'glycol' ? '1' : '2'}${zone.id}`; // a second chiller still comes first
}

/**
 * Cells for the zones: two rows over the main area, each row split evenly among its zones.
 * @returns {Array<{zone: object, row: string, x: number, y: number, w: number, h: number}>}
 */
export function layoutZones(zones) {
  const rows = { brewhouse: [], cellar: [] };
  for (const zone of zones) rows[rowOf(zone)].push(zone);
  rows.brewhouse.sort((a, b) => orderKey(a, BREWHOUSE_ORDER).localeCompare(orderKey(b, BREWHOUSE_ORDER)));
  rows.cellar.sort((a, b) => orderKey(a, CELLAR_ORDER).localeCompare(orderKey(b, CELLAR_ORDER)));

  const rowH = (MAIN_BOTTOM - MAIN_TOP - 4) / 2;
  const cells = [];
  [['brewhouse', MAIN_TOP], ['cellar', MAIN_TOP + rowH + 4]].forEach(([row, y]) => {
    const list = rows[row];
    // At least three slots a row, so a plant with fewer zones keeps the same drawing.
    const slots = Math.max(3, list.length);
    const w = (SCREEN.w - 8 - 4 * (slots - 1)) / slots;
    list.forEach((zone, i) => cells.push({ zone, row, x: 4 + i * (w + 4), y, w, h: rowH }));
  });
  return cells;
}

// ---------------------------------------------------------------------------------------------
// View: what is shown, as data

function equipmentSymbol(tag) {
  if (tag === 'heater' || tag.startsWith('heater')) return 'heater';
  if (tag === 'pump' || tag.startsWith('pump')) return 'pump';
  if (tag.includes('valve')) return 'valve';
  if (tag === 'compressor') return 'compressor';
  if (tag === 'level' || tag.startsWith('level')) return 'level';
  return 'generic';
}

function boolText(symbol, on, i18n) {
  if (symbol === 'valve') return i18n.t(on ? 'open' : 'closed');
  if (symbol === 'level') return i18n.t(on ? 'level.ok' : 'level.low');
  return i18n.t(on ? 'on' : 'off');
}

function fieldView(zone, name, feedLive, i18n) {
  const tag = zone.tags[name];
  if (!tag) return null;
  const status = valueStatus(zone, tag, feedLive);
  let shown;
  if (tag.kind === 'enum' || name === 'mode') shown = name === 'mode' ? i18n.modeLabel(tag.value) : String(tag.value ?? '—');
  else if (tag.kind === 'bool') shown = tag.value == null ? '—' : i18n.t(tag.value ? 'on' : 'off');
  else shown = i18n.number(tag.value, decimalsFor(tag.unit));
  return {
    tag: name,
    raw: tag.value ?? null,
    text: shown,
    unit: i18n.unit(tag.unit),
    quality: tag.quality,
    greyed: status.greyed,
    marker: status.marker,
  };
}

function zoneView(zone, model, feedLive, i18n) {
  const values = {};
  for (const name of MAIN_TAGS) values[name] = fieldView(zone, name, feedLive, i18n);

  const equipment = [];
  const extras = [];
  for (const [name, tag] of Object.entries(zone.tags)) {
    if (MAIN_TAGS.has(name)) continue;
    const isBool = tag.kind === 'bool' || (tag.kind == null && typeof tag.value === 'boolean');
    if (isBool) {
      const symbol = equipmentSymbol(name);
      const status = valueStatus(zone, tag, feedLive);
      equipment.push({
        tag: name, symbol, label: i18n.tagLabel(name), on: tag.value === true,
        text: tag.value == null ? '—' : boolText(symbol, tag.value === true, i18n),
        greyed: status.greyed, marker: status.marker,
      });
    } else {
      extras.push({ ...fieldView(zone, name, feedLive, i18n), label: i18n.tagLabel(name) });
    }
  }
  // A stable order: heater, pump, valves, compressor, level, the rest by name.
  const rank = { heater: 0, pump: 1, valve: 2, compressor: 3, level: 4, generic: 5 };
  equipment.sort((a, b) => rank[a.symbol] - rank[b.symbol] || a.tag.localeCompare(b.tag));
  extras.sort((a, b) => a.tag.localeCompare(b.tag));

  const alarms = model.eventsOf(zone.id)
    .filter((e) => e.kind === 'interlock' || e.kind === 'sensor')
    .map((e) => ({ kind: e.kind, code: e.code, message: e.message ?? '', title: i18n.t(`alarm.${e.kind}`) }));
  alarms.sort((a, b) => (a.kind === 'interlock' ? 0 : 1) - (b.kind === 'interlock' ? 0 : 1));

  return {
    id: zone.id,
    label: zone.label,
    type: zone.type ?? 'generic',
    state: zone.state,
    stateText: i18n.t(`state.${zone.state}`),
    reason: i18n.stateReason(zone.reason),
    abnormal: zone.state === 'online' ? null : zone.state,
    stateKnown: feedLive,
    greyed: !feedLive || zone.state === 'offline',
    liquid: liquidLevel(zone, feedLive),
    values,
    equipment,
    extras,
    alarms,
  };
}

/** How full to draw the vessel (0..1) from its level tag, bool or analog; null when unknown. */
function liquidLevel(zone, feedLive) {
  const tag = zone.tags.level;
  if (!tag || valueStatus(zone, tag, feedLive).greyed) return null;
  if (typeof tag.value === 'boolean') return tag.value ? 0.7 : 0.12;
  if (typeof tag.value !== 'number') return null;
  const min = typeof tag.min === 'number' ? tag.min : 0;
  const max = typeof tag.max === 'number' && tag.max > min ? tag.max : 100;
  return Math.min(1, Math.max(0, (tag.value - min) / (max - min)));
}

function bannerView(feed, i18n, now) {
  if (feed.status === 'connecting') return { kind: 'connecting', title: i18n.t('banner.connecting'), detail: '' };
  if (feed.status === 'lost') {
    const retryIn = Math.ceil((feed.nextRetryAt - now) / 1000);
    return {
      kind: 'lost',
      title: i18n.t('banner.lostTitle'),
      detail: [
        feed.everLive ? i18n.t('banner.lostSince', { since: i18n.time(feed.lastLiveAt) }) : i18n.t('banner.lostNever'),
        retryIn > 0 ? i18n.t('banner.retry', { s: retryIn }) : i18n.t('banner.retryNow'),
      ].join(' · '),
    };
  }
  if (feed.restoredAt && now - feed.restoredAt < RESTORED_NOTICE_MS) {
    return {
      kind: 'restored',
      title: i18n.t('banner.restored', { at: i18n.time(feed.restoredAt), dur: i18n.duration(feed.lostFor) }),
      detail: '',
    };
  }
  return null;
}

/**
 * Everything the overview shows, as plain data.
 * @param feed {status, everLive, lastLiveAt, restoredAt, lostFor, nextRetryAt}
 */
export function buildOverviewView(model, feed, i18n, { now, readOnly }) {
  const feedLive = feed.status === 'live';
  const cells = layoutZones([...model.zones.values()]);
  const zones = cells.map((cell) => ({
    ...zoneView(cell.zone, model, feedLive, i18n),
    cell: { row: cell.row, x: cell.x, y: cell.y, w: cell.w, h: cell.h },
  }));
  const online = zones.filter((z) => z.state !== 'offline').length;
  return {
    lang: i18n.lang,
    feed: feed.status,
    banner: bannerView(feed, i18n, now),
    feedText: i18n.t(`feed.${feed.status}`),
    noZonesText: feedLive ? i18n.t('zones.none') : i18n.t(`feed.${feed.status}`),
    readOnly,
    readOnlyText: readOnly ? i18n.t('readonly') : '',
    labels: { pv: i18n.t('label.pv'), sv: i18n.t('label.sv'), out: i18n.t('label.out'), mode: i18n.t('label.mode') },
    zonesOnline: online,
    zonesTotal: zones.length,
    zonesText: i18n.t('zones.online', { n: feedLive ? online : '?', total: zones.length }),
    time: i18n.time(now),
    zones,
  };
}

// ---------------------------------------------------------------------------------------------
// Drawing

/** Draws the overview and registers its touch targets (one per zone). */
export function drawOverview(ctx, view, hits, pressedId) {
  ctx.fillStyle = COLOURS.background;
  ctx.fillRect(0, MAIN.y, SCREEN.w, MAIN.h);
  for (const zone of view.zones) drawZone(ctx, zone, view.labels, hits, pressedId === `zone:${zone.id}`);
  drawPipes(ctx, view); // over the panels: they run in the margins, between the vessels
  if (view.zones.length === 0) {
    text(ctx, view.noZonesText, SCREEN.w / 2, SCREEN.h / 2, { size: 20, colour: COLOURS.label, align: 'center' });
  }
}

// --- one zone ---

function drawZone(ctx, zone, labels, hits, pressed) {
  const { x, y, w, h } = zone.cell;
  roundRect(ctx, x, y, w, h, 6);
  ctx.fillStyle = pressed ? COLOURS.button : COLOURS.panel;
  ctx.fill();
  const known = zone.stateKnown;
  ctx.lineWidth = zone.abnormal === 'failsafe' ? 3 : 1.2;
  ctx.strokeStyle = zone.abnormal === 'failsafe' && known ? COLOURS.high : COLOURS.panelEdge;
  if (zone.abnormal === 'offline') ctx.setLineDash([6, 4]);
  ctx.stroke();
  ctx.setLineDash([]);
  hits.add(`zone:${zone.id}`, x, y, w, h);

  // First line: the name, as large as fits.
  fitText(ctx, zone.label, x + 10, y + 21, w - 20, [16, 15, 14, 13], { weight: 'bold' });
  // Second line: the zone's state (quiet text when online, a badge when not), then its most
  // important active alarm, or why it is in fail-safe.
  const dim = known ? COLOURS.text : COLOURS.greyed;
  const right = x + w - 8;
  let lx = x + 10;
  if (zone.abnormal) {
    alarmShape(ctx, zone.abnormal === 'failsafe' ? 'failsafe' : 'offline', lx, y + 27, 15, !known);
    lx += 20;
    text(ctx, zone.stateText, lx, y + 39, { size: 11, weight: 'bold', colour: dim });
    lx += measure(ctx, zone.stateText, 11, 'bold') + 10;
  } else {
    text(ctx, zone.stateText, lx, y + 39, { size: 11, colour: known ? COLOURS.label : COLOURS.greyed });
    lx += measure(ctx, zone.stateText, 11, 'normal') + 10;
  }
  const alarm = zone.alarms[0];
  if (alarm && right - lx > 40) {
    alarmShape(ctx, alarm.kind === 'interlock' ? 'interlock' : 'sensor', lx, y + 27, 14, !known);
    text(ctx, `${alarm.title}: ${alarm.code}`, lx + 18, y + 39, {
      size: 11, weight: 'bold', maxWidth: right - lx - 18, colour: dim,
    });
  } else if (zone.abnormal === 'failsafe' && zone.reason && right - lx > 40) {
    text(ctx, zone.reason, lx, y + 39, { size: 11, colour: COLOURS.label, maxWidth: right - lx });
  }

  drawVesselFor(ctx, zone, x + 8, y + 48, 70, h - 66);
  drawValues(ctx, zone, labels, x, y, w, h);
}

function measure(ctx, str, size, weight) {
  ctx.font = font(size, weight);
  return ctx.measureText(str).width;
}

function drawValues(ctx, zone, labels, x, y, w, h) {
  const labelX = x + 88;
  const valueRight = x + w - 46;
  const unitX = x + w - 42;
  const markerX = x + w - 22;
  const rows = [
    ['pv', 70, 25],
    ['sv', 93, 17],
    ['out', 114, 17],
    ['mode', 135, 15],
  ];
  for (const [name, dy, size] of rows) {
    const field = zone.values[name];
    if (!field) continue;
    text(ctx, labels[name], labelX, y + dy, { size: 12, colour: COLOURS.label });
    value(ctx, field.text, valueRight, y + dy, field, { size, weight: 'bold' });
    if (field.unit) text(ctx, field.unit, unitX, y + dy, { size: 13, colour: field.greyed ? COLOURS.greyed : COLOURS.label });
    if (field.marker) qualityMarker(ctx, field.marker, markerX, y + dy - 14, 16);
  }
  // Equipment from bool tags, then any other analog value, as long as there is room.
  let dy = 153;
  const limit = h - 14;
  for (const eq of zone.equipment) {
    if (dy > limit) break;
    drawEquipmentSymbol(ctx, eq.symbol, labelX + 6, y + dy - 5, 6, eq.on && !eq.greyed, eq.greyed);
    // The label gives way to the state: "Product valve" must never run into "CERRADA".
    const room = markerX - 4 - measure(ctx, eq.text, 12, 'bold') - 6 - (labelX + 16);
    fitText(ctx, eq.label, labelX + 16, y + dy, Math.max(20, room), [12, 11, 10],
      { colour: eq.greyed ? COLOURS.greyed : COLOURS.label });
    value(ctx, eq.text, markerX - 4, y + dy, eq, { size: 12, weight: 'bold' });
    if (eq.marker) qualityMarker(ctx, eq.marker, markerX, y + dy - 12, 14);
    dy += 17;
  }
  for (const extra of zone.extras) {
    if (dy > limit) break;
    text(ctx, extra.label, labelX, y + dy, { size: 12, colour: COLOURS.label, maxWidth: w - 180 });
    value(ctx, extra.text, valueRight, y + dy, extra, { size: 12 });
    if (extra.unit) text(ctx, extra.unit, unitX, y + dy, { size: 12, colour: COLOURS.label });
    if (extra.marker) qualityMarker(ctx, extra.marker, markerX, y + dy - 12, 14);
    dy += 17;
  }
}

// --- vessels and equipment symbols ---

function equipmentOf(zone, symbol) {
  return zone.equipment.find((e) => e.symbol === symbol) ?? null;
}

function drawVesselFor(ctx, zone, vx, vy, vw, vh) {
  if (zone.type === 'glycol') {
    drawChiller(ctx, zone, vx, vy, vw, vh);
    return;
  }
  const cone = zone.type === 'fermenter';
  const heater = equipmentOf(zone, 'heater');
  const bodyH = cone ? vh * 0.62 : vh * 0.8;
  const r = 10;
  // Liquid first, then the outline over it.
  if (zone.liquid !== null) {
    ctx.fillStyle = COLOURS.liquid;
    ctx.fillRect(vx + 2, vy + bodyH * (1 - zone.liquid), vw - 4, bodyH * zone.liquid);
  }
  ctx.beginPath();
  ctx.moveTo(vx, vy + r);
  ctx.quadraticCurveTo(vx + vw / 2, vy - r, vx + vw, vy + r);
  ctx.lineTo(vx + vw, vy + bodyH);
  if (cone) {
    ctx.lineTo(vx + vw / 2 + 6, vy + vh - 6);
    ctx.lineTo(vx + vw / 2 - 6, vy + vh - 6);
    ctx.lineTo(vx, vy + bodyH);
  } else {
    ctx.quadraticCurveTo(vx + vw / 2, vy + bodyH + 2 * r, vx, vy + bodyH);
  }
  ctx.closePath();
  ctx.lineWidth = 2;
  ctx.strokeStyle = zone.greyed ? COLOURS.greyed : COLOURS.vesselEdge;
  ctx.stroke();
  if (cone) {
    // The glycol jacket: bands on both sides of the cylinder.
    ctx.fillStyle = zone.greyed ? COLOURS.greyed : COLOURS.pipe;
    ctx.fillRect(vx - 4, vy + bodyH * 0.3, 4, bodyH * 0.5);
    ctx.fillRect(vx + vw, vy + bodyH * 0.3, 4, bodyH * 0.5);
  }
  if (heater) {
    drawHeaterCoil(ctx, vx + 10, vy + bodyH - 14, vw - 20, heater.on && !heater.greyed, heater.greyed);
  }
}

function drawChiller(ctx, zone, vx, vy, vw, vh) {
  const h = vh * 0.7;
  ctx.lineWidth = 2;
  ctx.strokeStyle = zone.greyed ? COLOURS.greyed : COLOURS.vesselEdge;
  ctx.fillStyle = COLOURS.vessel;
  ctx.fillRect(vx, vy + 6, vw, h);
  ctx.strokeRect(vx, vy + 6, vw, h);
  // Cooling coil.
  ctx.beginPath();
  for (let i = 0; i < 5; i++) {
    const yy = vy + 18 + i * (h - 28) / 4;
    ctx.moveTo(vx + 10, yy);
    ctx.lineTo(vx + vw - 10, yy);
  }
  ctx.lineWidth = 1;
  ctx.stroke();
  const compressor = equipmentOf(zone, 'compressor');
  if (compressor) drawEquipmentSymbol(ctx, 'compressor', vx + vw / 2, vy + h + 20, 10, compressor.on && !compressor.greyed, compressor.greyed);
}

function drawHeaterCoil(ctx, x, y, w, on, greyed) {
  ctx.save();
  ctx.strokeStyle = greyed ? COLOURS.greyed : on ? COLOURS.equipmentOn : COLOURS.pipe;
  ctx.lineWidth = on ? 3 : 1.5;
  ctx.beginPath();
  const steps = 6;
  ctx.moveTo(x, y);
  for (let i = 1; i <= steps; i++) ctx.lineTo(x + (w * i) / steps, y + (i % 2 ? -6 : 6));
  ctx.stroke();
  ctx.restore();
}

/** Equipment symbols: filled dark when running/open, hollow when stopped/closed. */
export function drawEquipmentSymbol(ctx, symbol, cx, cy, r, on, greyed) {
  ctx.save();
  const edge = greyed ? COLOURS.greyed : COLOURS.vesselEdge;
  ctx.strokeStyle = edge;
  ctx.fillStyle = on ? COLOURS.equipmentOn : COLOURS.panel;
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  switch (symbol) {
    case 'pump':
      ctx.arc(cx, cy, r, 0, Math.PI * 2);
      ctx.fill();
      ctx.stroke();
      ctx.beginPath();
      ctx.moveTo(cx - r * 0.45, cy - r * 0.6);
      ctx.lineTo(cx + r * 0.7, cy);
      ctx.lineTo(cx - r * 0.45, cy + r * 0.6);
      ctx.closePath();
      ctx.strokeStyle = on ? COLOURS.panel : edge;
      ctx.stroke();
      break;
    case 'valve':
      ctx.moveTo(cx - r, cy - r * 0.7);
      ctx.lineTo(cx + r, cy + r * 0.7);
      ctx.lineTo(cx + r, cy - r * 0.7);
      ctx.lineTo(cx - r, cy + r * 0.7);
      ctx.closePath();
      ctx.fill();
      ctx.stroke();
      break;
    case 'compressor':
      ctx.arc(cx, cy, r, 0, Math.PI * 2);
      ctx.fill();
      ctx.stroke();
      ctx.beginPath();
      ctx.moveTo(cx - r * 0.5, cy - r * 0.85);
      ctx.lineTo(cx + r, cy - r * 0.2);
      ctx.moveTo(cx - r * 0.5, cy + r * 0.85);
      ctx.lineTo(cx + r, cy + r * 0.2);
      ctx.strokeStyle = on ? COLOURS.panel : edge;
      ctx.stroke();
      break;
    case 'heater':
      ctx.rect(cx - r, cy - r * 0.7, r * 2, r * 1.4);
      ctx.fill();
      ctx.stroke();
      ctx.beginPath();
      ctx.moveTo(cx - r * 0.7, cy);
      ctx.lineTo(cx - r * 0.35, cy - r * 0.4);
      ctx.lineTo(cx, cy + r * 0.4);
      ctx.lineTo(cx + r * 0.35, cy - r * 0.4);
      ctx.lineTo(cx + r * 0.7, cy);
      ctx.strokeStyle = on ? COLOURS.panel : edge;
      ctx.stroke();
      break;
    case 'level':
      ctx.moveTo(cx - r, cy - r * 0.6);
      ctx.lineTo(cx + r, cy - r * 0.6);
      ctx.lineTo(cx, cy + r * 0.8);
      ctx.closePath();
      ctx.fill();
      ctx.stroke();
      break;
    default:
      ctx.rect(cx - r * 0.8, cy - r * 0.8, r * 1.6, r * 1.6);
      ctx.fill();
      ctx.stroke();
  }
  ctx.restore();
}

// --- pipes between zones ---

function drawPipes(ctx, view) {
  const brewhouse = view.zones.filter((z) => z.cell.row === 'brewhouse');
  const cellar = view.zones.filter((z) => z.cell.row === 'cellar');

  // Brewhouse: each vessel's outlet (through its pump, if it has one) to the next vessel's top.
  for (let i = 0; i + 1 < brewhouse.length; i++) {
    const from = brewhouse[i];
    const to = brewhouse[i + 1];
    const pump = equipmentOf(from, 'pump');
    const flow = Boolean(pump && pump.on && !pump.greyed);
    const outX = from.cell.x + 8 + 35;
    const pipeY = from.cell.y + from.cell.h - 8;
    const inX = to.cell.x + 4;
    const inY = to.cell.y + 62;
    pipe(ctx, [[outX, from.cell.y + from.cell.h - 22], [outX, pipeY], [inX, pipeY], [inX, inY], [inX + 12, inY]], flow);
    if (pump) drawEquipmentSymbol(ctx, 'pump', outX + 22, pipeY, 7, flow, pump.greyed);
  }

  // Cellar: glycol supply from the chiller along the row, a branch to each fermenter's jacket
  // through its glycol valve.
  const chiller = cellar.find((z) => z.type === 'glycol');
  if (!chiller) return;
  const circulating = ['pump', 'compressor'].some((s) => {
    const eq = equipmentOf(chiller, s);
    return eq && eq.on && !eq.greyed;
  });
  const users = cellar.filter((z) => z !== chiller);
  if (users.length === 0) return;
  const supplyY = chiller.cell.y + chiller.cell.h - 9;
  const startX = chiller.cell.x + 8 + 70;
  const outY = chiller.cell.y + 48 + (chiller.cell.h - 66) * 0.7 - 6;
  const endX = users[users.length - 1].cell.x + 6;
  pipe(ctx, [[startX, outY], [startX + 4, outY], [startX + 4, supplyY], [endX, supplyY]], circulating);
  for (const user of users) {
    const valve = user.equipment.find((e) => e.symbol === 'valve');
    const open = valve ? valve.on && !valve.greyed : true;
    const bx = user.cell.x + 6;
    const jacketY = user.cell.y + 48 + (user.cell.h - 66) * 0.62 * 0.55;
    pipe(ctx, [[bx, supplyY], [bx, jacketY], [bx + 6, jacketY]], circulating && open);
    if (valve) drawEquipmentSymbol(ctx, 'valve', bx, supplyY - 28, 6, open, valve.greyed);
  }
}

function pipe(ctx, points, flow) {
  ctx.save();
  ctx.strokeStyle = flow ? COLOURS.pipeFlow : COLOURS.pipe;
  ctx.lineWidth = flow ? 4 : 2;
  ctx.beginPath();
  ctx.moveTo(points[0][0], points[0][1]);
  for (const [px, py] of points.slice(1)) ctx.lineTo(px, py);
  ctx.stroke();
  ctx.restore();
}
