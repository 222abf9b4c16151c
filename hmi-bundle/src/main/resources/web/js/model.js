// The plant as the HMI knows it: the zones of the last snapshot, kept up to date by the deltas
// of the live feed. No DOM here, so it is tested under Node as it is.

const QUALITIES = new Set(['GOOD', 'BAD', 'STALE', 'OFFLINE']);
const STATES = new Set(['online', 'failsafe', 'offline']);

export class PlantModel {
  constructor() {
    /** @type {Map<string, object>} zone id -> Zone JSON as the server sent it, updated in place */
    this.zones = new Map();
    /** @type {Map<string, Map<string, object>>} zone id -> "kind:code" -> active event */
    this.activeEvents = new Map();
    this.serverTime = 0;
    this.ignored = 0;
  }

  /** Applies one message of the live feed; returns false for something it cannot use. */
  apply(message) {
    if (!message || typeof message !== 'object') return this.#ignore();
    if (typeof message.time === 'number') this.serverTime = message.time;
    switch (message.type) {
      case 'snapshot': return this.applySnapshot(message.zones);
      case 'tags': return this.applyTags(message.values);
      case 'zone': return this.applyZone(message.zone);
      case 'event': return this.applyEvent(message.event);
      case 'ping': return true;
      default: return this.#ignore();
    }
  }

  /**
   * Replaces everything: the snapshot is the whole truth. Active events are not part of it, so
   * the ones seen before are dropped rather than shown without knowing whether they still hold.
   */
  applySnapshot(zones) {
    if (!Array.isArray(zones)) return this.#ignore();
    this.zones.clear();
    this.activeEvents.clear();
    for (const zone of zones) this.applyZone(zone);
    return true;
  }

  applyZone(zone) {
    if (!zone || typeof zone.id !== 'string') return this.#ignore();
    this.zones.set(zone.id, normaliseZone(zone));
    return true;
  }

  applyTags(values) {
    if (!Array.isArray(values)) return this.#ignore();
    for (const v of values) {
      const zone = v && this.zones.get(v.zone);
      if (!zone || typeof v.tag !== 'string') {
        this.ignored++;
        continue;
      }
      const tag = zone.tags[v.tag] ?? (zone.tags[v.tag] = { kind: guessKind(v.value) });
      tag.value = v.value ?? null;
      tag.quality = QUALITIES.has(v.quality) ? v.quality : 'BAD';
      if (v.plcTime != null) tag.plcTime = v.plcTime;
      if (v.time != null) tag.time = v.time;
    }
    return true;
  }

  applyEvent(event) {
    if (!event || typeof event.zone !== 'string') return this.#ignore();
    const key = `${event.kind}:${event.code}`;
    let active = this.activeEvents.get(event.zone);
    if (event.active) {
      if (!active) this.activeEvents.set(event.zone, (active = new Map()));
      active.set(key, event);
    } else if (active) {
      active.delete(key);
    }
    return true;
  }

  eventsOf(zoneId) {
    const active = this.activeEvents.get(zoneId);
    return active ? [...active.values()] : [];
  }

  /** Used by the first paint from GET /api/zones, before the socket has sent its snapshot. */
  loadZones(zones) {
    if (this.zones.size === 0) this.applySnapshot(zones);
  }

  #ignore() {
    this.ignored++;
    return false;
  }
}

function normaliseZone(zone) {
  const tags = {};
  for (const [name, tag] of Object.entries(zone.tags ?? {})) {
    if (!tag || typeof tag !== 'object') continue;
    tags[name] = { ...tag, quality: QUALITIES.has(tag.quality) ? tag.quality : 'BAD' };
  }
  return {
    ...zone,
    label: zone.label || zone.id,
    state: STATES.has(zone.state) ? zone.state : 'offline',
    tags,
  };
}

function guessKind(value) {
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'string') return 'enum';
  return 'analog';
}

/**
 * Whether a value may be shown as live, and if not, why. The first reason found wins: a lost
 * feed makes everything untrustworthy, then an offline zone, then the tag's own quality.
 * @returns {{greyed: boolean, marker: null|'NOFEED'|'OFFLINE'|'STALE'|'BAD'}}
 */
export function valueStatus(zone, tag, feedLive) {
  if (!feedLive) return { greyed: true, marker: 'NOFEED' };
  if (!zone || zone.state === 'offline') return { greyed: true, marker: 'OFFLINE' };
  if (!tag) return { greyed: true, marker: 'BAD' };
  if (tag.quality !== 'GOOD') return { greyed: true, marker: tag.quality };
  if (tag.value === null || tag.value === undefined) return { greyed: true, marker: 'BAD' };
  return { greyed: false, marker: null };
}
