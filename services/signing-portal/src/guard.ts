import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { sessionCookie, setSessionCookie } from './cookies.js';
import { frameOf, statePage } from './pages.js';
import type { Portal } from './portal.js';
import { csrfMatches, type PortalSession } from './session.js';
import { loadTask, mayAct, taskState, type TaskContext } from './task-context.js';
import { renderMessage } from './views.js';

/** What the guards leave for the routes behind them. */
export const sessionOf = (res: Response) => res.locals.session as PortalSession;
export const taskOf = (res: Response) => res.locals.ctx as TaskContext;

const run = (handler: RequestHandler, req: Request, res: Response) =>
  new Promise<void>((ok, fail) => handler(req, res, (err?: unknown) => (err ? fail(err) : ok())));

/**
 * The signer's session, loaded from its cookie before any body is read (401 page when there is none); then, for
 * POSTs, the body is read with `body` (if given) and the CSRF token checked (the form's, else `X-CSRF-Token`) along
 * with the `Origin`.
 */
export function withSession(portal: Portal, body?: RequestHandler): RequestHandler {
  const origin = new URL(portal.config.signingPortalUrl).origin;
  return async (req, res, next) => {
    try {
      const session = await portal.sessions.get(sessionCookie(req));
      if (!session) {
        const frame = frameOf(portal, req, res, null);
        return renderMessage(res, 401, frame, { title: 'sessionExpiredTitle', body: 'sessionExpiredBody' });
      }
      if (req.method === 'POST') {
        if (body) await run(body, req, res);
        const token = (req.body as Record<string, unknown> | undefined)?.csrf ?? req.header('x-csrf-token');
        const from = req.header('origin');
        if (!csrfMatches(session, token) || (from && from !== origin)) {
          return void res.status(403).type('text').send('Forbidden: the form has expired; reload the page.');
        }
      }
      res.locals.session = session;
      setSessionCookie(portal, res, session);
      next();
    } catch (err) {
      next(err);
    }
  };
}

/**
 * The session's task, which must be open to its signer (else the page saying where it stands). `identified`: the
 * signer must also be identified for it (a task that asks for a log-in shows nothing and takes nothing before):
 * pages lead back to the task, other requests are refused (403).
 */
export function openTask(portal: Portal, opts: { identified?: 'page' | 'request' } = {}): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const ctx = await loadTask(portal.reader, sessionOf(res));
      const state = taskState(ctx, sessionOf(res));
      if (state !== 'open') {
        if (opts.identified === 'request') return void res.status(409).json({ error: 'the task is not open' });
        return statePage(portal, req, res, ctx, state);
      }
      if (opts.identified && !mayAct(ctx!.spec, sessionOf(res))) {
        if (opts.identified === 'request') return void res.status(403).json({ error: 'identify yourself first' });
        return void res.redirect(303, '/std/task');
      }
      res.locals.ctx = ctx;
      next();
    } catch (err) {
      next(err);
    }
  };
}
