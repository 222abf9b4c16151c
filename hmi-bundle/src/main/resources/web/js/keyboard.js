// On-screen keyboards for the login and the signature: a letter keyboard (user names, reasons)
// and a PIN pad. Keys are at least 48x48 px; a PIN is never drawn, only its length as dots.

import { COLOURS, button, font, roundRect, text } from './draw-kit.js';

/** A field being typed: text with a length limit and the characters it accepts. */
export class TextField {
  constructor({ max = 64, allowed = /^[\s\S]$/ } = {}) {
    this.max = max;
    this.allowed = allowed;
    this.text = '';
  }

  /** key: one character, 'space', 'back' or 'clear' */
  press(key) {
    if (key === 'back') this.text = this.text.slice(0, -1);
    else if (key === 'clear') this.text = '';
    else {
      const ch = key === 'space' ? ' ' : key;
      if (ch.length === 1 && this.allowed.test(ch) && this.text.length < this.max) this.text += ch;
    }
  }

  set(value) {
    this.text = String(value ?? '').slice(0, this.max);
  }
}

/** Characters of a user name (lower-case, as the box spells them) and of a PIN. */
export const USER_CHARS = /^[a-z0-9._-]$/;
export const PIN_CHARS = /^[0-9]$/;
export const REASON_CHARS = /^[a-z0-9 .,;:()/ñáéíóúü_-]$/;

const LETTER_ROWS = [
  ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0', 'back'],
  ['q', 'w', 'e', 'r', 't', 'y', 'u', 'i', 'o', 'p', 'clear'],
  ['a', 's', 'd', 'f', 'g', 'h', 'j', 'k', 'l', 'ñ', '-'],
  ['z', 'x', 'c', 'v', 'b', 'n', 'm', ',', '.', '_', 'space'],
];
const KEY_LABEL = { back: '⌫', clear: 'C', space: '␣' };

/**
 * The letter keyboard over the full width: targets {@code <prefix>:<key>}.
 * @param area {x, y, w, h}
 */
export function drawLetterKeyboard(ctx, hits, prefix, area, pressedId, { accents = false } = {}) {
  const gap = 4;
  const rows = LETTER_ROWS.map((row) => row.filter((k) => accents || k !== 'ñ'));
  const kh = (area.h - gap * (rows.length - 1)) / rows.length;
  rows.forEach((row, r) => {
    const kw = (area.w - gap * (row.length - 1)) / row.length;
    row.forEach((key, c) => {
      const id = `${prefix}:${key}`;
      button(ctx, hits, id, area.x + c * (kw + gap), area.y + r * (kh + gap), kw, kh, KEY_LABEL[key] ?? key, {
        state: pressedId === id ? 'pressed' : 'normal', size: KEY_LABEL[key] ? 22 : 20, weight: 'normal',
      });
    });
  });
}

const PIN_ROWS = [['1', '2', '3'], ['4', '5', '6'], ['7', '8', '9'], ['clear', '0', 'back']];

/** The PIN pad: three columns of big keys, targets {@code <prefix>:<key>}. */
export function drawPinPad(ctx, hits, prefix, area, pressedId) {
  const gap = 4;
  const kw = (area.w - gap * 2) / 3;
  const kh = (area.h - gap * 3) / 4;
  PIN_ROWS.forEach((row, r) => row.forEach((key, c) => {
    const id = `${prefix}:${key}`;
    button(ctx, hits, id, area.x + c * (kw + gap), area.y + r * (kh + gap), kw, kh, KEY_LABEL[key] ?? key, {
      state: pressedId === id ? 'pressed' : 'normal', size: 22,
    });
  }));
}

/**
 * A field box the operator touches to type into it: its label above, the text (or dots for a
 * PIN), a caret when active. Target {@code id}.
 */
export function drawField(ctx, hits, id, { x, y, w, h }, { label, value, secret = false, active = false,
  placeholder = '' }) {
  text(ctx, label, x, y - 5, { size: 12, colour: COLOURS.label });
  roundRect(ctx, x, y, w, h, 4);
  ctx.fillStyle = '#f4f4f4';
  ctx.fill();
  ctx.lineWidth = active ? 3 : 1.5;
  ctx.strokeStyle = active ? COLOURS.buttonSelected : COLOURS.buttonEdge;
  ctx.stroke();
  const shown = secret ? '●'.repeat(value.length) : value;
  const mid = y + h / 2 + 1;
  if (shown) {
    text(ctx, shown, x + 10, mid, { size: secret ? 18 : 20, weight: 'bold', baseline: 'middle', maxWidth: w - 24 });
  } else if (placeholder) {
    text(ctx, placeholder, x + 18, mid, { size: 14, colour: COLOURS.greyed, baseline: 'middle', maxWidth: w - 20 });
  }
  if (active) {
    ctx.font = font(secret ? 18 : 20, 'bold');
    const cx = Math.min(x + w - 10, x + 12 + (shown ? ctx.measureText(shown).width : 0));
    ctx.fillStyle = COLOURS.text;
    ctx.fillRect(cx, y + 10, 2, h - 20);
  }
  hits.add(id, x, y, w, h);
}
