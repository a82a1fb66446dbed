import { shownDocument } from '@esign/order-store';
import { Router, type Request, type Response } from 'express';
import { openTask, sessionOf, taskOf, withSession } from '../guard.js';
import { frameOf, statePage } from '../pages.js';
import type { Portal } from '../portal.js';
import type { TaskContext } from '../task-context.js';
import { render } from '../views.js';

/** The task's stored document with this id, and its definition; undefined when the task has none of that id. */
function documentOf(ctx: TaskContext, documentId: string) {
  const spec = ctx.spec.documents.find((d) => d.id === documentId);
  const stored = ctx.task.documents.find((d) => d.documentId === documentId);
  return spec && stored ? { spec, stored } : undefined;
}

/**
 * A document of the task, to an identified signer: its page (a PDF rendered by pdf.js with a text layer, a text as
 * text), its bytes inline for the viewer, and as a download.
 */
export function documentRoutes(portal: Portal): Router {
  const router = Router();
  router.get(
    '/std/documents/:documentId',
    withSession(portal),
    openTask(portal, { identified: 'page' }),
    async (req, res, next) => {
      try {
        const ctx = taskOf(res);
        const session = sessionOf(res);
        const id = String(req.params.documentId);
        const doc = documentOf(ctx, id);
        if (!doc) return statePage(portal, req, res, ctx, 'DELETED');
        // Remembered in the session; recorded (DOCUMENT_VIEWED) when the identified signer completes the task.
        if (!session.viewed.includes(id)) {
          session.viewed.push(id);
          await portal.sessions.save(session);
        }
        const pdf = doc.stored.contentType === 'application/pdf';
        const text = pdf ? undefined : (await portal.store.readObject(doc.stored.objectKey)).toString('utf8');
        render(res, 200, 'document', frameOf(portal, req, res, ctx), {
          name: doc.spec.description ?? doc.spec.id,
          src: `/std/documents/${encodeURIComponent(id)}`,
          pdf,
          text,
        });
      } catch (err) {
        next(err);
      }
    },
  );

  const send = (disposition: 'inline' | 'attachment') => async (req: Request, res: Response) => {
    const ctx = taskOf(res);
    const doc = documentOf(ctx, String(req.params.documentId));
    if (!doc) return void res.status(404).end();
    // A PDF form the order filled in is shown as filled: the copy the signer signs.
    const stored = shownDocument(doc.stored);
    const name = `${(doc.spec.description ?? doc.spec.id).replace(/[^\p{L}\p{N} ._-]/gu, '_')}.${stored.contentType === 'application/pdf' ? 'pdf' : 'txt'}`;
    res.set({
      'Content-Type': stored.contentType === 'text/plain' ? 'text/plain; charset=utf-8' : stored.contentType,
      'Content-Length': String(stored.size),
      'Content-Disposition': `${disposition}; filename*=UTF-8''${encodeURIComponent(name)}`,
    });
    const content = await portal.store.readObject(stored.objectKey);
    res.send(content);
    portal.documentBytes('out', 'original', content.length);
  };
  const asRequest = { identified: 'request' } as const;
  router.get('/std/documents/:documentId/content', withSession(portal), openTask(portal, asRequest), (req, res, next) =>
    send('inline')(req, res).catch(next),
  );
  router.get(
    '/std/documents/:documentId/download',
    withSession(portal),
    openTask(portal, asRequest),
    (req, res, next) => send('attachment')(req, res).catch(next),
  );
  return router;
}
