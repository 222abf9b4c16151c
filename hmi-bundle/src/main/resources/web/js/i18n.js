// Texts, numbers and times in the operator's language. Spanish is the default; English is one
// touch away. Numbers follow the language: decimal comma in Spanish, point in English.

const TEXTS = {
  es: {
    'title': 'Vista general de planta',
    'feed.live': 'En vivo',
    'feed.connecting': 'Conectando…',
    'feed.lost': 'Sin conexión',
    'banner.connecting': 'Conectando con el servidor…',
    'banner.lostTitle': 'SIN CONEXIÓN CON EL SERVIDOR',
    'banner.lostSince': 'Valores no actualizados desde las {since}',
    'banner.lostNever': 'No hay valores en vivo',
    'banner.retry': 'reintento en {s} s',
    'banner.retryNow': 'reintentando…',
    'banner.restored': 'Conexión restablecida a las {at} (perdida durante {dur})',
    'zones.online': 'Zonas en línea: {n}/{total}',
    'zones.none': 'No hay zonas configuradas',
    'readonly': 'Solo lectura (sin token)',
    'state.online': 'EN LÍNEA',
    'state.failsafe': 'FAIL-SAFE',
    'state.offline': 'FUERA DE LÍNEA',
    'quality.STALE': 'OBSOLETO',
    'quality.BAD': 'SENSOR MAL',
    'quality.OFFLINE': 'SIN CONEXIÓN',
    'quality.NOFEED': 'SIN DATOS',
    'alarm.interlock': 'ENCLAVAMIENTO',
    'alarm.sensor': 'FALLO SENSOR',
    'alarm.failsafe': 'FAIL-SAFE',
    'label.pv': 'PV',
    'label.sv': 'SV',
    'label.out': 'SAL.',
    'label.mode': 'MODO',
    'mode.off': 'APAGADO',
    'mode.auto': 'AUTO',
    'mode.manual': 'MANUAL',
    'eq.heater': 'Resistencia',
    'eq.pump': 'Bomba',
    'eq.glycol_valve': 'Válv. glicol',
    'eq.valve': 'Válvula',
    'eq.compressor': 'Compresor',
    'eq.level': 'Nivel',
    'eq.agitator': 'Agitador',
    'on': 'ON',
    'off': 'OFF',
    'open': 'ABIERTA',
    'closed': 'CERRADA',
    'level.ok': 'OK',
    'level.low': 'BAJO',
    'fp.setpoint': 'Nueva consigna (SV)',
    'fp.limits': 'Límites: {min} … {max} {unit}',
    'fp.noLimits': 'Sin límites declarados',
    'fp.currentSv': 'SV actual',
    'fp.mode': 'Modo',
    'fp.reset': 'Rearmar fail-safe',
    'fp.events': 'Alarmas y enclavamientos activos',
    'fp.noEvents': 'Ninguno activo',
    'fp.reason': 'Motivo: {reason}',
    'fp.lastSeen': 'Último dato: {at}',
    'fp.firmware': 'Firmware {fw}',
    'fp.readonly': 'Solo lectura: abra el HMI con un token (#token=…) para poder escribir.',
    'fp.noSv': 'Esta zona no tiene una consigna escribible.',
    'fp.feedLost': 'Sin datos en vivo: escritura deshabilitada hasta reconectar.',
    'key.send': 'ENVIAR',
    'key.clear': 'C',
    'confirm.mode': '¿Cambiar el modo de {zone} a {mode}?',
    'confirm.reset': '¿Rearmar el fail-safe de {zone}?',
    'confirm.resetHint': 'El PLC solo lo acepta si la comunicación con el SCADA está sana.',
    'confirm.yes': 'Confirmar',
    'confirm.no': 'Cancelar',
    'write.sending': 'Enviado {what}: esperando confirmación del PLC…',
    'write.done': 'Confirmado por el PLC: {what}',
    'write.refused': 'Rechazado ({reason}): {what}',
    'write.unconfirmed': 'Sin confirmación ({reason}): {what}',
    'write.invalid': 'No enviado: {reason}',
    'what.sv': 'SV = {value}',
    'what.mode': 'modo {mode}',
    'what.reset': 'rearme de fail-safe',
    'reason.range': 'fuera de rango',
    'reason.read_only': 'solo lectura',
    'reason.interlock': 'enclavamiento activo',
    'reason.failsafe': 'zona en fail-safe',
    'reason.timeout': 'el PLC no respondió a tiempo; puede haberse aplicado o no',
    'reason.offline': 'zona fuera de línea, no se envió',
    'reason.not_sent': 'no se pudo enviar al PLC',
    'reason.auth': 'token no válido',
    'reason.network': 'sin respuesta del servidor; compruebe el valor',
    'reason.unknown': 'zona o variable desconocida',
    'reason.bad_request': 'petición no válida',
    'reason.busy': 'hay otra orden en curso',
    'reason.other': 'error',
    'reason.empty': 'escriba un valor',
    'why.heartbeat_timeout': 'sin latido del SCADA',
    'why.broker_lost': 'conexión con el broker perdida',
    'why.scada_offline': 'SCADA fuera de línea',
    'why.estop': 'paro de emergencia',
    'reason.nan': 'no es un número',
  },
  en: {
    'title': 'Plant overview',
    'feed.live': 'Live',
    'feed.connecting': 'Connecting…',
    'feed.lost': 'No connection',
    'banner.connecting': 'Connecting to the server…',
    'banner.lostTitle': 'CONNECTION TO THE SERVER LOST',
    'banner.lostSince': 'Values not updated since {since}',
    'banner.lostNever': 'No live values',
    'banner.retry': 'retry in {s} s',
    'banner.retryNow': 'retrying…',
    'banner.restored': 'Connection restored at {at} (lost for {dur})',
    'zones.online': 'Zones online: {n}/{total}',
    'zones.none': 'No zones configured',
    'readonly': 'Read-only (no token)',
    'state.online': 'ONLINE',
    'state.failsafe': 'FAIL-SAFE',
    'state.offline': 'OFFLINE',
    'quality.STALE': 'STALE',
    'quality.BAD': 'BAD SENSOR',
    'quality.OFFLINE': 'OFFLINE',
    'quality.NOFEED': 'NO DATA',
    'alarm.interlock': 'INTERLOCK',
    'alarm.sensor': 'SENSOR FAULT',
    'alarm.failsafe': 'FAIL-SAFE',
    'label.pv': 'PV',
    'label.sv': 'SV',
    'label.out': 'OUT',
    'label.mode': 'MODE',
    'mode.off': 'OFF',
    'mode.auto': 'AUTO',
    'mode.manual': 'MANUAL',
    'eq.heater': 'Heater',
    'eq.pump': 'Pump',
    'eq.glycol_valve': 'Glycol valve',
    'eq.valve': 'Valve',
    'eq.compressor': 'Compressor',
    'eq.level': 'Level',
    'eq.agitator': 'Agitator',
    'on': 'ON',
    'off': 'OFF',
    'open': 'OPEN',
    'closed': 'CLOSED',
    'level.ok': 'OK',
    'level.low': 'LOW',
    'fp.setpoint': 'New setpoint (SV)',
    'fp.limits': 'Limits: {min} … {max} {unit}',
    'fp.noLimits': 'No limits declared',
    'fp.currentSv': 'Current SV',
    'fp.mode': 'Mode',
    'fp.reset': 'Reset fail-safe',
    'fp.events': 'Active alarms and interlocks',
    'fp.noEvents': 'None active',
    'fp.reason': 'Reason: {reason}',
    'fp.lastSeen': 'Last data: {at}',
    'fp.firmware': 'Firmware {fw}',
    'fp.readonly': 'Read-only: open the HMI with a token (#token=…) to write.',
    'fp.noSv': 'This zone has no writable setpoint.',
    'fp.feedLost': 'No live data: writing disabled until reconnected.',
    'key.send': 'SEND',
    'key.clear': 'C',
    'confirm.mode': 'Change the mode of {zone} to {mode}?',
    'confirm.reset': 'Reset the fail-safe of {zone}?',
    'confirm.resetHint': 'The PLC accepts it only when its link to the SCADA is healthy.',
    'confirm.yes': 'Confirm',
    'confirm.no': 'Cancel',
    'write.sending': 'Sent {what}: waiting for the PLC to acknowledge…',
    'write.done': 'Acknowledged by the PLC: {what}',
    'write.refused': 'Refused ({reason}): {what}',
    'write.unconfirmed': 'Not confirmed ({reason}): {what}',
    'write.invalid': 'Not sent: {reason}',
    'what.sv': 'SV = {value}',
    'what.mode': 'mode {mode}',
    'what.reset': 'fail-safe reset',
    'reason.range': 'out of range',
    'reason.read_only': 'read-only',
    'reason.interlock': 'interlock active',
    'reason.failsafe': 'zone in fail-safe',
    'reason.timeout': 'the PLC did not answer in time; it may or may not have been applied',
    'reason.offline': 'zone offline, not sent',
    'reason.not_sent': 'could not be sent to the PLC',
    'reason.auth': 'token not valid',
    'reason.network': 'no answer from the server; check the value',
    'reason.unknown': 'unknown zone or tag',
    'reason.bad_request': 'invalid request',
    'reason.busy': 'another command is in progress',
    'reason.other': 'error',
    'reason.empty': 'type a value',
    'why.heartbeat_timeout': 'no heartbeat from the SCADA',
    'why.broker_lost': 'connection to the broker lost',
    'why.scada_offline': 'SCADA offline',
    'why.estop': 'emergency stop',
    'reason.nan': 'not a number',
  },
};

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

  /** Local wall-clock time, 24 h. */
  time(ms) {
    if (!ms) return '—';
    return new Intl.DateTimeFormat(LOCALES[this.lang], {
      hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false,
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
