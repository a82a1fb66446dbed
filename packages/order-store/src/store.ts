import type { SigningOrder, Task } from '@esign/contracts';
import type {
  DocumentResultRecord,
  PackagingRecord,
  OrderStatus,
  SignCodeTarget,
  TaskEvent,
  TaskStatus,
} from '@esign/temporal-contracts';
import { ids, own } from '@esign/temporal-contracts';
import type { FirstEvent } from './creation-events.js';
import { portalLinks } from './portal-links.js';
import { storageKeys } from '@esign/storage-keys';
import type { Redis } from 'ioredis';

export interface TaskDocumentRecord {
  documentId: string;
  documentRef: string;
  contentType: string;
  size: number;
  sha256: string;
  bucket: string;
  objectKey: string;
}

export interface OrderTaskRecord {
  status: TaskStatus;
  /** ISO time the task expires unless finished. */
  expiresAt: string;
  /** ISO time of the last status change. */
  updatedAt: string;
  documents: TaskDocumentRecord[];
  /** Results by document id: signed (sealed) or uploaded by the signer. */
  results?: Record<string, DocumentResultRecord>;
  /** Archive ids by document id, for results sent to the archive. */
  archived?: Record<string, string>;
}

export interface OrderRecord {
  orderId: string;
  merchantId: string;
  clientReference?: string;
  createdAt: string;
  status: OrderStatus;
  /** The validated order as sent (defaults applied). */
  order: SigningOrder;
  /** W3C traceparent of the order's creation, when traced (signer actions link their spans to it). */
  traceparent?: string;
  /** Each task's sign code (contract §5): never shown to clients, only put into notifications. */
  signCodes?: Record<string, string>;
  tasks: Record<string, OrderTaskRecord>;
  /** ISO time the order and its documents will be deleted, once known. */
  deleteAt?: string;
  /** Packaging tasks' states by packaging task id. */
  packaging?: Record<string, PackagingRecord>;
}

/**
 * A task's `signingUrl` (= `${taskUrl}`), made from its sign code whenever it is shown, so no copy of the secret link
 * is kept beside the code (and orders recorded before links carried the code get working links too).
 */
export function signingUrlOf(record: Pick<OrderRecord, 'orderId' | 'signCodes'>, taskId: string, portalUrl: string) {
  const code = own(record.signCodes, taskId);
  return code ? portalLinks.task(portalUrl, record.orderId, taskId, code) : '';
}

/** The merchant's definition of one task of a stored order (own properties only: ids are the merchant's). */
export function taskSpec(record: Pick<OrderRecord, 'order'>, taskId: string): Task | undefined {
  return record.order.tasks.find((t) => t.id === taskId);
}

type StaticRecord = Omit<OrderRecord, 'status' | 'deleteAt' | 'tasks' | 'packaging'> & {
  tasks: Record<string, Pick<OrderTaskRecord, 'expiresAt' | 'documents'>>;
};

// Appends an event unless its id was recorded already, and only while the order exists: a late writer (a
// notification finishing after the order's deletion) must not leave keys behind. KEYS: record, events, event ids.
const APPEND_EVENT = `
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
if redis.call('SADD', KEYS[3], ARGV[1]) == 0 then return 0 end
redis.call('RPUSH', KEYS[2], ARGV[2])
return 1`;

// Sets a hash field only while the order exists (a late seal must not resurrect a deleted order's state).
// KEYS: record, state. ARGV: field, value.
const SET_IF_ORDER = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
return 1`;

// Writes a new order whole, unless it exists already (a retried creation, or a replayed Idempotency-Key, must not
// reset statuses the order's workflow wrote since). KEYS: record, state, owner, then one key per sign code, then the
// events list and event-id set of each task. ARGV: record JSON, state JSON, merchant id, number of sign codes, one
// target JSON per sign code, then an event id and event JSON per task.
const RECORD_ORDER = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('SET', KEYS[1], ARGV[1])
for field, value in pairs(cjson.decode(ARGV[2])) do redis.call('HSET', KEYS[2], field, value) end
redis.call('SET', KEYS[3], ARGV[3])
local codes = tonumber(ARGV[4])
for i = 1, codes do redis.call('SET', KEYS[3 + i], ARGV[4 + i]) end
local k, a = 4 + codes, 5 + codes
while k < #KEYS do
  redis.call('SADD', KEYS[k + 1], ARGV[a])
  redis.call('RPUSH', KEYS[k], ARGV[a + 1])
  k, a = k + 2, a + 2
end
return 1`;

// An order's record and live state read together, atomically (one script: cheaper for the gateway than MULTI/EXEC,
// which status reads showed costing about a tenth of the gateway's CPU). Answers {record or false, flat hash}.
const READ_ORDER = `
local record = redis.call('GET', KEYS[1])
if not record then return { false, {} } end
return { record, redis.call('HGETALL', KEYS[2]) }`;

// Layout: the parts that never change in one JSON value, and the parts that do in a hash with one field per
// writer (the order's status, each task's status). Each writer sets only its own field, so concurrent activities
// of an order and its tasks never overwrite each other and no write needs a read first.
export class OrderStore {
  constructor(private readonly deps: { redis: Redis; keyPrefix: string }) {}

  private ownerKey(orderId: string) {
    return this.deps.keyPrefix + storageKeys.orderOwner(orderId);
  }

  /** The merchant an order belongs to, while it exists (the signing portal's links name the order only). */
  async findOwner(orderId: string): Promise<string | null> {
    if (!ids.isSafe(orderId)) return null;
    return this.deps.redis.get(this.ownerKey(orderId));
  }

  /** Records a task document's result; false when the order no longer exists. */
  async setDocumentResult(
    merchantId: string,
    orderId: string,
    taskId: string,
    documentId: string,
    result: DocumentResultRecord,
  ): Promise<boolean> {
    return this.setIfOrder(merchantId, orderId, `result:${taskId}:${documentId}`, JSON.stringify(result));
  }

  /** Records a packaging task's state; false when the order no longer exists. */
  async setPackaging(merchantId: string, orderId: string, packagingTaskId: string, record: PackagingRecord) {
    return this.setIfOrder(merchantId, orderId, `packaging:${packagingTaskId}`, JSON.stringify(record));
  }

  /** Records where a task document's result was archived; false when the order no longer exists. */
  async setArchived(merchantId: string, orderId: string, taskId: string, documentId: string, archiveId: string) {
    return this.setIfOrder(merchantId, orderId, `archive:${taskId}:${documentId}`, archiveId);
  }

  private async setIfOrder(merchantId: string, orderId: string, field: string, value: string): Promise<boolean> {
    const k = this.keys(merchantId, orderId);
    return (await this.deps.redis.eval(SET_IF_ORDER, 2, k.record, k.state, field, value)) === 1;
  }

  private signCodeKey(code: string) {
    return this.deps.keyPrefix + storageKeys.signCode(code);
  }

  private keys(merchantId: string, orderId: string) {
    const base = this.deps.keyPrefix + storageKeys.order(merchantId, orderId);
    return { record: base, state: `${base}:state` };
  }

  private eventsKey(merchantId: string, orderId: string, taskId: string) {
    return this.deps.keyPrefix + storageKeys.taskEvents(merchantId, orderId, taskId);
  }

  async getOrder(merchantId: string, orderId: string): Promise<OrderRecord | null> {
    const k = this.keys(merchantId, orderId);
    const [raw, flat] = (await this.deps.redis.eval(READ_ORDER, 2, k.record, k.state)) as [string | null, string[]];
    if (!raw) return null;
    // Maps keyed by the merchant's ids are built with Object.fromEntries: an assignment `tasks['__proto__'] = …`
    // would set the object's prototype instead of adding the task.
    const state = Object.fromEntries(
      Array.from({ length: Math.floor(flat.length / 2) }, (_, i) => [flat[2 * i]!, flat[2 * i + 1]!]),
    );
    const stored = JSON.parse(raw) as StaticRecord;
    const tasks = Object.fromEntries(
      Object.entries(stored.tasks).map(([taskId, task]) => [taskId, liveTask(state, stored.createdAt, taskId, task)]),
    );
    const packaging = Object.fromEntries(
      Object.entries(fieldsWith(state, 'packaging:')).map(([id, v]) => [id, JSON.parse(v) as PackagingRecord]),
    );
    const deleteAt = own(state, 'deleteAt');
    return {
      ...stored,
      status: (own(state, 'status') as OrderStatus | undefined) ?? 'ACTIVE',
      ...(deleteAt ? { deleteAt } : {}),
      tasks,
      ...(Object.keys(packaging).length > 0 ? { packaging } : {}),
    };
  }

  /** The task's events oldest first, or null when the order or task does not exist for this merchant. */
  async getEvents(merchantId: string, orderId: string, taskId: string): Promise<TaskEvent[] | null> {
    const order = await this.getOrder(merchantId, orderId);
    if (!order || !own(order.tasks, taskId)) return null;
    const raw = await this.deps.redis.lrange(this.eventsKey(merchantId, orderId, taskId), 0, -1);
    return raw.map((e) => JSON.parse(e) as TaskEvent);
  }

  /**
   * Writes a new order (creation) with the first event of each task, in one step: all of it or, when the order
   * exists already, nothing (answers false). Idempotent.
   */
  async recordOrder(record: OrderRecord, firstEvents: Record<string, FirstEvent[]> = {}) {
    const k = this.keys(record.merchantId, record.orderId);
    const { status, deleteAt, tasks, packaging, ...rest } = record;
    const stored: StaticRecord = {
      ...rest,
      tasks: Object.fromEntries(
        Object.entries(tasks).map(([id, t]) => [id, { expiresAt: t.expiresAt, documents: t.documents }]),
      ),
    };
    const state: Record<string, string> = { status };
    if (deleteAt) state.deleteAt = deleteAt;
    for (const [id, p] of Object.entries(packaging ?? {})) state[`packaging:${id}`] = JSON.stringify(p);
    for (const [id, t] of Object.entries(tasks)) {
      state[`task:${id}`] = JSON.stringify({ status: t.status, updatedAt: t.updatedAt });
    }
    const codes = Object.entries(record.signCodes ?? {});
    const events = Object.entries(firstEvents).flatMap(([taskId, list]) => list.map((e) => [taskId, e] as const));
    const keys = [
      k.record,
      k.state,
      this.ownerKey(record.orderId),
      ...codes.map(([, code]) => this.signCodeKey(code)),
      ...events.flatMap(([taskId]) => {
        const list = this.eventsKey(record.merchantId, record.orderId, taskId);
        return [list, `${list}:ids`];
      }),
    ];
    const args = [
      JSON.stringify(stored),
      JSON.stringify(state),
      record.merchantId,
      String(codes.length),
      ...codes.map(([taskId]) =>
        JSON.stringify({ merchantId: record.merchantId, orderId: record.orderId, taskId } satisfies SignCodeTarget),
      ),
      ...events.flatMap(([, { eventId, event }]) => [eventId, JSON.stringify(event)]),
    ];
    return (await this.deps.redis.eval(RECORD_ORDER, keys.length, ...keys, ...args)) === 1;
  }

  /** The task a sign code stands for, while its order exists; null for an unknown code or a deleted order. */
  async resolveSignCode(code: string): Promise<SignCodeTarget | null> {
    if (!ids.isSafe(code)) return null;
    const raw = await this.deps.redis.get(this.signCodeKey(code));
    if (!raw) return null;
    const target = JSON.parse(raw) as SignCodeTarget;
    const exists = await this.deps.redis.exists(this.keys(target.merchantId, target.orderId).record);
    return exists ? target : null;
  }

  async setTaskStatus(merchantId: string, orderId: string, taskId: string, status: TaskStatus, at: string) {
    const k = this.keys(merchantId, orderId);
    await this.deps.redis.hset(k.state, `task:${taskId}`, JSON.stringify({ status, updatedAt: at }));
  }

  async setOrderStatus(merchantId: string, orderId: string, status: OrderStatus, deleteAt?: string) {
    const k = this.keys(merchantId, orderId);
    await this.deps.redis.hset(k.state, deleteAt ? { status, deleteAt } : { status });
  }

  /**
   * Appends an event once: `eventId` (stable across activity retries) guards against duplicates, so a retried
   * activity never records the same event twice.
   */
  async appendEvent(merchantId: string, orderId: string, taskId: string, eventId: string, event: TaskEvent) {
    const events = this.eventsKey(merchantId, orderId, taskId);
    const record = this.keys(merchantId, orderId).record;
    await this.deps.redis.eval(APPEND_EVENT, 3, record, events, `${events}:ids`, eventId, JSON.stringify(event));
  }

  /** Removes the order's read model: record, state, sign codes and every task's events. */
  async deleteOrder(merchantId: string, orderId: string, taskIds: string[]): Promise<void> {
    const k = this.keys(merchantId, orderId);
    const raw = await this.deps.redis.get(k.record);
    const codes = raw ? Object.values((JSON.parse(raw) as StaticRecord).signCodes ?? {}) : [];
    const events = taskIds.flatMap((t) => {
      const key = this.eventsKey(merchantId, orderId, t);
      return [key, `${key}:ids`];
    });
    // One DEL, atomic: appendEvent (a script) sees either the whole order or none of it.
    const owner = this.ownerKey(orderId);
    await this.deps.redis.del(k.record, k.state, owner, ...codes.map((c) => this.signCodeKey(c)), ...events);
  }
}

/** The hash fields starting with `prefix`, keyed by the rest of their name. */
function fieldsWith(state: Record<string, string>, prefix: string): Record<string, string> {
  return Object.fromEntries(
    Object.entries(state)
      .filter(([field]) => field.startsWith(prefix))
      .map(([field, value]) => [field.slice(prefix.length), value]),
  );
}

/** A task as the read model holds it: its fixed part, its live status and the results and archive ids recorded. */
function liveTask(
  state: Record<string, string>,
  createdAt: string,
  taskId: string,
  task: StaticRecord['tasks'][string],
): OrderTaskRecord {
  const live = JSON.parse(own(state, `task:${taskId}`) ?? '{}') as Partial<OrderTaskRecord>;
  const results = Object.fromEntries(
    Object.entries(fieldsWith(state, `result:${taskId}:`)).map(([id, v]) => [
      id,
      JSON.parse(v) as DocumentResultRecord,
    ]),
  );
  const archived = fieldsWith(state, `archive:${taskId}:`);
  return {
    status: 'CREATED',
    updatedAt: createdAt,
    ...task,
    ...live,
    ...(Object.keys(results).length > 0 ? { results } : {}),
    ...(Object.keys(archived).length > 0 ? { archived } : {}),
  };
}
