import { randomBytes } from 'node:crypto';
import { ids, TASK_QUEUES, WORKFLOW_TYPES, type OneTimeCodeInput } from '@esign/temporal-contracts';
import express, { Router, type Request, type Response } from 'express';
import { openTask, sessionOf, taskOf, withSession } from '../guard.js';
import { t } from '../i18n/index.js';
import { maskRecipient, oneTimeCodeRecipient } from '../identity.js';
import { brandingOf, busyPage, errorPage, frameOf } from '../pages.js';
import type { Portal } from '../portal.js';
import { holderOf } from '../task-context.js';
import { render, renderMessage } from '../views.js';
import { establish } from './login.js';

type CodeState = 'fresh' | 'wrong' | 'exhausted';

function renderOtp(portal: Portal, req: Request, res: Response, status: number, state: CodeState, wait?: number) {
  const session = sessionOf(res);
  render(res, status, 'otp', frameOf(portal, req, res, taskOf(res)), {
    csrf: session.csrf,
    recipient: maskRecipient(session.otp!.recipient),
    state,
    ...(wait ? { wait: String(wait) } : {}),
  });
}

/** The method is locked for this task: a clear page (403) offering another identity; the challenge is dropped. */
async function otpLocked(portal: Portal, req: Request, res: Response): Promise<void> {
  const session = sessionOf(res);
  if (session.otp) {
    delete session.otp;
    await portal.sessions.save(session);
  }
  renderMessage(res, 403, frameOf(portal, req, res, taskOf(res)), {
    title: 'otpLockedTitle',
    body: 'otpLockedBody',
    next: [{ kind: 'link', href: '/std/task', label: 'tryAnotherIdentity' }],
  });
}

/**
 * SMS / e-mail one-time code: within the limits (resend interval, per task, recipient and address), the notification
 * worker makes and sends a code (workflow `oneTimeCode`); the signer is then asked for it.
 */
export async function startOneTimeCode(
  portal: Portal,
  req: Request,
  res: Response,
  method: string,
  channel: 'SMS' | 'EMAIL',
): Promise<void> {
  const ctx = taskOf(res);
  const session = sessionOf(res);
  const { language } = frameOf(portal, req, res, ctx);
  const holder = holderOf(ctx, brandingOf(portal, ctx).forwardSubject);
  const recipient = oneTimeCodeRecipient(channel, holder.subject, holder.notifications);
  if (!recipient) return errorPage(portal, req, res, ctx);
  const scope = { merchantId: session.merchantId, orderId: session.orderId, taskId: session.taskId, method };
  const verdict = await portal.limits.challenge(scope, recipient, req.ip ?? '');
  if (!verdict.ok && verdict.reason === 'locked') return otpLocked(portal, req, res);
  if (!verdict.ok) {
    res.set('Retry-After', String(verdict.retryAfter));
    // With a code on its way already, the code page says when another can come; else the page for too many asks.
    if (session.otp) return renderOtp(portal, req, res, 429, 'exhausted', verdict.retryAfter);
    return busyPage(portal, req, res, ctx, verdict.retryAfter);
  }
  const challengeId = randomBytes(24).toString('base64url');
  const input: OneTimeCodeInput = {
    merchantId: session.merchantId,
    challengeId,
    channel,
    recipient,
    message: t(language, 'otpMessage', { code: '{code}' }),
    subject: t(language, 'otpSubject'),
  };
  await portal.temporal.workflow.execute(WORKFLOW_TYPES.ONE_TIME_CODE, {
    taskQueue: TASK_QUEUES.ORCHESTRATOR,
    workflowId: ids.oneTimeCode(session.orderId, challengeId),
    args: [input],
  });
  session.otp = { challengeId, method, channel, recipient };
  await portal.sessions.save(session);
  res.redirect(303, '/std/otp');
}

/** The one-time-code page: enter the code; a wrong one counts (atomically), too many lock the method. */
export function otpRoutes(portal: Portal): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 20 });

  router.get('/std/otp', withSession(portal), openTask(portal), (req, res) => {
    if (!sessionOf(res).otp) return void res.redirect(303, '/std/task');
    renderOtp(portal, req, res, 200, 'fresh');
  });

  router.post('/std/otp/resend', withSession(portal, form), openTask(portal), async (req, res, next) => {
    try {
      const otp = sessionOf(res).otp;
      if (!otp) return void res.redirect(303, '/std/task');
      await startOneTimeCode(portal, req, res, otp.method, otp.channel);
    } catch (err) {
      next(err);
    }
  });

  router.post('/std/otp', withSession(portal, form), openTask(portal), async (req, res, next) => {
    try {
      const session = sessionOf(res);
      if (!session.otp) return void res.redirect(303, '/std/task');
      const { method } = session.otp;
      const scope = { merchantId: session.merchantId, orderId: session.orderId, taskId: session.taskId, method };
      if ((await portal.limits.lockedFor(scope)) > 0) return await otpLocked(portal, req, res);
      const blocked = await portal.limits.addressBlocked(req.ip ?? '');
      if (!blocked.ok) return busyPage(portal, req, res, taskOf(res), blocked.retryAfter);
      const typed = String((req.body as Record<string, unknown>).code ?? '').trim();
      const checked = await portal.codes.check(session.merchantId, session.otp.challengeId, typed);
      if (checked.outcome !== 'right') {
        const { failures, locked } = await portal.limits.failure(scope, req.ip ?? '');
        const max = portal.config.portal.limits.otp.failuresPerTask;
        const wrong = `one-time code (${method}): wrong or expired code, ${failures} of ${max}`;
        await portal.act(session, { type: 'REFUSED', reason: wrong });
        if (locked) {
          await portal.act(session, {
            type: 'REFUSED',
            reason: `one-time code (${method}): locked after ${failures} wrong codes`,
          });
        }
        if (failures >= max) return await otpLocked(portal, req, res);
        const exhausted = checked.outcome === 'gone' || checked.attemptsLeft === 0;
        return renderOtp(portal, req, res, 400, exhausted ? 'exhausted' : 'wrong');
      }
      const { channel, recipient } = session.otp;
      delete session.otp;
      const claim = channel === 'SMS' ? 'phone_number' : 'email';
      // The verified identity is the number or address that received the code: the signature's /Name and the
      // evidence carry it in full (they are evidence); pages before the check, logs and events show it masked.
      const who = { name: recipient, claims: { [claim]: recipient, amr: 'otp' }, idToken: '' };
      await establish(portal, req, res, method, who, false);
    } catch (err) {
      next(err);
    }
  });
  return router;
}
