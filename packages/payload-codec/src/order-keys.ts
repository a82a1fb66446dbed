/**
 * Where orders' data keys live. Every payload of an order's workflows is encrypted with its order's data key; when the
 * order is deleted the key is destroyed, and with it every copy of those payloads Temporal still keeps.
 *
 * `forEncrypt` makes the key on first use and keeps answering it while a destruction is pending; `forDecrypt` answers
 * it to workers until it is destroyed (so an order's workflow still replays while it finishes its deletion) but, when
 * `strict` (the operators' codec server), not from the moment the order was deleted. Both answer null once the key is
 * gone: the payloads are deleted data.
 */
export interface OrderKeyStore {
  forEncrypt(orderId: string): Promise<Buffer | null>;
  forDecrypt(orderId: string, opts?: { strict?: boolean }): Promise<Buffer | null>;
  /** Marks the key deleted at once and destroys it after `delaySeconds` (0: now). Idempotent. */
  destroy(orderId: string, delaySeconds: number): Promise<void>;
}

/**
 * Remembers what a store answered for a while, so a busy worker asks Redis once per order and `cacheSeconds`, not
 * per payload. A key destroyed elsewhere lives on in a cache for at most that long (documented with the deletion
 * guarantee); a destruction through this cache forgets it at once. Strict lookups are never answered from the cache.
 */
export class CachedOrderKeys implements OrderKeyStore {
  private readonly entries = new Map<string, { key: Buffer | null; until: number }>();

  constructor(
    private readonly store: OrderKeyStore,
    private readonly opts: { cacheSeconds: number; maxEntries?: number; now?: () => number },
  ) {}

  forEncrypt(orderId: string): Promise<Buffer | null> {
    return this.cached(orderId, () => this.store.forEncrypt(orderId));
  }

  forDecrypt(orderId: string, opts: { strict?: boolean } = {}): Promise<Buffer | null> {
    if (opts.strict) return this.store.forDecrypt(orderId, opts);
    return this.cached(orderId, () => this.store.forDecrypt(orderId));
  }

  async destroy(orderId: string, delaySeconds: number): Promise<void> {
    this.entries.delete(orderId);
    await this.store.destroy(orderId, delaySeconds);
  }

  private async cached(orderId: string, load: () => Promise<Buffer | null>): Promise<Buffer | null> {
    const now = (this.opts.now ?? Date.now)();
    const hit = this.entries.get(orderId);
    if (hit && hit.until > now) return hit.key;
    const key = await load();
    if (this.opts.cacheSeconds <= 0) return key;
    this.entries.delete(orderId);
    this.entries.set(orderId, { key, until: now + this.opts.cacheSeconds * 1000 });
    // Oldest first out (a Map iterates in insertion order).
    if (this.entries.size > (this.opts.maxEntries ?? 10_000)) this.entries.delete(this.entries.keys().next().value!);
    return key;
  }
}
