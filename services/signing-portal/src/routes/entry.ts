import type { SignCodeTarget } from '@esign/temporal-contracts';
import { TASK_EVENT_TYPES } from '@esign/temporal-contracts';
import { Router, type Request } from 'express';
import { sessionCookie, setSessionCookie } from '../cookies.js';
import { busyPage, frameOf, statePage } from '../pages.js';
import { renderMessage } from '../views.js';
import type { Portal } from '../portal.js';
import type { PortalSession } from '../session.js';
import { forwardsOf, loadTask, taskState, type TaskContext } from '../task-context.js';

/** The sign code's task, when the link's `request_id` and `task_id` (if any) name that same task. */
export function linkTarget(target: SignCodeTarget | null, q: Record<string, unknown>): SignCodeTarget | null {
  if (!target) return null;
  const names = (key: string, value: string) => q[key] === undefined || q[key] === value;
  return names('request_id', target.orderId) && names('task_id', target.taskId) ? target : null;
}

const sameTask = (a: SignCodeTarget, b: SignCodeTarget) =>
  a.merchantId === b.merchantId && a.orderId === b.orderId && a.taskId === b.taskId;

/**
 * Entry: `taskUrl` or `signCodeUrl`. Both carry the task's sign code, the secret that alone opens the task; the
 * `request_id`/`task_id` of a taskUrl must name the same task, and without the code they open nothing (task ids are
 * the merchant's and easy to guess). A session bound to the task, then the clean /std/task URL, so no code stays in
 * the address bar or history.
 */
export function entryRoutes(portal: Portal): Router {
  const router = Router();

  /** The signer's session for the task: the one the browser has, when it is for this task; else a new one. */
  async function sessionFor(req: Request, target: SignCodeTarget, ctx: TaskContext): Promise<PortalSession> {
    const holder = forwardsOf(ctx);
    const current = await portal.sessions.get(sessionCookie(req));
    if (current && sameTask(current, target) && (current.holder ?? 0) === holder) return current;
    if (current) await portal.sessions.destroy(current.id);
    const { merchantId, orderId, taskId } = target;
    const traceparent = ctx.record.traceparent;
    return portal.sessions.create({ merchantId, orderId, taskId, holder, ...(traceparent ? { traceparent } : {}) });
  }

  router.get('/std/docaction', async (req, res, next) => {
    try {
      const q = req.query as Record<string, unknown>;
      if (typeof q.sign_code !== 'string') return statePage(portal, req, res, null, 'incomplete-link');
      const target = linkTarget(await portal.reader.signCode(q.sign_code), q);
      const ctx = target ? await loadTask(portal.reader, target) : null;
      // A code the task had before it was forwarded: it says so (while the task is open; after, where it stands).
      const state = target?.forwarded && taskState(ctx) === 'open' ? 'forwarded' : taskState(ctx);
      if (!target || state !== 'open') return statePage(portal, req, res, ctx, state);
      const opens = await portal.limits.linkOpen(q.sign_code);
      if (!opens.ok) return busyPage(portal, req, res, ctx, opens.retryAfter);
      let session = await sessionFor(req, target, ctx!);
      setSessionCookie(portal, res, session);
      // Only the first open is news to the task: later ones add nothing to its history (its validator refuses them).
      if (!ctx!.events.some((e) => e.eventType === TASK_EVENT_TYPES.STARTED)) {
        await portal
          .act(session, { type: 'STARTED' })
          .catch((err: unknown) => portal.logger.warn({ err: String(err) }, 'STARTED'));
      }
      // The merchant's single-sign-on artifact: once, within its lifetime, for this task — the task's log-in before
      // its documents is done (identifying to sign never is). Any other: a page saying so, and the way to log in.
      if (typeof q.artifact === 'string') {
        const issued = await portal.artifacts.redeem(q.artifact);
        if (!issued || !sameTask(issued, target)) {
          const rest = Object.entries(q).filter(([k, v]) => k !== 'artifact' && typeof v === 'string');
          const href = `/std/docaction?${new URLSearchParams(rest as Array<[string, string]>).toString()}`;
          return renderMessage(res, 403, frameOf(portal, req, res, ctx), {
            title: 'artifactInvalidTitle',
            body: 'artifactInvalidBody',
            next: [{ kind: 'link', href, label: 'artifactLoginInstead' }],
          });
        }
        session = { ...session, authenticated: { method: 'artifact', at: new Date().toISOString() } };
        await portal.sessions.save(session);
        await portal.act(session, { type: 'AUTHENTICATED', method: 'artifact' });
      }
      res.redirect(303, '/std/task');
    } catch (err) {
      next(err);
    }
  });
  return router;
}
