// Zones as the box sends them (the contract of /api/live), for the tests.

export function tag(value, extra = {}) {
  return { value, quality: 'GOOD', plcTime: 1000, time: 2000, ...extra };
}

export function fermenter(id = 'fv1', overrides = {}) {
  return {
    id,
    label: id.toUpperCase(),
    type: 'fermenter',
    driver: 'mqtt',
    state: 'online',
    reason: null,
    lastSeen: 2000,
    firmware: '1.0.0',
    boot: 31337,
    periodMs: 1000,
    failsafe: 'hold_last',
    tags: {
      pv: tag(18.25, { kind: 'analog', unit: 'degC', min: -5, max: 40, rw: false }),
      sv: tag(18, { kind: 'analog', unit: 'degC', min: -2, max: 30, rw: true }),
      out: tag(12.5, { kind: 'analog', unit: '%', min: -100, max: 100, rw: false }),
      mode: tag('auto', { kind: 'enum', values: ['off', 'auto', 'manual'], rw: true }),
      glycol_valve: tag(true, { kind: 'bool', rw: true }),
    },
    counters: {},
    ...overrides,
  };
}

export function hlt(overrides = {}) {
  return {
    ...fermenter('hlt'),
    label: 'HLT',
    type: 'hlt',
    failsafe: 'off',
    tags: {
      pv: tag(74.2, { kind: 'analog', unit: 'degC', min: 0, max: 100, rw: false }),
      sv: tag(75, { kind: 'analog', unit: 'degC', min: 0, max: 85, rw: true }),
      out: tag(38, { kind: 'analog', unit: '%', min: 0, max: 100, rw: false }),
      mode: tag('auto', { kind: 'enum', values: ['off', 'auto', 'manual'], rw: true }),
      heater: tag(true, { kind: 'bool', rw: false }),
      level: tag(true, { kind: 'bool', rw: false }),
    },
    ...overrides,
  };
}

export function demoPlant() {
  return [
    hlt(),
    { ...hlt(), id: 'mash', label: 'Mash', type: 'mash' },
    { ...hlt(), id: 'kettle', label: 'Kettle', type: 'kettle' },
    { ...fermenter('glycol'), label: 'Glycol', type: 'glycol' },
    fermenter('fv1'),
    fermenter('fv2'),
  ];
}

/** localStorage stand-in. */
export function memoryStorage(initial = {}) {
  const data = new Map(Object.entries(initial));
  return {
    getItem: (k) => (data.has(k) ? data.get(k) : null),
    setItem: (k, v) => data.set(k, String(v)),
    removeItem: (k) => data.delete(k),
  };
}

/**
 * A 2D context that accepts every drawing call and records the text drawn: enough to run the
 * drawing code under Node and see what it wrote where.
 */
export function recordingContext() {
  const texts = [];
  const state = { font: '10px sans-serif', fillStyle: '#000', strokeStyle: '#000' };
  const ctx = new Proxy(state, {
    get(target, prop) {
      if (prop === 'texts') return texts;
      if (prop === 'fillText') return (str, x, y) => texts.push({ str: String(str), x, y, colour: target.fillStyle });
      if (prop === 'measureText') return (str) => ({ width: String(str).length * 7 });
      if (prop in target) return target[prop];
      return () => {};
    },
    set(target, prop, value) {
      target[prop] = value;
      return true;
    },
  });
  return ctx;
}
