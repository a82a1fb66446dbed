import type { SigningConfiguration } from '@esign/config';
import type { Request, Response } from 'express';
import { pickLanguage } from './i18n/index.js';
import type { Portal } from './portal.js';
import type { TaskContext, TaskState } from './task-context.js';
import { renderMessage, type Frame, type NextStep } from './views.js';

/** The signing-interface configuration a task names (`configuration`, else `profile`), else `default`. */
export function brandingOf(portal: Portal, ctx: TaskContext | null): SigningConfiguration {
  const name = ctx?.spec.configuration ?? ctx?.spec.profile ?? 'default';
  return portal.configurations.get(name) ?? portal.configurations.get('default')!;
}

/** The page frame for a task (or none): the task's language, else the browser's; its configuration's branding. */
export function frameOf(portal: Portal, req: Request, res: Response, ctx: TaskContext | null): Frame {
  return {
    language: pickLanguage(ctx?.spec.language, req.header('accept-language')),
    branding: brandingOf(portal, ctx),
    nonce: res.locals.nonce as string,
  };
}

type PageState = TaskState | 'incomplete-link';

const STATE_PAGES: Record<PageState, [number, Parameters<typeof renderMessage>[3]]> = {
  open: [409, { title: 'notOpenTitle', body: 'notOpenBody' }],
  COMPLETED: [200, { title: 'completedTitle', body: 'completedBody' }],
  REJECTED: [200, { title: 'rejectedTitle', body: 'rejectedBody' }],
  EXPIRED: [410, { title: 'expiredTitle', body: 'expiredBody' }],
  DELETED: [404, { title: 'deletedTitle', body: 'deletedBody' }],
  'not-open': [409, { title: 'notOpenTitle', body: 'notOpenBody' }],
  'incomplete-link': [404, { title: 'linkIncompleteTitle', body: 'linkIncompleteBody' }],
  forwarded: [410, { title: 'forwardedTitle', body: 'forwardedBody' }],
};

/** Where a task stands when it is not open to its signer (or the link opens nothing): its page. */
export function statePage(portal: Portal, req: Request, res: Response, ctx: TaskContext | null, state: PageState) {
  const [status, message] = STATE_PAGES[state];
  renderMessage(res, status, frameOf(portal, req, res, ctx), message);
}

/** Too many of something for now: 429 with Retry-After, what to wait for, and the way back to the task. */
export function busyPage(portal: Portal, req: Request, res: Response, ctx: TaskContext | null, retryAfter: number) {
  res.set('Retry-After', String(retryAfter));
  const next: NextStep[] = ctx ? [{ kind: 'link', href: '/std/task', label: 'backToDocuments' }] : [];
  renderMessage(res, 429, frameOf(portal, req, res, ctx), { title: 'tooManyTitle', body: 'tooManyBody', next });
}

/** Something failed on our side or at a provider: say so, and lead back to the task (still open). */
export function errorPage(portal: Portal, req: Request, res: Response, ctx: TaskContext | null, status = 400) {
  const next: NextStep[] = ctx ? [{ kind: 'link', href: '/std/task', label: 'backToDocuments' }] : [];
  renderMessage(res, status, frameOf(portal, req, res, ctx), { title: 'errorTitle', body: 'errorBody', next });
}
