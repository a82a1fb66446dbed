import type {
  DocumentResultRecord,
  OrderStatus,
  PackagingRecord,
  SignCodeTarget,
  TaskEvent,
  TaskStatus,
} from '@esign/temporal-contracts';
import { ids, own } from '@esign/temporal-contracts';
import type { FirstEvent } from './creation-events.js';
import { storageKeys } from '@esign/storage-keys';
import type { Redis } from 'ioredis';
import { forwardCodes, forwardFields, joinRecord, splitRecord, type StaticRecord } from './layout.js';
import type { ForwardRecord, OrderRecord } from './record.js';
import { APPEND_EVENT, READ_ORDER, RECORD_FORWARD, RECORD_ORDER, SET_IF_ORDER } from './scripts.js';

// The order read model's Redis I/O: keys, scripts and commands. How a record maps onto its JSON value and state
// hash is layout.ts's.
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

  /**
   * Records the `index`th forward of a task (from 1) with the sign code it gives the task; `previousCode` (the code
   * the task had) then names the task as forwarded. Once per index, only while the order exists; false when gone.
   */
  async recordForward(
    target: { merchantId: string; orderId: string; taskId: string },
    index: number,
    forward: ForwardRecord,
    codes: { previous: string; next: string },
  ): Promise<boolean> {
    const { merchantId, orderId, taskId } = target;
    const k = this.keys(merchantId, orderId);
    const fields = forwardFields(taskId, index);
    const keys = [k.record, k.state, this.signCodeKey(codes.previous), this.signCodeKey(codes.next)];
    const args = [
      fields.forward,
      JSON.stringify(forward),
      fields.code,
      codes.next,
      JSON.stringify({ merchantId, orderId, taskId, forwarded: true } satisfies SignCodeTarget),
      JSON.stringify({ merchantId, orderId, taskId } satisfies SignCodeTarget),
    ];
    return (await this.deps.redis.eval(RECORD_FORWARD, keys.length, ...keys, ...args)) === 1;
  }

  /** The sign code a task had after its `index`th forward (0: the one it was created with), while the order exists. */
  async issuedSignCode(merchantId: string, orderId: string, taskId: string, index: number): Promise<string | null> {
    const k = this.keys(merchantId, orderId);
    if (index > 0) return this.deps.redis.hget(k.state, forwardFields(taskId, index).code);
    const raw = await this.deps.redis.get(k.record);
    return raw ? (own((JSON.parse(raw) as StaticRecord).signCodes, taskId) ?? null) : null;
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
    return raw ? joinRecord(raw, flat) : null;
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
    const { stored, state } = splitRecord(record);
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

  /** Removes the order's read model: record, state, sign codes (forwards' too) and every task's events. */
  async deleteOrder(merchantId: string, orderId: string, taskIds: string[]): Promise<void> {
    const k = this.keys(merchantId, orderId);
    const [raw, state] = await Promise.all([this.deps.redis.get(k.record), this.deps.redis.hgetall(k.state)]);
    const codes = [
      ...(raw ? Object.values((JSON.parse(raw) as StaticRecord).signCodes ?? {}) : []),
      ...forwardCodes(state),
    ];
    const events = taskIds.flatMap((t) => {
      const key = this.eventsKey(merchantId, orderId, t);
      return [key, `${key}:ids`];
    });
    // One DEL, atomic: appendEvent (a script) sees either the whole order or none of it.
    const owner = this.ownerKey(orderId);
    await this.deps.redis.del(k.record, k.state, owner, ...codes.map((c) => this.signCodeKey(c)), ...events);
  }
}
