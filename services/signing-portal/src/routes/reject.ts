import express, { Router } from 'express';
import { openTask, sessionOf, taskOf, withSession } from '../guard.js';
import { brandingOf, statePage } from '../pages.js';
import type { Portal } from '../portal.js';
import { mayAct, redirectTarget } from '../task-context.js';

/** Reject (an identified signer, with an optional reason) and postpone: then the merchant's redirect or our page. */
export function rejectRoutes(portal: Portal): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 20 });

  router.post('/std/reject', withSession(portal, form), openTask(portal), async (req, res, next) => {
    try {
      const ctx = taskOf(res);
      const session = sessionOf(res);
      if (!brandingOf(portal, ctx).allowReject) return statePage(portal, req, res, ctx, 'open');
      if (!mayAct(ctx.spec, session)) return void res.redirect(303, '/std/task');
      const reason = String((req.body as Record<string, unknown>).reason ?? '')
        .trim()
        .slice(0, 1000);
      await portal.act(session, { type: 'REJECTED', ...(reason ? { reason } : {}) });
      const target = ctx.spec.onTaskReject;
      // Our own page for a rejected task is where the task stands now (a redirect: a reload resubmits nothing).
      res.redirect(303, target ? redirectTarget(target, ctx.record.orderId, ctx.spec.id) : '/std/task');
    } catch (err) {
      next(err);
    }
  });

  router.post('/std/postpone', withSession(portal, form), openTask(portal), async (_req, res, next) => {
    try {
      const ctx = taskOf(res);
      const session = sessionOf(res);
      await portal.sessions.destroy(session.id);
      const target = ctx.spec.onTaskPostpone;
      res.redirect(303, target ? redirectTarget(target, session.orderId, session.taskId) : '/std/task');
    } catch (err) {
      next(err);
    }
  });
  return router;
}
