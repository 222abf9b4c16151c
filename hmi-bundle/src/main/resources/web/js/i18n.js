// Texts, numbers and times in the operator's language. Spanish is the default; English is one
// touch away. Numbers follow the language: decimal comma in Spanish, point in English.

import { ES } from './texts-es.js';
import { EN } from './texts-en.js';

const TEXTS = { es: ES, en: EN };

const UNITS = { degC: '°C', degF: '°F', pct: '%', '%': '%', bar: 'bar', l: 'L', L: 'L', 'l/min': 'L/min' };
const LOCALES = { es: 'es-ES', en: 'en-GB' };
const STORAGE_KEY = 'brewpi.hmi.lang';

export const LANGUAGES = Object.keys(TEXTS);

export class I18n {
  /** @param storage something with getItem/setItem (localStorage in the browser), may be null */
  constructor(storage) {
    this.storage = storage;
    const saved = storage ? storage.getItem(STORAGE_KEY) : null;
    this.lang = LANGUAGES.includes(saved) ? saved : 'es';
  }

  setLanguage(lang) {
    if (!LANGUAGES.includes(lang)) return;
    this.lang = lang;
    if (this.storage) this.storage.setItem(STORAGE_KEY, lang);
  }

  toggle() {
    this.setLanguage(this.lang === 'es' ? 'en' : 'es');
  }

  /** The text for a key with {placeholders} filled in; an unknown key shows itself (easy to spot). */
  t(key, params = {}) {
    const text = TEXTS[this.lang][key] ?? TEXTS.es[key] ?? key;
    return text.replace(/\{(\w+)\}/g, (_, name) => (name in params ? String(params[name]) : `{${name}}`));
  }

  has(key) {
    return key in TEXTS[this.lang];
  }

  decimalSeparator() {
    return this.lang === 'es' ? ',' : '.';
  }

  /** A number with a fixed count of decimals, no thousands grouping (stable width, no jumps). */
  number(value, decimals = 1) {
    if (typeof value !== 'number' || !Number.isFinite(value)) return '—';
    return new Intl.NumberFormat(LOCALES[this.lang], {
      minimumFractionDigits: decimals,
      maximumFractionDigits: decimals,
      useGrouping: false,
    }).format(value);
  }

  /**
   * Reads what the operator typed on the keypad. Only digits, one separator of the current
   * language and a leading minus are accepted; anything else is not a number.
   */
  parseNumber(text) {
    const sep = this.decimalSeparator();
    const trimmed = String(text ?? '').trim();
    if (trimmed === '') return { ok: false, reason: 'empty' };
    const escaped = sep === '.' ? '\\.' : sep;
    const pattern = new RegExp(`^-?(\\d+(${escaped}\\d*)?|${escaped}\\d+)$`);
    if (!pattern.test(trimmed)) return { ok: false, reason: 'nan' };
    const value = Number(trimmed.replace(sep, '.'));
    return Number.isFinite(value) ? { ok: true, value } : { ok: false, reason: 'nan' };
  }

  unit(unit) {
    if (unit == null) return '';
    return UNITS[unit] ?? unit;
  }

  /** A count with thousands grouped as the language does it: 12.345 / 12,345. */
  count(n) {
    if (typeof n !== 'number' || !Number.isFinite(n)) return '—';
    return new Intl.NumberFormat(LOCALES[this.lang], { maximumFractionDigits: 0, useGrouping: 'always' }).format(n);
  }

  /** Local wall-clock time, 24 h. */
  time(ms) {
    if (!ms) return '—';
    return new Intl.DateTimeFormat(LOCALES[this.lang], {
      hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false,
    }).format(new Date(ms));
  }

  /** Day and time, 24 h ("28/11/2026 10:02:03"): batch records outlive the day. */
  dateTime(ms) {
    if (!ms) return '—';
    return new Intl.DateTimeFormat(LOCALES[this.lang], {
      day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false,
    }).format(new Date(ms));
  }

  /** A short duration: "12 s", "3 min 5 s", "2 h 4 min". */
  duration(ms) {
    const s = Math.max(0, Math.round(ms / 1000));
    if (s < 60) return `${s} s`;
    const m = Math.floor(s / 60);
    if (m < 60) return `${m} min ${s % 60} s`;
    return `${Math.floor(m / 60)} h ${m % 60} min`;
  }

  /** A duration to the coarsest unit that matters: "12 s", "3 min", "2 h 4 min". */
  roughDuration(ms) {
    const s = Math.max(0, Math.round(ms / 1000));
    return s < 60 ? `${s} s` : s < 3600 ? `${Math.floor(s / 60)} min` : this.duration(ms);
  }

  /** A tag name for display when no translation exists: "glycol_valve" -> "Glycol valve". */
  tagLabel(tag) {
    const key = `eq.${tag}`;
    if (this.has(key)) return this.t(key);
    const words = String(tag).replace(/[_-]+/g, ' ');
    return words.charAt(0).toUpperCase() + words.slice(1);
  }

  /** Why a zone is in its state: a known protocol reason in words, anything else as sent. */
  stateReason(code) {
    if (code == null || code === '') return null;
    return this.has(`why.${code}`) ? this.t(`why.${code}`) : String(code);
  }

  modeLabel(mode) {
    if (mode == null) return '—';
    const key = `mode.${mode}`;
    return this.has(key) ? this.t(key) : String(mode).toUpperCase();
  }
}

/** How many decimals a unit deserves on the overview. */
export function decimalsFor(unit) {
  if (unit === '%' || unit === 'pct') return 0;
  if (unit === 'bar') return 2;
  return 1;
}
