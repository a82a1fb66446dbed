import express, { Router, type Request, type Response } from 'express';
import {
  signStatement,
  TASK_EVENT_TYPES,
  type FormFieldValue,
  type SealRequest,
  type SignerActionResult,
} from '@esign/temporal-contracts';
import { openTask, sessionOf, taskOf, withSession } from '../guard.js';
import type { Portal } from '../portal.js';
import { MAX_SIGN_FORM_BYTES, signFormOf } from '../signature-image.js';
import { documentDone, hasDocumentToSign, mayAct, redirectTarget, signatureMethodFor } from '../task-context.js';
import { formInputProblems, formsToFill, sentFormInputs, signerFormValues } from '../task-forms.js';
import { signProblem, type SignForm } from '../task-view.js';
import { renderTask } from './task.js';

/**
 * The seal request for the identified signer: the evidence the signature covers, their mark if any, and what they
 * filled in of the document's form.
 */
function sealRequest(req: Request, res: Response, form: SignForm, formValues?: FormFieldValue[]): SealRequest {
  const session = sessionOf(res);
  const identity = session.identity!;
  const method = signatureMethodFor(taskOf(res).spec, identity.method);
  const statement = method.type === 'SIGNED_STATEMENT';
  // What the page showed the signer to consent to: recorded in the evidence, which the signature covers.
  const consented = signStatement(taskOf(res).spec);
  return {
    signatureType: statement ? 'SIGNED_STATEMENT' : 'AUTHENTICATION_BASED',
    evidence: {
      signerName: identity.name,
      method: identity.method,
      authenticatedAt: identity.at,
      claims: identity.claims,
      ip: req.ip ?? '',
      userAgent: req.header('user-agent') ?? '',
      ...(form.png ? { handwritten: form.typed ? ('typed' as const) : ('drawn' as const) } : {}),
      ...(consented ? { statement: consented.text } : {}),
    },
    ...(statement && identity.idToken ? { signedStatement: identity.idToken } : {}),
    ...(statement && identity.statementProof ? { statementProof: identity.statementProof } : {}),
    ...(form.png ? { handwrittenPng: form.png } : {}),
    ...(formValues?.length ? { formValues } : {}),
  };
}

/**
 * Sign: refused (the page again, 400, the message next to its field, what was entered kept) until every document is
 * opened (an UPLOAD one uploaded), the consent given and, for a handwritten method, a mark drawn or typed. Then the views and uploads not
 * yet recorded, each SIGN document sealed, the task completed; the browser goes to `onTaskComplete`, else to the
 * done page (a redirect: a reload resubmits nothing).
 */
export function signRoutes(portal: Portal): Router {
  const router = Router();
  // A few fields of its own, and the inputs of the PDF forms the signer fills in.
  const form = express.urlencoded({ extended: false, limit: MAX_SIGN_FORM_BYTES, parameterLimit: 2000 });
  router.post('/std/sign', withSession(portal, form), openTask(portal), async (req, res, next) => {
    try {
      const ctx = taskOf(res);
      const session = sessionOf(res);
      // Let in (the task's log-in), and identified to sign where there is a document to sign.
      if (!mayAct(ctx.spec, session) || (hasDocumentToSign(ctx.spec) && !session.identity)) {
        return void res.redirect(303, '/std/task');
      }
      const body = req.body as Record<string, unknown>;
      const sent = signFormOf(body);
      const forms = session.identity ? await formsToFill(portal.store, ctx, session.viewed) : [];
      const inputs = sentFormInputs(forms, body);
      const values = signerFormValues(forms, inputs);
      const invalid = await formInputProblems(forms, values);
      const problem =
        signProblem(ctx, session, sent) ?? (invalid.length ? { kind: 'form' as const, inputs: invalid } : undefined);
      if (problem) {
        return await renderTask(portal, req, res, 400, {
          problem,
          forms,
          kept: { consent: sent.consent, typedName: sent.typedName, form: inputs },
        });
      }
      // Only SIGN documents are sealed, and a task with one has an identified signer (checked above).
      const seal = (documentId: string) => sealRequest(req, res, sent, values.get(documentId));
      // What the signer read and uploads an earlier portal left unrecorded are recorded now that they sign; the last
      // one may complete the task, so never before. The documents to sign they opened go with the first signature
      // (the task workflow refuses one before every document shown was opened, as signProblem did here).
      const unrecorded = (eventType: string, id: string) =>
        !ctx.events.some((e) => e.eventType === eventType && e.data === id);
      let result: SignerActionResult | undefined;
      for (const d of ctx.spec.documents) {
        if (d.action === 'VIEW' && unrecorded(TASK_EVENT_TYPES.VIEWED, d.id)) {
          result = await portal.act(session, { type: 'VIEWED', documentId: d.id });
        } else if (d.action === 'UPLOAD' && unrecorded(TASK_EVENT_TYPES.UPLOADED, d.id)) {
          result = await portal.act(session, { type: 'UPLOADED', documentId: d.id });
        }
      }
      let opened = ctx.spec.documents.filter((d) => d.action === 'SIGN' && unrecorded(TASK_EVENT_TYPES.VIEWED, d.id));
      for (const d of ctx.spec.documents.filter(
        (x) => x.action === 'SIGN' && !documentDone(ctx, x.id, session.viewed),
      )) {
        const action = { type: 'SIGNED', documentId: d.id, seal: seal(d.id) } as const;
        result = await portal.act(session, opened.length ? { ...action, opened: opened.map((o) => o.id) } : action);
        opened = [];
      }
      if (result?.taskStatus !== 'COMPLETED') await portal.act(session, { type: 'COMPLETED' });
      await portal.sessions.save({ ...session, done: true });
      const target = ctx.spec.onTaskComplete;
      res.redirect(303, target ? redirectTarget(target, ctx.record.orderId, ctx.spec.id) : '/std/done');
    } catch (err) {
      next(err);
    }
  });
  return router;
}
