import { ids, TASK_QUEUES, WORKFLOW_TYPES, type DiagnosticRoundtripResult } from '@esign/temporal-contracts';
import { newId } from '@esign/temporal-contracts/random';
import { Router } from 'express';
import type { GatewayDeps } from '../app.js';
import { HttpProblem } from '../problem.js';

const ROUNDTRIP_TIMEOUT_MS = 30_000;

/**
 * `POST /diagnostics/roundtrip`: starts a workflow that has document-storage write to S3 and Redis, and answers
 * with what the workflow returned. Operators use it to prove every layer works; disable with
 * DIAGNOSTICS_ENABLED=false.
 */
export function diagnosticRoutes({ temporal }: Pick<GatewayDeps, 'temporal'>): Router {
  const router = Router();
  router.post('/roundtrip', async (_req, res) => {
    const probeId = newId();
    const handle = await temporal.workflow.start(WORKFLOW_TYPES.DIAGNOSTIC_ROUNDTRIP, {
      taskQueue: TASK_QUEUES.ORCHESTRATOR,
      workflowId: ids.diagnostic(probeId),
      args: [{ probeId }],
      workflowExecutionTimeout: `${ROUNDTRIP_TIMEOUT_MS} ms`,
    });
    const result = await Promise.race([
      handle.result() as Promise<DiagnosticRoundtripResult>,
      new Promise<never>((_, reject) =>
        setTimeout(
          () =>
            reject(
              new HttpProblem(503, 'Service Unavailable', 'The workers did not answer in time.', undefined, {
                'Retry-After': '5',
              }),
            ),
          ROUNDTRIP_TIMEOUT_MS,
        ).unref(),
      ),
    ]);
    res.status(200).json(result);
  });
  return router;
}
