import type { DocumentResultRecord, OrderStatus, PackagingRecord } from '@esign/temporal-contracts';
import { own } from '@esign/temporal-contracts';
import type { ForwardRecord, OrderRecord, OrderTaskRecord } from './record.js';

// Layout: the parts that never change in one JSON value, and the parts that do in a hash with one field per
// writer (the order's status, each task's status). Each writer sets only its own field, so concurrent activities
// of an order and its tasks never overwrite each other and no write needs a read first.

/** The JSON value: the order as created, without what changes later. */
export type StaticRecord = Omit<OrderRecord, 'status' | 'deleteAt' | 'tasks' | 'packaging'> & {
  tasks: Record<string, Pick<OrderTaskRecord, 'expiresAt' | 'documents'>>;
};

/** A new order split into its fixed part and the hash fields of its live state. */
export function splitRecord(record: OrderRecord): { stored: StaticRecord; state: Record<string, string> } {
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
  return { stored, state };
}

/** The order from its JSON value and its state hash as HGETALL answers it (field, value, field, value…). */
export function joinRecord(raw: string, flat: string[]): OrderRecord {
  // Maps keyed by the merchant's ids are built with Object.fromEntries: an assignment `tasks['__proto__'] = …`
  // would set the object's prototype instead of adding the task.
  const state = Object.fromEntries(
    Array.from({ length: Math.floor(flat.length / 2) }, (_, i) => [flat[2 * i]!, flat[2 * i + 1]!]),
  );
  const stored = JSON.parse(raw) as StaticRecord;
  const forwarded = indexed(state, 'forward:');
  const tasks = Object.fromEntries(
    Object.entries(stored.tasks).map(([taskId, task]) => {
      const forwards = (forwarded.get(taskId) ?? []).map(([, v]) => JSON.parse(v) as ForwardRecord);
      return [taskId, liveTask(state, stored.createdAt, taskId, task, forwards)];
    }),
  );
  const packaging = Object.fromEntries(
    Object.entries(fieldsWith(state, 'packaging:')).map(([id, v]) => [id, JSON.parse(v) as PackagingRecord]),
  );
  const deleteAt = own(state, 'deleteAt');
  const codes = currentCodes(state);
  return {
    ...stored,
    ...(Object.keys(codes).length > 0 ? { signCodes: { ...stored.signCodes, ...codes } } : {}),
    status: (own(state, 'status') as OrderStatus | undefined) ?? 'ACTIVE',
    ...(deleteAt ? { deleteAt } : {}),
    tasks,
    ...(Object.keys(packaging).length > 0 ? { packaging } : {}),
  };
}

/** Field names of a task's forwards and of the sign code each gave it (`index` from 1). */
export const forwardFields = (taskId: string, index: number) => ({
  forward: `forward:${taskId}:${index}`,
  code: `code:${taskId}:${index}`,
});

/** Fields named `<prefix><taskId>:<index>`, by task id, highest index last (task ids may hold `:`). */
function indexed(state: Record<string, string>, prefix: string): Map<string, Array<[number, string]>> {
  const byTask = new Map<string, Array<[number, string]>>();
  for (const [field, value] of Object.entries(fieldsWith(state, prefix))) {
    const cut = field.lastIndexOf(':');
    const taskId = field.slice(0, cut);
    byTask.set(taskId, [...(byTask.get(taskId) ?? []), [Number(field.slice(cut + 1)), value]]);
  }
  for (const list of byTask.values()) list.sort((a, b) => a[0] - b[0]);
  return byTask;
}

/** Each forwarded task's sign code now: the one its latest forward gave it. */
function currentCodes(state: Record<string, string>): Record<string, string> {
  return Object.fromEntries([...indexed(state, 'code:')].map(([taskId, list]) => [taskId, list.at(-1)![1]]));
}

/** Every sign code forwards issued (the order's deletion removes their keys). */
export function forwardCodes(state: Record<string, string>): string[] {
  return [...indexed(state, 'code:').values()].flatMap((list) => list.map(([, code]) => code));
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
  forwards: ForwardRecord[],
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
    ...(forwards.length > 0 ? { forwards } : {}),
  };
}
