/** Keys one window remembers at most: beyond it the least recently failed key is forgotten (memory stays bounded). */
export const MAX_KEYS = 10_000;
/** Addresses a client last got a token from, remembered per client (they pass its lock: see ClientAuthThrottle). */
export const KNOWN_ADDRESSES_PER_CLIENT = 16;

/**
 * Failures per key in a sliding window: after `limit` failures within `windowMs`, the key waits until the oldest of
 * them leaves the window. A limit of 0 counts nothing. In-process: each replica counts its own.
 */
export class FailureWindow {
  readonly #failures = new Map<string, number[]>();

  constructor(private readonly opts: { limit: number; windowMs: number; maxKeys?: number }) {}

  /** Milliseconds until the key may try again; 0 when it may now. */
  waitMs(key: string, now: number): number {
    const { limit, windowMs } = this.opts;
    if (limit === 0) return 0;
    const recent = this.#recent(key, now);
    return recent.length >= limit ? recent[recent.length - limit]! + windowMs - now : 0;
  }

  fail(key: string, now: number): void {
    const { limit, maxKeys = MAX_KEYS } = this.opts;
    if (limit === 0) return;
    // Only the latest `limit` failures matter for the wait; re-inserting keeps the Map in least-recent-first order.
    const recent = [...this.#recent(key, now), now].slice(-limit);
    this.#failures.delete(key);
    this.#failures.set(key, recent);
    if (this.#failures.size > maxKeys) this.#failures.delete(this.#failures.keys().next().value!);
  }

  #recent(key: string, now: number): number[] {
    return (this.#failures.get(key) ?? []).filter((at) => at > now - this.opts.windowMs);
  }
}

export interface ThrottleSettings {
  /** Failed client authentications per client id within the window before it is locked (0: no limit). */
  perClient: number;
  /** Failed client authentications per client address within the window before it is locked (0: no limit). */
  perAddress: number;
  windowSeconds: number;
}

/**
 * Throttles guessing at the token endpoint (issue 29, finding 10). Failures count per client address (any client id,
 * known or not) and per known client id (any address). A locked address gets 429 for every client; a locked client id
 * gets 429 from every address except those it got a token from before, so an attacker who locks a merchant's client
 * id does not lock out the merchant's own servers. A success never resets a count: guessing cannot be interleaved
 * with the right secret to stay under the limit.
 */
export class ClientAuthThrottle {
  readonly #clients: FailureWindow;
  readonly #addresses: FailureWindow;
  readonly #known = new Map<string, string[]>();

  constructor(
    settings: ThrottleSettings,
    private readonly now: () => number = Date.now,
  ) {
    const windowMs = settings.windowSeconds * 1000;
    this.#clients = new FailureWindow({ limit: settings.perClient, windowMs });
    this.#addresses = new FailureWindow({ limit: settings.perAddress, windowMs });
  }

  /** Whole seconds until this address may authenticate at all; 0 when it may now. */
  addressWait(address: string): number {
    return Math.ceil(this.#addresses.waitMs(address, this.now()) / 1000);
  }

  /** Whole seconds until this client id may authenticate from this address; 0 when it may now. */
  clientWait(clientId: string, address: string): number {
    if (this.#known.get(clientId)?.includes(address)) return 0;
    return Math.ceil(this.#clients.waitMs(clientId, this.now()) / 1000);
  }

  /** A failed authentication: counted for the address, and for the client id when it names a client. */
  failed(address: string, clientId?: string): void {
    const now = this.now();
    this.#addresses.fail(address, now);
    if (clientId !== undefined) this.#clients.fail(clientId, now);
  }

  /** A token issued: the address is one this client uses. */
  succeeded(clientId: string, address: string): void {
    const known = [address, ...(this.#known.get(clientId) ?? []).filter((a) => a !== address)];
    this.#known.set(clientId, known.slice(0, KNOWN_ADDRESSES_PER_CLIENT));
  }
}
