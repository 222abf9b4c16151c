// What every drawing shares: the ISA-101 palette, fonts, touch targets, buttons and the markers
// that carry meaning by shape and text as well as colour.

/** The design is drawn in this logical space and scaled to the window. */
export const SCREEN = { w: 800, h: 480 };
export const MIN_TARGET = 48;

// Grey, calm scene. Colour only for what is abnormal, by priority.
export const COLOURS = {
  background: '#d4d4d4',
  panel: '#e2e2e2',
  panelEdge: '#a6a6a6',
  text: '#262626',
  label: '#555555',
  greyed: '#9c9c9c',
  vessel: '#c6c6c6',
  vesselEdge: '#5e5e5e',
  liquid: '#b2b2b2',
  pipe: '#8c8c8c',
  pipeFlow: '#3c3c3c',
  equipmentOn: '#3c3c3c',
  button: '#c4c4c4',
  buttonEdge: '#6a6a6a',
  buttonPressed: '#8f8f8f',
  buttonSelected: '#474747',
  buttonDisabled: '#dcdcdc',
  backdrop: 'rgba(60, 60, 60, 0.55)',
  critical: '#d0021b', // red: interlock tripped
  high: '#ee7600',     // orange: zone in fail-safe
  medium: '#f2c200',   // yellow: live feed lost, zone offline, sensor fault
  low: '#1c8fd6',      // cyan/blue: advisory
};

export const FONT = '"DejaVu Sans", "Liberation Sans", Arial, sans-serif';

export function font(size, weight = 'normal') {
  return `${weight} ${size}px ${FONT}`;
}

/**
 * The touch targets of the last frame, in logical coordinates. A modal layer clears what lies
 * under it, so only what the operator can see can be touched.
 */
export class HitList {
  constructor() {
    this.targets = [];
  }

  clear() {
    this.targets = [];
  }

  add(id, x, y, w, h, { enabled = true, action = null } = {}) {
    this.targets.push({ id, x, y, w, h, enabled, action });
  }

  /** The topmost target at a point (later ones are drawn over earlier ones). */
  at(px, py) {
    for (let i = this.targets.length - 1; i >= 0; i--) {
      const t = this.targets[i];
      if (px >= t.x && px < t.x + t.w && py >= t.y && py < t.y + t.h) return t;
    }
    return null;
  }

  byId(id) {
    return this.targets.find((t) => t.id === id) ?? null;
  }
}

export function roundRect(ctx, x, y, w, h, r) {
  ctx.beginPath();
  ctx.moveTo(x + r, y);
  ctx.arcTo(x + w, y, x + w, y + h, r);
  ctx.arcTo(x + w, y + h, x, y + h, r);
  ctx.arcTo(x, y + h, x, y, r);
  ctx.arcTo(x, y, x + w, y, r);
  ctx.closePath();
}

export function text(ctx, str, x, y, { size = 14, weight = 'normal', colour = COLOURS.text,
  align = 'left', baseline = 'alphabetic', maxWidth } = {}) {
  ctx.font = font(size, weight);
  ctx.fillStyle = colour;
  ctx.textAlign = align;
  ctx.textBaseline = baseline;
  if (maxWidth) ctx.fillText(str, x, y, maxWidth);
  else ctx.fillText(str, x, y);
}

/**
 * A button and its touch target. {@code state}: 'normal', 'pressed', 'selected', 'disabled'.
 */
export function button(ctx, hits, id, x, y, w, h, label, { state = 'normal', size = 18, action = null,
  weight = 'bold', enabled } = {}) {
  const fill = {
    normal: COLOURS.button, pressed: COLOURS.buttonPressed,
    selected: COLOURS.buttonSelected, disabled: COLOURS.buttonDisabled,
  }[state];
  roundRect(ctx, x, y, w, h, 6);
  ctx.fillStyle = fill;
  ctx.fill();
  ctx.lineWidth = state === 'selected' ? 3 : 1.5;
  ctx.strokeStyle = state === 'disabled' ? COLOURS.panelEdge : COLOURS.buttonEdge;
  ctx.stroke();
  const colour = state === 'selected' ? '#ffffff' : state === 'disabled' ? COLOURS.greyed : COLOURS.text;
  text(ctx, label, x + w / 2, y + h / 2 + 1, {
    size, weight, colour, align: 'center', baseline: 'middle', maxWidth: w - 8,
  });
  hits.add(id, x, y, w, h, { enabled: enabled ?? state !== 'disabled', action });
}

/**
 * The mark beside a value that must not be read as live: a dashed box with a sign drawn by
 * lines, so it does not depend on fonts. STALE "?", BAD "x", OFFLINE/NOFEED a barred circle.
 */
export function qualityMarker(ctx, marker, x, y, s = 16) {
  ctx.save();
  ctx.strokeStyle = COLOURS.label;
  ctx.fillStyle = COLOURS.panel;
  ctx.lineWidth = 1.5;
  ctx.setLineDash([3, 2]);
  ctx.fillRect(x, y, s, s);
  ctx.strokeRect(x, y, s, s);
  ctx.setLineDash([]);
  const cx = x + s / 2;
  const cy = y + s / 2;
  if (marker === 'STALE') {
    text(ctx, '?', cx, cy + 1, { size: s - 3, weight: 'bold', colour: COLOURS.label, align: 'center', baseline: 'middle' });
  } else if (marker === 'BAD') {
    ctx.beginPath();
    ctx.moveTo(x + 4, y + 4); ctx.lineTo(x + s - 4, y + s - 4);
    ctx.moveTo(x + s - 4, y + 4); ctx.lineTo(x + 4, y + s - 4);
    ctx.stroke();
  } else {
    const r = s / 2 - 3.5;
    ctx.beginPath();
    ctx.arc(cx, cy, r, 0, Math.PI * 2);
    ctx.moveTo(cx - r * 0.7, cy + r * 0.7);
    ctx.lineTo(cx + r * 0.7, cy - r * 0.7);
    ctx.stroke();
  }
  ctx.restore();
}

/** A value as it must be shown: dark grey when live; greyed, struck and marked when not. */
export function value(ctx, str, x, y, status, { size = 16, weight = 'bold', align = 'right' } = {}) {
  text(ctx, str, x, y, { size, weight, align, colour: status.greyed ? COLOURS.greyed : COLOURS.text });
  if (!status.greyed) return;
  ctx.font = font(size, weight);
  const w = ctx.measureText(str).width;
  const left = align === 'right' ? x - w : align === 'center' ? x - w / 2 : x;
  ctx.save();
  ctx.strokeStyle = COLOURS.greyed;
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  ctx.moveTo(left - 2, y - size * 0.33);
  ctx.lineTo(left + w + 2, y - size * 0.33);
  ctx.stroke();
  ctx.restore();
}

/**
 * An abnormal-state badge: a shape in the priority colour with a symbol, then the text, so it
 * reads without colour. kind: 'failsafe' (orange triangle), 'interlock' (red diamond),
 * 'offline' / 'sensor' / 'feed' (yellow circle or triangle).
 */
export function alarmShape(ctx, kind, x, y, s = 18, greyed = false) {
  // Greyed: the last known state, while it cannot be confirmed (live feed lost).
  const colour = greyed ? COLOURS.buttonDisabled : kind === 'interlock' ? COLOURS.critical
    : kind === 'failsafe' ? COLOURS.high : COLOURS.medium;
  ctx.save();
  ctx.fillStyle = colour;
  ctx.strokeStyle = '#1e1e1e';
  ctx.lineWidth = 1.2;
  ctx.beginPath();
  if (kind === 'interlock') {
    ctx.moveTo(x + s / 2, y); ctx.lineTo(x + s, y + s / 2); ctx.lineTo(x + s / 2, y + s); ctx.lineTo(x, y + s / 2);
  } else if (kind === 'offline') {
    ctx.arc(x + s / 2, y + s / 2, s / 2, 0, Math.PI * 2);
  } else {
    ctx.moveTo(x + s / 2, y); ctx.lineTo(x + s, y + s); ctx.lineTo(x, y + s);
  }
  ctx.closePath();
  ctx.fill();
  ctx.stroke();
  if (kind === 'offline') {
    ctx.strokeStyle = '#1e1e1e';
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.moveTo(x + s * 0.28, y + s * 0.72);
    ctx.lineTo(x + s * 0.72, y + s * 0.28);
    ctx.stroke();
  } else {
    const white = kind === 'interlock' && !greyed;
    text(ctx, '!', x + s / 2, y + s * (kind === 'interlock' ? 0.52 : 0.64), {
      size: s * 0.62, weight: 'bold', colour: white ? '#ffffff' : '#1e1e1e', align: 'center', baseline: 'middle',
    });
  }
  ctx.restore();
}

/** Text cut with an ellipsis to fit {@code maxWidth}, never squeezed unreadable. */
export function clippedText(ctx, str, x, y, maxWidth, opts = {}) {
  ctx.font = font(opts.size ?? 14, opts.weight ?? 'normal');
  let shown = String(str);
  if (ctx.measureText(shown).width > maxWidth) {
    while (shown.length > 1 && ctx.measureText(`${shown}…`).width > maxWidth) shown = shown.slice(0, -1);
    shown = `${shown.trimEnd()}…`;
  }
  text(ctx, shown, x, y, opts);
}

/** Text in the largest of {@code sizes} that fits {@code maxWidth} (squeezed at the smallest). */
export function fitText(ctx, str, x, y, maxWidth, sizes, { weight = 'normal', colour = COLOURS.text } = {}) {
  for (const size of sizes) {
    ctx.font = font(size, weight);
    if (ctx.measureText(str).width <= maxWidth) {
      text(ctx, str, x, y, { size, weight, colour });
      return;
    }
  }
  text(ctx, str, x, y, { size: sizes[sizes.length - 1], weight, colour, maxWidth });
}

/** Splits text into lines that fit {@code maxWidth}; draws them and returns how many. */
export function wrappedText(ctx, str, x, y, maxWidth, lineHeight, opts = {}) {
  ctx.font = font(opts.size ?? 14, opts.weight ?? 'normal');
  const words = String(str).split(/\s+/);
  const lines = [];
  let line = '';
  for (const word of words) {
    const candidate = line ? `${line} ${word}` : word;
    if (line && ctx.measureText(candidate).width > maxWidth) {
      lines.push(line);
      line = word;
    } else {
      line = candidate;
    }
  }
  if (line) lines.push(line);
  const shown = opts.maxLines ? lines.slice(0, opts.maxLines) : lines;
  shown.forEach((l, i) => text(ctx, l, x, y + i * lineHeight, { ...opts, maxWidth }));
  return shown.length;
}

/** Outcome icons, drawn in dark grey: a write's result is information, not an alarm. */
export function outcomeIcon(ctx, phase, x, y, s = 20) {
  ctx.save();
  ctx.strokeStyle = COLOURS.text;
  ctx.fillStyle = COLOURS.text;
  ctx.lineWidth = 2.5;
  ctx.beginPath();
  if (phase === 'sending') {
    // hourglass
    ctx.moveTo(x + 3, y); ctx.lineTo(x + s - 3, y); ctx.lineTo(x + 3, y + s); ctx.lineTo(x + s - 3, y + s);
    ctx.closePath();
    ctx.lineWidth = 2;
    ctx.stroke();
  } else if (phase === 'done') {
    ctx.moveTo(x, y + s * 0.55); ctx.lineTo(x + s * 0.38, y + s * 0.9); ctx.lineTo(x + s, y + s * 0.1);
    ctx.lineWidth = 3.5;
    ctx.stroke();
  } else if (phase === 'unconfirmed') {
    ctx.arc(x + s / 2, y + s / 2, s / 2, 0, Math.PI * 2);
    ctx.stroke();
    text(ctx, '?', x + s / 2, y + s / 2 + 1, { size: s * 0.7, weight: 'bold', align: 'center', baseline: 'middle' });
  } else {
    ctx.arc(x + s / 2, y + s / 2, s / 2, 0, Math.PI * 2);
    ctx.stroke();
    ctx.beginPath();
    ctx.moveTo(x + s * 0.3, y + s * 0.3); ctx.lineTo(x + s * 0.7, y + s * 0.7);
    ctx.moveTo(x + s * 0.7, y + s * 0.3); ctx.lineTo(x + s * 0.3, y + s * 0.7);
    ctx.stroke();
  }
  ctx.restore();
}
