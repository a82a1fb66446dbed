import type { SignCodeTarget, TaskEvent } from '@esign/temporal-contracts';
import { creationEvents } from './creation-events.js';
import type { CreationReservations } from './reservations.js';
import type { OrderRecord } from './record.js';
import type { OrderStore } from './store.js';

/**
 * Reads an order the way clients and signers see it: the read model, or — in the moment between the creation's 201
 * and the order's first activity — what the creation reserved. Writes go elsewhere (the order's activities).
 */
export class OrderReader {
  constructor(
    private readonly orders: OrderStore,
    private readonly reservations: CreationReservations,
  ) {}

  // Each read falls back to the reservation, and when that is gone too reads the read model once more: the order's
  // first activity writes the read model before it consumes the reservation, so one of the three sees the order.
  async order(merchantId: string, orderId: string): Promise<OrderRecord | null> {
    return (
      (await this.orders.getOrder(merchantId, orderId)) ??
      (await this.reservations.order(merchantId, orderId)) ??
      this.orders.getOrder(merchantId, orderId)
    );
  }

  /** The task's events oldest first; null when the order or task does not exist for this merchant. */
  async events(merchantId: string, orderId: string, taskId: string): Promise<TaskEvent[] | null> {
    const recorded = await this.orders.getEvents(merchantId, orderId, taskId);
    if (recorded) return recorded;
    const reserved = await this.reservations.order(merchantId, orderId);
    if (!reserved) return this.orders.getEvents(merchantId, orderId, taskId);
    if (!Object.hasOwn(reserved.tasks, taskId)) return null;
    const events = creationEvents(reserved.orderId, reserved.createdAt, reserved.order);
    return (events[taskId] ?? []).map((e) => e.event);
  }

  /** The task a sign code stands for, while its order exists (or its creation's reservation lasts). */
  async signCode(code: string): Promise<SignCodeTarget | null> {
    return (
      (await this.orders.resolveSignCode(code)) ??
      (await this.reservations.signCode(code)) ??
      this.orders.resolveSignCode(code)
    );
  }
}
