import { own } from '@esign/temporal-contracts';
import { Router, type Request, type Response } from 'express';
import { openTask, sessionOf, taskOf, withSession } from '../guard.js';
import { frameOf, statePage } from '../pages.js';
import type { Portal } from '../portal.js';
import { loadTask, taskState, type TaskContext } from '../task-context.js';
import { formsToFill } from '../task-forms.js';
import { mayForward } from './forward.js';
import { taskPage, type TaskPage } from '../task-view.js';
import { render } from '../views.js';

/**
 * Renders the task page for the session (with what a refused Sign sent, and why it was refused). The form fields the
 * signer fills in are read from the documents' PDFs unless the caller has them already.
 */
export async function renderTask(
  portal: Portal,
  req: Request,
  res: Response,
  status: number,
  extra: Parameters<typeof taskPage>[4] = {},
): Promise<void> {
  const ctx = taskOf(res);
  const session = sessionOf(res);
  const frame = frameOf(portal, req, res, ctx);
  const labelOf = (method: string) => portal.identity.label(method, frame.language);
  const forms = extra.forms ?? (session.identity ? await formsToFill(portal.store, ctx, session.viewed) : []);
  const page: TaskPage = taskPage(ctx, session, frame.branding, labelOf, {
    ...extra,
    forms,
    forward: mayForward(portal, ctx),
  });
  render(res, status, 'task', frame, { page });
}

/** The signed results a completed task offers its signer (a signer's own upload is not offered back). */
const signedResults = (ctx: TaskContext) =>
  ctx.spec.documents.filter((d) => d.action === 'SIGN' && own(ctx.task.results, d.id));

/** The task page, and the done page a completed Sign redirects to (with copies of what was signed). */
export function taskRoutes(portal: Portal): Router {
  const router = Router();
  router.get('/std/task', withSession(portal), openTask(portal), (req, res, next) =>
    renderTask(portal, req, res, 200, req.query.m === 'uploaded' ? { notice: 'uploadDone' } : {}).catch(next),
  );

  // Reached by redirect after the POST (a reload resubmits nothing); only the session that completed the task.
  router.get('/std/done', withSession(portal), async (req, res, next) => {
    try {
      const ctx = await loadTask(portal.reader, sessionOf(res));
      if (!ctx || !sessionOf(res).done || ctx.task.status !== 'COMPLETED') {
        return statePage(portal, req, res, ctx, taskState(ctx));
      }
      const documents = signedResults(ctx).map((d) => ({ id: d.id, name: d.description ?? d.id }));
      render(res, 200, 'done', frameOf(portal, req, res, ctx), { documents });
    } catch (err) {
      next(err);
    }
  });

  router.get('/std/done/documents/:documentId', withSession(portal), async (req, res, next) => {
    try {
      const ctx = await loadTask(portal.reader, sessionOf(res));
      const id = String(req.params.documentId);
      const spec = ctx && signedResults(ctx).find((d) => d.id === id);
      const result = spec && own(ctx.task.results, id);
      if (!ctx || !sessionOf(res).done || ctx.task.status !== 'COMPLETED' || !result) return void res.status(404).end();
      const name = `${(spec.description ?? spec.id).replace(/[^\p{L}\p{N} ._-]/gu, '_')}.pdf`;
      res.set({
        'Content-Type': result.contentType,
        'Content-Length': String(result.size),
        'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(name)}`,
      });
      const bytes = await portal.store.readObject(result.objectKey);
      res.send(bytes);
      portal.documentBytes('out', 'result', bytes.length);
    } catch (err) {
      next(err);
    }
  });
  return router;
}
