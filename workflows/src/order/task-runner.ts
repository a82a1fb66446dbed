import {
  ids,
  own,
  taskExpiries,
  type OrderStateView,
  type SigningOrderInput,
  type TaskChange,
  type TaskOutcome,
} from '@esign/temporal-contracts';
import { condition, ParentClosePolicy, startChild, type ChildWorkflowHandle } from '@temporalio/workflow';
import { deleteTask, signingTask } from '../signing-task.js';
import { conditionUntil, orderActivities as storage } from './activities.js';
import { notifyTask } from '../notify/start.js';
import { advance, closedByOrder, isFinal, nextClosedExpiry, type TaskState } from './progress.js';

const now = () => new Date().toISOString();

/**
 * The tasks of one order: opens each as its dependencies allow (a `signingTask` child), and closes those that never
 * open. Statuses are recorded by whoever owns the task at that moment: this runner before the child starts (and if
 * the child dies), the child from its start on, so every change is written exactly once.
 */
export class TaskRunner {
  /**
   * By the merchant's task ids, built with Object.fromEntries (so `__proto__` is a key, not the prototype) and read
   * with `own` (so `constructor` is no task). A plain object, not a Map: its key order is what earlier histories ran.
   */
  private readonly tasks: Record<string, TaskState>;
  private readonly children = new Map<string, ChildWorkflowHandle<typeof signingTask>>();
  /** Changes to record on the next turn: tasks whose child failed instead of returning an outcome. */
  private readonly unrecorded: TaskChange[] = [];
  /** Bumped whenever a child ends, so the run loop wakes. */
  private version = 0;

  constructor(private readonly input: SigningOrderInput) {
    const expiries = taskExpiries(input);
    this.tasks = Object.fromEntries(
      input.tasks.map((t) => [t.taskId, { status: 'CREATED', opened: false, expiresAt: own(expiries, t.taskId)! }]),
    );
  }

  expiresAt = () => Object.fromEntries(Object.entries(this.tasks).map(([id, t]) => [id, t.expiresAt]));
  view = (): OrderStateView['tasks'] => Object.fromEntries(Object.entries(this.tasks).map(([id, t]) => [id, { ...t }]));
  /** A task's status; undefined for an id that is no task of this order. */
  statusOf = (taskId: string) => own(this.tasks, taskId)?.status;
  taskIds = () => Object.keys(this.tasks);
  allFinal = () => Object.values(this.tasks).every(isFinal);
  allCompleted = () => Object.values(this.tasks).every((t) => t.status === 'COMPLETED');
  latestExpiry = () =>
    Object.values(this.tasks)
      .map((t) => t.expiresAt)
      .sort()
      .at(-1)!;
  outcomes = () =>
    Object.fromEntries(Object.entries(this.tasks).map(([id, t]) => [id, t.status as TaskOutcome['status']]));

  /** Runs until every task is final or `cancelled()` holds. */
  async run(cancelled: () => boolean): Promise<void> {
    while (!cancelled() && !this.allFinal()) {
      const { changes, ready } = advance(this.input.tasks, this.tasks, now());
      changes.push(...this.unrecorded.splice(0));
      if (changes.length > 0) await this.record(changes);
      await this.notifyExpired(changes);
      if (ready.length > 0) await Promise.all(ready.map((id) => this.open(id)));
      if (changes.length > 0 || ready.length > 0) continue;
      const seen = this.version;
      const woken = () => cancelled() || this.version !== seen;
      const wake = nextClosedExpiry(this.tasks);
      if (wake) await conditionUntil(woken, wake);
      else await condition(woken);
    }
    await this.flush();
  }

  /** The order is cancelled: open children are told to delete themselves, unopened tasks are DELETED here. */
  async deleteOpenTasks(): Promise<void> {
    const changes: TaskChange[] = [];
    for (const [taskId, task] of Object.entries(this.tasks)) {
      if (isFinal(task)) continue;
      const child = this.children.get(taskId);
      // A child that ends at the same moment rejects the signal; its own outcome then arrives anyway.
      if (child) void child.signal(deleteTask).catch(() => undefined);
      else {
        task.status = 'DELETED';
        const actions = this.input.tasks.find((t) => t.taskId === taskId)?.documentActions;
        changes.push(closedByOrder(taskId, 'DELETED', now(), actions));
      }
    }
    if (changes.length > 0) await this.record(changes);
    await condition(this.allFinal);
    await this.flush();
  }

  /** Tasks that expired before they ever opened still fire their EXPIRED notifications (the merchant may wait). */
  private async notifyExpired(changes: TaskChange[]): Promise<void> {
    const { merchantId, orderId, notify: settings } = this.input;
    const expired = changes.filter((c) => c.status === 'EXPIRED');
    await Promise.all(
      expired.map((c) =>
        notifyTask(
          { merchantId, orderId, settings },
          c.taskId,
          this.input.tasks.find((t) => t.taskId === c.taskId)?.notifications,
          'EXPIRED',
        ),
      ),
    );
  }

  private async flush(): Promise<void> {
    const changes = this.unrecorded.splice(0);
    if (changes.length > 0) await this.record(changes);
  }

  private record(changes: TaskChange[]): Promise<void> {
    return storage.recordTaskStatus({ merchantId: this.input.merchantId, orderId: this.input.orderId, changes });
  }

  private async open(taskId: string): Promise<void> {
    const { orderId, merchantId } = this.input;
    const task = own(this.tasks, taskId)!;
    task.opened = true;
    const spec = this.input.tasks.find((t) => t.taskId === taskId)!;
    const { documentActions } = spec;
    const documentIds = documentActions ? Object.keys(documentActions) : spec.documents.map((d) => d.documentId);
    const child = await startChild(signingTask, {
      workflowId: ids.task(orderId, taskId),
      args: [
        {
          orderId,
          merchantId,
          taskId,
          expiresAt: task.expiresAt,
          documentIds,
          ...(documentActions ? { documentActions, completesWithDocuments: true, opensBeforeSigning: true } : {}),
          ...(spec.notifications ? { notifications: spec.notifications, notify: this.input.notify } : {}),
          ...(spec.archiveDocuments ? { archiveDocuments: spec.archiveDocuments } : {}),
        },
      ],
      // A task must never outlive its order: if the order workflow is closed (even terminated by an operator),
      // its children go with it. Normal endings never trigger this: the order waits for every child first.
      parentClosePolicy: ParentClosePolicy.TERMINATE,
    });
    this.children.set(taskId, child);
    void child
      .result()
      .then(
        (outcome) => {
          task.status = outcome.status;
        },
        () => {
          task.status = 'DELETED';
          this.unrecorded.push(closedByOrder(taskId, 'DELETED', now()));
        },
      )
      .finally(() => {
        this.children.delete(taskId);
        this.version++;
      });
  }
}
