import { endedEvent, signCancelledEvents } from './ending-events.js';
import { own, type OrderTaskInput, type TaskChange, type TaskStatus } from '@esign/temporal-contracts';

export interface TaskState {
  status: TaskStatus;
  /** True once its child workflow was started: the task is open to its signer. */
  opened: boolean;
  expiresAt: string;
}

/**
 * A status the order sets on a task that never opened (or whose workflow failed): TASK_EXPIRED / TASK_DELETED, and
 * DOCUMENT_SIGN_CANCELLED for each document it was to sign (`actions`; none when unknown).
 */
export function closedByOrder(
  taskId: string,
  status: 'EXPIRED' | 'DELETED',
  at: string,
  actions?: OrderTaskInput['documentActions'],
): TaskChange {
  const events = [endedEvent(status, at), ...signCancelledEvents(actions, new Set(), at)];
  return {
    taskId,
    status,
    at,
    events: events.map((e, i) => ({ ...e, eventId: i === 0 ? `order-${status}` : `order-${status}-${i}` })),
  };
}

/**
 * Moves tasks that are not open yet: expired ones become EXPIRED, those behind a dependency that ended other than
 * COMPLETED become DELETED (repeated until stable, as a deletion can doom further dependents), and those whose
 * dependencies all COMPLETED are returned to be opened. Mutates `tasks`; returns what to record and what to open.
 * Tasks are keyed by the merchant's ids: looked up as own keys only, so no id finds a member of Object.prototype.
 */
export function advance(defs: OrderTaskInput[], tasks: Record<string, TaskState>, now: string) {
  const task = (id: string) => own(tasks, id)!;
  const changes: TaskChange[] = [];
  let moved = true;
  while (moved) {
    moved = false;
    for (const def of defs) {
      const state = task(def.taskId);
      if (state.opened || state.status !== 'CREATED') continue;
      const deps = def.dependsOnTasks.map((id) => task(id).status);
      const next = Date.parse(state.expiresAt) <= Date.parse(now) ? 'EXPIRED' : deps.some(failed) ? 'DELETED' : null;
      if (next) {
        state.status = next;
        // An expiry is dated at the contractual time, not when the workflow task ran (a few ms later).
        changes.push(closedByOrder(def.taskId, next, next === 'EXPIRED' ? state.expiresAt : now, def.documentActions));
        moved = true;
      }
    }
  }
  const ready = defs
    .filter((d) => !task(d.taskId).opened && task(d.taskId).status === 'CREATED')
    .filter((d) => d.dependsOnTasks.every((id) => task(id).status === 'COMPLETED'))
    .map((d) => d.taskId);
  return { changes, ready };
}

function failed(status: TaskStatus): boolean {
  return status !== 'CREATED' && status !== 'COMPLETED';
}

/** The earliest expiry among tasks not open yet: the order's own timer (open tasks time themselves). */
export function nextClosedExpiry(tasks: Record<string, TaskState>): string | undefined {
  const times = Object.values(tasks)
    .filter((t) => !t.opened && t.status === 'CREATED')
    .map((t) => t.expiresAt)
    .sort();
  return times[0];
}

export const isFinal = (t: TaskState) => t.status !== 'CREATED';
