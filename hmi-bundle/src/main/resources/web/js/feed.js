// The live feed: one WebSocket to /api/live, watched. The server sends a ping every 2 s, so more
// than 5 s of silence means the feed is gone even if the socket still looks open (a pulled
// cable closes nothing). Lost -> say so at once, close, and reconnect with back-off by itself.

export const SILENCE_LIMIT_MS = 5000;
const WATCH_EVERY_MS = 250;
const RETRY_FIRST_MS = 500;
const RETRY_MAX_MS = 10000;

/**
 * Milliseconds to wait before reconnect attempt number {@code attempt} (0-based): doubling from
 * 0.5 s up to 10 s, with +-20 % jitter so many panels do not all knock at the same instant.
 */
export function retryDelay(attempt, random = Math.random) {
  const base = Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** Math.max(0, attempt));
  return Math.round(base * (0.8 + 0.4 * random()));
}

/** The WebSocket address of the live feed for a page at {@code location}. */
export function liveUrl(location) {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/api/live`;
}

/**
 * Status values: 'connecting' (never live yet), 'live' (snapshot received, messages flowing),
 * 'lost' (was live, or never managed to connect: values are not current).
 */
export class LiveFeed {
  /**
   * @param options.url WebSocket URL
   * @param options.onMessage (parsed message) => void, for every message of a live connection
   * @param options.onStatus (feed) => void, whenever status or retry timing changes
   * @param options.WebSocket the WebSocket class (injected in tests)
   * @param options.clock () => epoch ms
   * @param options.timers {setTimeout, clearTimeout, setInterval, clearInterval}
   */
  constructor({ url, onMessage, onStatus, WebSocket: Socket = globalThis.WebSocket,
    clock = () => Date.now(), timers = globalThis, random = Math.random }) {
    this.url = url;
    this.onMessage = onMessage;
    this.onStatus = onStatus;
    this.Socket = Socket;
    this.clock = clock;
    this.timers = timers;
    this.random = random;

    this.status = 'connecting';
    this.socket = null;
    this.attempt = 0;
    this.lastMessageAt = 0;
    this.lastLiveAt = 0;     // time of the last message while live: "not updated since"
    this.lostAt = 0;
    this.restoredAt = 0;
    this.lostFor = 0;        // how long the last outage lasted
    this.nextRetryAt = 0;
    this.socketOpenedAt = 0;
    this.gotSnapshot = false;
    this.everLive = false;
    this.badMessages = 0;
    this.retryTimer = null;
    this.watchTimer = null;
  }

  start() {
    this.watchTimer = this.timers.setInterval(() => this.#watch(), WATCH_EVERY_MS);
    this.#connect();
  }

  stop() {
    this.timers.clearInterval(this.watchTimer);
    this.timers.clearTimeout(this.retryTimer);
    this.#closeSocket();
  }

  get live() {
    return this.status === 'live';
  }

  #connect() {
    this.retryTimer = null;
    this.nextRetryAt = 0;
    this.socketOpenedAt = this.clock();
    let socket;
    try {
      socket = new this.Socket(this.url);
    } catch (e) {
      this.#lose();
      return;
    }
    this.socket = socket;
    this.gotSnapshot = false;
    socket.onmessage = (e) => this.#received(socket, e.data);
    socket.onclose = () => { if (socket === this.socket) this.#lose(); };
    socket.onerror = () => { /* onclose follows and does the work */ };
    this.#notify();
  }

  #received(socket, data) {
    if (socket !== this.socket) return;
    let message;
    try {
      message = JSON.parse(data);
    } catch (e) {
      this.badMessages++;
      return;
    }
    const now = this.clock();
    this.lastMessageAt = now;
    if (message.type === 'snapshot') {
      this.gotSnapshot = true;
      this.attempt = 0;
      if (this.status !== 'live') {
        if (this.everLive) {
          this.restoredAt = now;
          this.lostFor = now - this.lostAt;
        }
        this.everLive = true;
        this.status = 'live';
        this.onMessage(message);
        this.lastLiveAt = now;
        this.#notify();
        return;
      }
    }
    // Deltas before the snapshot would update a picture we do not have yet.
    if (!this.gotSnapshot) return;
    this.lastLiveAt = now;
    this.onMessage(message);
  }

  #watch() {
    const now = this.clock();
    if (this.status === 'live' && now - this.lastMessageAt > SILENCE_LIMIT_MS) {
      this.#lose();
    } else if (this.socket && !this.gotSnapshot && now - this.socketOpenedAt > SILENCE_LIMIT_MS) {
      // Connected (or connecting) but no snapshot in time: start over.
      this.#lose();
    }
  }

  #lose() {
    this.#closeSocket();
    if (this.status !== 'lost') {
      this.status = 'lost';
      this.lostAt = this.clock();
      this.restoredAt = 0;
    }
    const delay = retryDelay(this.attempt++, this.random);
    this.nextRetryAt = this.clock() + delay;
    this.timers.clearTimeout(this.retryTimer);
    this.retryTimer = this.timers.setTimeout(() => this.#connect(), delay);
    this.#notify();
  }

  #closeSocket() {
    const socket = this.socket;
    this.socket = null;
    if (!socket) return;
    socket.onmessage = socket.onclose = socket.onerror = null;
    try {
      socket.close();
    } catch (e) {
      // already closed
    }
  }

  #notify() {
    if (this.onStatus) this.onStatus(this);
  }
}
