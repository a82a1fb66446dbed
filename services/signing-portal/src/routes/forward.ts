import { isE164, isEmail } from '@esign/contracts';
import { emailTemplateFor, MAX_FORWARDS_PER_TASK, type TaskForward } from '@esign/temporal-contracts';
import express, { Router, type Request, type Response } from 'express';
import { openTask, sessionOf, taskOf, withSession } from '../guard.js';
import { t, type MessageKey } from '../i18n/index.js';
import { brandingOf, frameOf } from '../pages.js';
import type { Portal } from '../portal.js';
import { forwardsOf, type TaskContext } from '../task-context.js';
import { render, renderMessage } from '../views.js';

/** The form's fields, as typed (kept to show again with what was wrong). */
type ForwardFields = Record<
  'forwarderName' | 'forwarderEmail' | 'recipientName' | 'recipientEmail' | 'recipientMobile',
  string
>;

const EMPTY: ForwardFields = {
  forwarderName: '',
  forwarderEmail: '',
  recipientName: '',
  recipientEmail: '',
  recipientMobile: '',
};

/** Whether the task's signing configuration lets its signer forward it, and it has forwards left. */
export function mayForward(portal: Portal, ctx: TaskContext): boolean {
  return brandingOf(portal, ctx).allowForward && forwardsOf(ctx) < MAX_FORWARDS_PER_TASK;
}

/** What is wrong with a forward as typed, by field (an identified signer's own name is their identity's). */
export function forwardProblems(
  f: ForwardFields,
  identified: boolean,
): Partial<Record<keyof ForwardFields, MessageKey>> {
  const problems: Partial<Record<keyof ForwardFields, MessageKey>> = {};
  if (!identified && !f.forwarderName) problems.forwarderName = 'forwardNameMissing';
  if (f.forwarderEmail && !isEmail(f.forwarderEmail)) problems.forwarderEmail = 'forwardEmailInvalid';
  if (!f.recipientName) problems.recipientName = 'forwardNameMissing';
  if (f.recipientEmail && !isEmail(f.recipientEmail)) problems.recipientEmail = 'forwardEmailInvalid';
  if (f.recipientMobile && !isE164(f.recipientMobile)) problems.recipientMobile = 'forwardMobileInvalid';
  if (!f.recipientEmail && !f.recipientMobile) problems.recipientEmail = 'forwardContactMissing';
  return problems;
}

function fieldsOf(body: unknown): ForwardFields {
  const b = (body ?? {}) as Record<string, unknown>;
  const field = (name: keyof ForwardFields, max: number) =>
    String(b[name] ?? '')
      .trim()
      .slice(0, max);
  return {
    forwarderName: field('forwarderName', 200),
    forwarderEmail: field('forwarderEmail', 254),
    recipientName: field('recipientName', 200),
    recipientEmail: field('recipientEmail', 254),
    // Spaces people type in numbers are not part of them.
    recipientMobile: field('recipientMobile', 40).replace(/[\s-]/g, ''),
  };
}

/**
 * Forwarding (where the task's signing configuration allows it): the signer names another person and their e-mail
 * address or mobile number; the task's workflow gives the task a new sign code and invites that person, and this
 * session (like any other of the forwarder's) opens nothing any more.
 */
export function forwardRoutes(portal: Portal): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 10 });

  function page(req: Request, res: Response, status: number, fields: ForwardFields, problems = {}) {
    const session = sessionOf(res);
    const frame = frameOf(portal, req, res, taskOf(res));
    render(res, status, 'forward', frame, {
      csrf: session.csrf,
      identified: session.identity?.name,
      fields,
      problems,
    });
  }

  router.get('/std/forward', withSession(portal), openTask(portal), (req, res) => {
    if (!mayForward(portal, taskOf(res))) return void res.redirect(303, '/std/task');
    page(req, res, 200, EMPTY);
  });

  router.post('/std/forward', withSession(portal, form), openTask(portal), async (req, res, next) => {
    try {
      const ctx = taskOf(res);
      const session = sessionOf(res);
      if (!mayForward(portal, ctx)) return void res.redirect(303, '/std/task');
      const fields = fieldsOf(req.body);
      const problems = forwardProblems(fields, !!session.identity);
      if (Object.keys(problems).length > 0) return page(req, res, 400, fields, problems);
      const forward: TaskForward = {
        forwarderName: session.identity?.name ?? fields.forwarderName,
        ...(fields.forwarderEmail ? { forwarderEmail: fields.forwarderEmail } : {}),
        recipientName: fields.recipientName,
        ...(fields.recipientEmail ? { recipientEmail: fields.recipientEmail } : {}),
        ...(fields.recipientMobile ? { recipientMobile: fields.recipientMobile } : {}),
      };
      // The invitation in the task's language (the new signer reads what the order's signer would have).
      const language = ctx.spec.language;
      const template = emailTemplateFor(ctx.record.order, { id: 'forward', type: 'EMAIL' }, language);
      await portal.act(session, {
        type: 'FORWARDED',
        forward,
        invitation: {
          header: t(language, 'forwardInviteHeader'),
          message: t(language, 'forwardInviteMessage', { forwarder: forward.forwarderName }),
          ...(template ? { template } : {}),
        },
      });
      await portal.sessions.destroy(session.id);
      renderMessage(res, 200, frameOf(portal, req, res, ctx), { title: 'forwardDoneTitle', body: 'forwardDoneBody' });
    } catch (err) {
      next(err);
    }
  });
  return router;
}
