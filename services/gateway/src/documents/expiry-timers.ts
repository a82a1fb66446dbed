import { ids, TASK_QUEUES, WORKFLOW_TYPES } from '@esign/temporal-contracts';
import type { Client } from '@temporalio/client';

const REMEMBER_SECONDS = 60;

/**
 * Starts the expiry timer workflow of each second in which this gateway receives uploads, once per second (other
 * replicas starting the same one land on it: USE_EXISTING). Every upload of that second awaits the same start.
 */
export class ExpiryTimers {
  private readonly started = new Map<string, Promise<void>>();

  constructor(private readonly temporal: Client) {}

  ensure(ttlSeconds: number, second: number): Promise<void> {
    const workflowId = ids.uploadExpiryBucket(ttlSeconds, second);
    let start = this.started.get(workflowId);
    if (!start) {
      start = this.temporal.workflow
        .start(WORKFLOW_TYPES.UPLOAD_EXPIRY_BUCKET, {
          taskQueue: TASK_QUEUES.ORCHESTRATOR,
          workflowId,
          args: [{ ttlSeconds, second }],
          workflowIdConflictPolicy: 'USE_EXISTING',
        })
        .then(() => undefined);
      // A failed start is not remembered: the next upload of that second tries again.
      start.catch(() => this.started.delete(workflowId));
      this.started.set(workflowId, start);
      this.forgetBefore(second - REMEMBER_SECONDS);
    }
    return start;
  }

  private forgetBefore(second: number): void {
    for (const id of this.started.keys()) {
      const at = Number(id.slice(id.lastIndexOf('-') + 1));
      if (at < second) this.started.delete(id);
    }
  }
}
