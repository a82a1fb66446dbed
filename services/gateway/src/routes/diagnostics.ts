import { createHash, timingSafeEqual } from 'node:crypto';
import { ids, TASK_QUEUES, WORKFLOW_TYPES, type DiagnosticRoundtripResult } from '@esign/temporal-contracts';
import { newId } from '@esign/temporal-contracts/random';
import { Router, type RequestHandler } from 'express';
import type { GatewayDeps } from '../app.js';
import { HttpProblem } from '../problem.js';

const ROUNDTRIP_TIMEOUT_MS = 30_000;

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * With a DIAGNOSTICS_TOKEN, only `Authorization: Bearer <it>` passes (compared in constant time over digests, so
 * neither the token's content nor its length leaks through timing); without one the operator port alone guards.
 */
function operatorToken(token: string | undefined): RequestHandler {
  const expected = token === undefined ? undefined : digest(token);
  return (req, _res, next) => {
    if (!expected) return next();
    const presented = /^Bearer (\S+)$/.exec(req.header('authorization') ?? '')?.[1];
    if (presented && timingSafeEqual(digest(presented), expected)) return next();
    const challenge = { 'WWW-Authenticate': 'Bearer realm="esign-operator"' };
    next(new HttpProblem(401, 'Unauthorized', 'The diagnostics need the operator token.', undefined, challenge));
  };
}

/**
 * `POST /diagnostics/roundtrip` (operator port only, DIAGNOSTICS_ENABLED): starts a workflow that has
 * document-storage write, read back and delete an S3 object and a Redis key, and answers with what the workflow
 * returned. Operators use it to prove every layer works.
 */
export function diagnosticRoutes({ temporal, config }: Pick<GatewayDeps, 'temporal' | 'config'>): Router {
  const router = Router();
  router.use(operatorToken(config.gateway.diagnosticsToken));
  router.post('/roundtrip', async (_req, res) => {
    const probeId = newId();
    // The round trip waits for the workers far longer than one Temporal call's deadline.
    const result = await temporal.withDeadline(Date.now() + ROUNDTRIP_TIMEOUT_MS, () => roundtrip(temporal, probeId));
    res.status(200).json(result);
  });
  return router;
}

async function roundtrip(temporal: GatewayDeps['temporal'], probeId: string): Promise<DiagnosticRoundtripResult> {
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
  return result;
}
