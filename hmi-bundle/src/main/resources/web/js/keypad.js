// The faceplate: a panel over the overview for one zone, with its values, the mode buttons, the
// fail-safe reset, the zone's active alarms, a big numeric keypad for the setpoint and the
// outcome of the last command. And the confirmation dialog used for modes and resets.

import { decimalsFor } from './i18n.js';
import {
  COLOURS, SCREEN, alarmShape, button, fitText, font, outcomeIcon, qualityMarker, roundRect, text, value,
  wrappedText,
} from './draw-kit.js';
import { MAIN, priorityBadge } from './chrome.js';

const MAX_CHARS = 8;

/** What the operator is typing on the keypad, in the current language's notation. */
export class KeypadEntry {
  constructor(i18n) {
    this.i18n = i18n;
    this.text = '';
  }

  /** key: '0'-'9', 'dec', 'neg', 'back', 'clear' */
  press(key) {
    const sep = this.i18n.decimalSeparator();
    if (/^[0-9]$/.test(key)) {
      if (this.text.replace('-', '').length < MAX_CHARS) this.text += key;
    } else if (key === 'dec') {
      if (this.text.includes(sep)) return;
      this.text += this.text === '' || this.text === '-' ? `0${sep}` : sep;
    } else if (key === 'neg') {
      this.text = this.text.startsWith('-') ? this.text.slice(1) : `-${this.text}`;
    } else if (key === 'back') {
      this.text = this.text.slice(0, -1);
    } else if (key === 'clear') {
      this.text = '';
    }
  }

  /** Keeps the typed number when the language (and so the decimal separator) changes. */
  relabel(fromSeparator) {
    this.text = this.text.replace(fromSeparator, this.i18n.decimalSeparator());
  }

  /**
   * Checks the typed value against the tag's limits before anything is sent.
   * @returns {{ok: true, value: number} | {ok: false, reason: 'empty'|'nan'|'range'}}
   */
  validate(tag) {
    const parsed = this.i18n.parseNumber(this.text);
    if (!parsed.ok) return parsed;
    const { min, max } = tag ?? {};
    if ((typeof min === 'number' && parsed.value < min) || (typeof max === 'number' && parsed.value > max)) {
      return { ok: false, reason: 'range', value: parsed.value };
    }
    return parsed;
  }
}

// ---------------------------------------------------------------------------------------------
// View

/**
 * What the faceplate shows, as data.
 * @param zoneView the zone's entry in the overview view
 * @param zone the zone from the model (tag limits, firmware...)
 * @param ui {entry, write, confirm, canWrite, feedLive}
 */
export function buildFaceplateView(zoneView, zone, ui, i18n) {
  const sv = zone.tags.sv;
  const mode = zone.tags.mode;
  const unit = i18n.unit(sv?.unit);
  const decimals = decimalsFor(sv?.unit);
  let disabled = null;
  if (!ui.canWrite) disabled = 'readonly';
  else if (!ui.feedLive) disabled = 'feedLost';
  const svWritable = Boolean(sv && sv.rw !== false);
  const limits = sv && (typeof sv.min === 'number' || typeof sv.max === 'number')
    ? {
      min: sv.min ?? null,
      max: sv.max ?? null,
      text: i18n.t('fp.limits', {
        min: typeof sv.min === 'number' ? i18n.number(sv.min, decimals) : '—',
        max: typeof sv.max === 'number' ? i18n.number(sv.max, decimals) : '—',
        unit,
      }),
    }
    : { min: null, max: null, text: i18n.t('fp.noLimits') };
  const currentMode = zoneView.values.mode;
  const modes = (mode?.values?.length ? mode.values : mode ? ['off', 'auto', 'manual'] : []).map((m) => ({
    value: m,
    label: i18n.modeLabel(m),
    selected: Boolean(currentMode && !currentMode.greyed && currentMode.raw === m),
  }));
  const write = ui.write && ui.write.zone === zone.id ? writeView(ui.write, i18n) : null;
  if (write && write.reason === 'range' && !write.detail) write.detail = limits.text;
  return {
    zone: zone.id,
    label: zoneView.label,
    state: zoneView.state,
    stateText: zoneView.stateText,
    abnormal: zoneView.abnormal,
    stateKnown: zoneView.stateKnown,
    reason: zoneView.reason,
    info: [
      zone.firmware ? i18n.t('fp.firmware', { fw: zone.firmware }) : null,
      zone.lastSeen ? i18n.t('fp.lastSeen', { at: i18n.time(zone.lastSeen) }) : null,
    ].filter(Boolean).join(' · '),
    values: zoneView.values,
    labels: { pv: i18n.t('label.pv'), sv: i18n.t('fp.currentSv'), out: i18n.t('label.out'), mode: i18n.t('fp.mode') },
    entry: ui.entry.text,
    entryUnit: unit,
    entryLabel: i18n.t('fp.setpoint'),
    decimalKey: i18n.decimalSeparator(),
    limits,
    svEnabled: !disabled && svWritable && !ui.busy,
    modeEnabled: !disabled && Boolean(mode && mode.rw !== false) && !ui.busy,
    resetEnabled: !disabled && !ui.busy,
    disabled: disabled ?? (svWritable ? null : 'noSv'),
    disabledText: disabled ? i18n.t(disabled === 'readonly' ? 'fp.readonly' : 'fp.feedLost')
      : svWritable ? '' : i18n.t('fp.noSv'),
    modes,
    showReset: zoneView.state === 'failsafe',
    resetLabel: i18n.t('fp.reset'),
    alarms: zoneView.alarms,
    alarmsTitle: i18n.t('fp.events'),
    noAlarmsText: i18n.t('fp.noEvents'),
    reasonText: zoneView.reason ? i18n.t('fp.reason', { reason: zoneView.reason }) : '',
    sendLabel: i18n.t('key.send'),
    write,
    confirm: ui.confirm ? confirmView(ui.confirm, zoneView, i18n) : null,
  };
}

function whatText(write, i18n) {
  if (write.kind === 'sv') {
    return i18n.t('what.sv', { value: `${i18n.number(write.value, decimalsFor(write.unit))} ${i18n.unit(write.unit)}`.trim() });
  }
  if (write.kind === 'mode') return i18n.t('what.mode', { mode: i18n.modeLabel(write.value) });
  return i18n.t('what.reset');
}

/**
 * write: {zone, kind: 'sv'|'mode'|'reset', value, phase, reason, message}; phase is 'invalid' (refused
 * here, not sent), 'sending', 'done' (acknowledged), 'refused' (answered no) or 'unconfirmed' (no
 * answer in time: it may or may not have happened).
 */
export function writeView(write, i18n) {
  let line;
  if (write.phase === 'invalid') {
    line = i18n.t('write.invalid', { reason: i18n.t(`reason.${write.reason}`) });
  } else if (write.phase === 'sending') {
    line = i18n.t('write.sending', { what: whatText(write, i18n) });
  } else if (write.phase === 'done') {
    line = i18n.t('write.done', { what: whatText(write, i18n) });
  } else if (write.phase === 'unconfirmed') {
    line = i18n.t('write.unconfirmed', { reason: i18n.t(`reason.${write.reason}`), what: whatText(write, i18n) });
  } else {
    line = i18n.t('write.refused', { reason: i18n.t(`reason.${write.reason}`), what: whatText(write, i18n) });
  }
  return {
    kind: write.kind,
    value: write.value ?? null,
    phase: write.phase,
    reason: write.reason ?? null,
    outcome: write.outcome ?? null,
    text: line,
    detail: write.message ?? '',
  };
}

function confirmView(confirm, zoneView, i18n) {
  if (confirm.kind === 'mode') {
    return {
      kind: 'mode', value: confirm.value,
      text: i18n.t('confirm.mode', { zone: zoneView.label, mode: i18n.modeLabel(confirm.value) }), hint: '',
      yes: i18n.t('confirm.yes'), no: i18n.t('confirm.no'),
    };
  }
  return {
    kind: 'reset', value: null,
    text: i18n.t('confirm.reset', { zone: zoneView.label }), hint: i18n.t('confirm.resetHint'),
    yes: i18n.t('confirm.yes'), no: i18n.t('confirm.no'),
  };
}

// ---------------------------------------------------------------------------------------------
// Drawing

const PANEL = { x: 6, y: MAIN.y + 2, w: SCREEN.w - 12, h: MAIN.h - 4 };
const LEFT = PANEL.x + 14;
const KEYS_X = 420;
const KEYS_W = PANEL.x + PANEL.w - 10 - KEYS_X;

const KEY_ROWS = [
  [['7', '7'], ['8', '8'], ['9', '9'], ['back', '⌫']],
  [['4', '4'], ['5', '5'], ['6', '6'], ['clear', 'C']],
  [['1', '1'], ['2', '2'], ['3', '3'], ['send', null]],
  [['neg', '±'], ['0', '0'], ['dec', null], null],
];

/** Draws the faceplate over the overview; what lies under it can no longer be touched. */
export function drawFaceplate(ctx, fp, hits, pressedId) {
  // The bars stay reachable (alarm banner, user, language, screens); the overview under it does not.
  hits.targets = hits.targets.filter((t) => !t.id.startsWith('zone:'));
  ctx.fillStyle = COLOURS.backdrop;
  ctx.fillRect(0, MAIN.y, SCREEN.w, MAIN.h);
  roundRect(ctx, PANEL.x, PANEL.y, PANEL.w, PANEL.h, 8);
  ctx.fillStyle = COLOURS.panel;
  ctx.fill();
  ctx.lineWidth = fp.abnormal === 'failsafe' ? 3 : 1.5;
  ctx.strokeStyle = fp.abnormal === 'failsafe' && fp.stateKnown ? COLOURS.high : COLOURS.buttonEdge;
  ctx.stroke();

  const state = (id) => (pressedId === id ? 'pressed' : 'normal');
  const top = PANEL.y;

  // Title, then the state and what the PLC is.
  fitText(ctx, fp.label, LEFT, top + 28, 330, [21, 19, 17, 15], { weight: 'bold' });
  let ix = LEFT;
  if (fp.abnormal) {
    alarmShape(ctx, fp.abnormal === 'failsafe' ? 'failsafe' : 'offline', ix, top + 34, 15, !fp.stateKnown);
    ix += 20;
    text(ctx, fp.stateText, ix, top + 46, {
      size: 12, weight: 'bold', colour: fp.stateKnown ? COLOURS.text : COLOURS.greyed,
    });
    ctx.font = font(12, 'bold');
  } else {
    text(ctx, fp.stateText, ix, top + 46, { size: 12, colour: COLOURS.label });
  }
  ix += ctx.measureText(fp.stateText).width + 10;
  text(ctx, fp.info, ix, top + 46, { size: 11, colour: COLOURS.label, maxWidth: LEFT + 380 - ix });

  // Values.
  const rows = [['pv', 84, 30], ['sv', 112, 19], ['out', 136, 17]];
  for (const [name, dy, size] of rows) {
    const field = fp.values[name];
    if (!field) continue;
    text(ctx, fp.labels[name], LEFT, top + dy, { size: 13, colour: COLOURS.label });
    value(ctx, field.text, LEFT + 250, top + dy, field, { size, weight: 'bold' });
    if (field.unit) text(ctx, field.unit, LEFT + 256, top + dy, { size: 14, colour: field.greyed ? COLOURS.greyed : COLOURS.label });
    if (field.marker) qualityMarker(ctx, field.marker, LEFT + 300, top + dy - 16, 18);
  }

  // Mode buttons (the current one selected), each asks for confirmation.
  if (fp.modes.length) {
    const modeField = fp.values.mode;
    text(ctx, fp.labels.mode, LEFT, top + 160, { size: 13, colour: COLOURS.label });
    if (modeField?.marker) qualityMarker(ctx, modeField.marker, LEFT + 60, top + 147, 16);
    const bw = Math.min(124, (380 - 8 * (fp.modes.length - 1)) / fp.modes.length);
    fp.modes.forEach((m, i) => {
      const id = `mode:${m.value}`;
      const st = m.selected ? 'selected' : fp.modeEnabled ? state(id) : 'disabled';
      // The current mode is not a target: there is nothing to change.
      button(ctx, hits, id, LEFT + i * (bw + 8), top + 168, bw, 54, m.label, {
        state: st, size: 16, enabled: fp.modeEnabled && !m.selected,
      });
    });
  }

  // Fail-safe: the reason and the reset button; otherwise the active alarms.
  let y = top + 236;
  if (fp.showReset) {
    button(ctx, hits, 'reset', LEFT, y, 210, 54, fp.resetLabel, {
      state: fp.resetEnabled ? state('reset') : 'disabled', size: 16,
    });
    wrappedText(ctx, fp.reasonText, LEFT + 220, y + 22, 160, 16, { size: 12, colour: COLOURS.label, maxLines: 2 });
    y += 64;
  }
  text(ctx, fp.alarmsTitle, LEFT, y + 12, { size: 12, colour: COLOURS.label });
  if (fp.alarms.length === 0) {
    text(ctx, fp.noAlarmsText, LEFT, y + 30, { size: 13, colour: COLOURS.label });
  } else {
    fp.alarms.slice(0, fp.showReset ? 1 : 3).forEach((a, i) => {
      if (a.priority) priorityBadge(ctx, a.priority, LEFT, y + 18 + i * 20, 15);
      else alarmShape(ctx, a.kind === 'interlock' ? 'interlock' : 'sensor', LEFT, y + 18 + i * 20, 15, !fp.stateKnown);
      text(ctx, `${a.title}: ${a.code} ${a.message}`, LEFT + 22, y + 30 + i * 20, { size: 12, weight: 'bold', maxWidth: 360 });
    });
  }

  // Outcome of the last command (or why writing is disabled).
  const statusY = PANEL.y + PANEL.h - 54;
  ctx.strokeStyle = COLOURS.panelEdge;
  ctx.lineWidth = 1;
  ctx.strokeRect(LEFT - 4, statusY - 4, 388, 50);
  if (fp.write) {
    outcomeIcon(ctx, fp.write.phase, LEFT + 2, statusY + 6, 20);
    const lines = wrappedText(ctx, fp.write.text, LEFT + 32, statusY + 12, 350, 14, { size: 12, weight: 'bold', maxLines: 3 });
    if (lines < 3 && fp.write.detail) {
      text(ctx, fp.write.detail, LEFT + 32, statusY + 12 + lines * 14, { size: 11, colour: COLOURS.label, maxWidth: 350 });
    }
  } else if (fp.disabledText) {
    wrappedText(ctx, fp.disabledText, LEFT + 4, statusY + 14, 370, 16, { size: 13, colour: COLOURS.label, maxLines: 2 });
  }

  // Close.
  button(ctx, hits, 'close', PANEL.x + PANEL.w - 62, PANEL.y + 6, 56, 48, '✕', { state: state('close'), size: 22 });

  drawKeypad(ctx, fp, hits, state);
}

function drawKeypad(ctx, fp, hits, state) {
  const top = PANEL.y;
  const enabled = fp.svEnabled;
  text(ctx, fp.entryLabel, KEYS_X, top + 20, { size: 13, colour: COLOURS.label });
  // The entry display.
  const displayW = KEYS_W - 66;
  ctx.fillStyle = enabled ? '#f4f4f4' : COLOURS.buttonDisabled;
  ctx.fillRect(KEYS_X, top + 28, displayW, 50);
  ctx.strokeStyle = COLOURS.buttonEdge;
  ctx.lineWidth = 1.5;
  ctx.strokeRect(KEYS_X, top + 28, displayW, 50);
  if (enabled) {
    text(ctx, fp.entry || ' ', KEYS_X + displayW - 46, top + 63, { size: 28, weight: 'bold', align: 'right' });
    text(ctx, fp.entryUnit, KEYS_X + displayW - 40, top + 63, { size: 15, colour: COLOURS.label });
  } else if (fp.disabledText) {
    wrappedText(ctx, fp.disabledText, KEYS_X + 8, top + 48, displayW - 16, 15, { size: 12, colour: COLOURS.label, maxLines: 2 });
  }
  text(ctx, fp.limits.text, KEYS_X, top + 96, { size: 13, weight: 'bold', colour: enabled ? COLOURS.text : COLOURS.greyed });

  const gap = 6;
  const kw = (KEYS_W - 3 * gap) / 4;
  const keysTop = top + 106;
  const kh = (PANEL.y + PANEL.h - 8 - keysTop - 3 * gap) / 4;
  KEY_ROWS.forEach((row, r) => {
    row.forEach((key, c) => {
      if (!key) return;
      const [name, label] = key;
      const x = KEYS_X + c * (kw + gap);
      const y = keysTop + r * (kh + gap);
      const id = `key:${name}`;
      if (name === 'send') {
        button(ctx, hits, id, x, y, kw, kh * 2 + gap, fp.sendLabel, {
          state: enabled ? state(id) : 'disabled', size: 17,
        });
        return;
      }
      button(ctx, hits, id, x, y, kw, kh, label ?? fp.decimalKey, {
        state: enabled ? state(id) : 'disabled', size: 26,
      });
    });
  });
}

/** The confirmation dialog: only its two buttons can be touched while it is open. */
export function drawConfirm(ctx, confirm, hits, pressedId) {
  hits.clear();
  ctx.fillStyle = COLOURS.backdrop;
  ctx.fillRect(0, 0, SCREEN.w, SCREEN.h);
  const w = 500;
  const h = confirm.hint ? 230 : 190;
  const x = (SCREEN.w - w) / 2;
  const y = (SCREEN.h - h) / 2;
  roundRect(ctx, x, y, w, h, 8);
  ctx.fillStyle = COLOURS.panel;
  ctx.fill();
  ctx.lineWidth = 2;
  ctx.strokeStyle = COLOURS.buttonEdge;
  ctx.stroke();
  wrappedText(ctx, confirm.text, x + 24, y + 44, w - 48, 26, { size: 20, weight: 'bold', maxLines: 2 });
  if (confirm.hint) wrappedText(ctx, confirm.hint, x + 24, y + 106, w - 48, 18, { size: 14, colour: COLOURS.label, maxLines: 2 });
  const state = (id) => (pressedId === id ? 'pressed' : 'normal');
  button(ctx, hits, 'confirm:no', x + 24, y + h - 84, 210, 62, confirm.no, { state: state('confirm:no'), size: 18 });
  button(ctx, hits, 'confirm:yes', x + w - 234, y + h - 84, 210, 62, confirm.yes, { state: state('confirm:yes'), size: 18 });
}
