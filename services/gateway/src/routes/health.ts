import { runChecks, type Check } from '@esign/service-runtime';
import { Router } from 'express';

/** `/healthz`: the process is alive. `/readyz`: every dependency answers (503 naming the ones that do not). */
export function healthRoutes(checks: Record<string, Check>): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.set('cache-control', 'no-store').json({ status: 'ok', service: 'gateway' });
  });
  router.get('/readyz', async (_req, res) => {
    const report = await runChecks(checks);
    res
      .status(report.ready ? 200 : 503)
      .set('cache-control', 'no-store')
      .json({ service: 'gateway', ...report });
  });
  return router;
}
