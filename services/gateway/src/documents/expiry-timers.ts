import { ids, TASK_QUEUES, WORKFLOW_TYPES } from '@esign/temporal-contracts';
import type { Client } from '@temporalio/client';

const REMEMBER_SECONDS = 60;

/**
 * Starts the expiry timer shared by the uploads of one second, once per second (other replicas starting the same one
 * land on it: USE_EXISTING). Every upload of that second awaits the same start.
 */
export class ExpiryTimers {
  private readonly started = new Map<string, { second: number; start: Promise<void> }>();

  constructor(private readonly temporal: Client) {}

  /** The expiry timer of the uploads of `second`. */
  ensure(ttlSeconds: number, second: number): Promise<void> {
    return this.once(ids.uploadExpiryBucket(ttlSeconds, second), second, WORKFLOW_TYPES.UPLOAD_EXPIRY_BUCKET, {
      ttlSeconds,
      second,
    });
  }

  private once(workflowId: string, second: number, type: string, input: object): Promise<void> {
    const known = this.started.get(workflowId);
    if (known) return known.start;
    const start = this.temporal.workflow
      .start(type, {
        taskQueue: TASK_QUEUES.ORCHESTRATOR,
        workflowId,
        args: [input],
        workflowIdConflictPolicy: 'USE_EXISTING',
      })
      .then(() => undefined);
    // A failed start is not remembered: the next request of that second tries again.
    start.catch(() => this.started.delete(workflowId));
    this.started.set(workflowId, { second, start });
    this.forgetBefore(second - REMEMBER_SECONDS);
    return start;
  }

  private forgetBefore(second: number): void {
    for (const [id, { second: at }] of this.started) if (at < second) this.started.delete(id);
  }
}
