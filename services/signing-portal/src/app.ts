import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';
import { loadSigningConfigurations, type Config, type SigningConfiguration } from '@esign/config';
import {
  DocumentStore,
  receiveInspected,
  UPLOAD_CONTENT_TYPES,
  UploadRejection,
  type UploadRejectionReason,
} from '@esign/document-store';
import type { Logger } from '@esign/observability';
import { OneTimeCodeStore } from '@esign/one-time-codes';
import { CreationReservations, OrderReader, OrderStore } from '@esign/order-store';
import {
  createMetricsRegistry,
  dependencyOutage,
  documentBytesMetric,
  escapeHtml,
  requestObservation,
  withLinkedSpan,
  type Registry,
} from '@esign/service-runtime';
import { sendSignerAction } from './signer-actions.js';
import {
  ids,
  TASK_EVENT_TYPES,
  TASK_QUEUES,
  WORKFLOW_TYPES,
  type OneTimeCodeInput,
  type SignCodeTarget,
  type SignerAction,
  type SignerActionResult,
} from '@esign/temporal-contracts';
import { storageKeys } from '@esign/storage-keys';
import type { Client } from '@temporalio/client';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Redis } from 'ioredis';
import type * as Minio from 'minio';
import { hidden, messagePage, msg, page } from './html.js';
import { pickLanguage, t, type Language } from './i18n/index.js';
import {
  IdentityMethods,
  maskRecipient,
  ONE_TIME_CODE_METHODS,
  oneTimeCodeRecipient,
  subjectMismatches,
  type Authenticated,
} from './identity.js';
import { SignerLimits } from './limits.js';
import { csrfMatches, SessionStore, type PortalSession } from './session.js';
import {
  documentDone,
  loadTask,
  mayAct,
  methodsOf,
  redirectTarget,
  signatureMethodFor,
  taskState,
  type TaskContext,
} from './task-context.js';

export interface PortalDeps {
  config: Config;
  logger: Logger;
  temporal: Client;
  redis: Redis;
  s3: Minio.Client;
  identity?: IdentityMethods;
  configurations?: Map<string, SigningConfiguration>;
  /** The process's Prometheus registry, served on `/metrics` (one is created when absent). */
  registry?: Registry;
}

const COOKIE = 'esign_portal';
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;
const STATIC_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'static');
const PDFJS_DIR = join(dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')), 'build');
/** A drawn signature in base64: at most 200 KiB of PNG, the most the task workflow takes into a seal. */
const MAX_HANDWRITTEN_BASE64 = Math.ceil((200 * 1024 * 4) / 3);
const PNG_DATA_URL = 'data:image/png;base64,';
/** What a signer's upload is told when its bytes are refused. */
const UPLOAD_REFUSALS: Record<UploadRejectionReason, [number, string]> = {
  empty: [400, 'the file is empty'],
  'too-large': [413, 'the file is too large'],
  'not-pdf': [415, 'a PDF or UTF-8 text file is expected'],
  'not-utf8': [415, 'a PDF or UTF-8 text file is expected'],
  stalled: [408, 'the upload stalled'],
};
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Form bodies: room for the largest drawn signature even with every base64 character percent-encoded (×3). */
const MAX_FORM_BYTES = 3 * (PNG_DATA_URL.length + MAX_HANDWRITTEN_BASE64) + 4096;

type Locals = { nonce: string; session?: PortalSession };

/**
 * The signing portal (contract §6-7): server-rendered pages for one signer's task, opened from `taskUrl` or
 * `signCodeUrl`. Sessions live in Redis (30 minutes idle), every form carries a CSRF token, and every signer action
 * goes to the task's workflow as an Update; the portal itself decides nothing about the task.
 */
export function createPortal(deps: PortalDeps): Express {
  const { config } = deps;
  const app = express();
  app.disable('x-powered-by');
  // The signer's address (per-address limits, the evidence) as the configured proxies report it (PORTAL_TRUST_PROXY).
  app.set('trust proxy', config.portal.trustProxy);
  const orders = new OrderStore({ redis: deps.redis, keyPrefix: config.redis.keyPrefix });
  const reader = new OrderReader(
    orders,
    new CreationReservations({ redis: deps.redis, keyPrefix: config.redis.keyPrefix }),
  );
  const store = new DocumentStore({
    s3: deps.s3,
    redis: deps.redis,
    bucket: config.s3.buckets.documents,
    keyPrefix: config.redis.keyPrefix,
  });
  const sessions = new SessionStore({
    redis: deps.redis,
    keyPrefix: config.redis.keyPrefix,
    idleSeconds: config.portal.sessionIdleSeconds,
  });
  const limits = new SignerLimits({
    redis: deps.redis,
    keyPrefix: config.redis.keyPrefix,
    limits: config.portal.limits,
  });
  const codes = new OneTimeCodeStore({ redis: deps.redis, keyPrefix: config.redis.keyPrefix });
  const identity =
    deps.identity ??
    new IdentityMethods({
      issuer: config.portal.identityIssuer,
      clientId: config.portal.clientId,
      clientSecret: config.portal.clientSecret,
      redirectUri: `${config.signingPortalUrl}/std/callback`,
      deadlineMs: config.deadlines.identityMs,
    });
  const configurations = deps.configurations ?? loadSigningConfigurations(config.portal.configurationsFile);
  const secure = config.signingPortalUrl.startsWith('https:');

  // `/healthz`, `/readyz` and `/metrics` (this registry) are on the operator port (runHttpService), never here.
  const registry = deps.registry ?? createMetricsRegistry('signing-portal');
  const documentBytes = documentBytesMetric(registry);
  app.use(requestObservation('signing-portal', registry));

  // Static files first: cacheable for an hour (pdf.js alone is 1.7 MB), never sniffed; pages below are no-store.
  const staticOptions = {
    index: false as const,
    maxAge: '1h',
    setHeaders: (res: Response) => res.set('X-Content-Type-Options', 'nosniff'),
  };
  app.use('/static/pdfjs', express.static(PDFJS_DIR, staticOptions));
  app.use('/static', express.static(STATIC_DIR, staticOptions));

  // Security headers on everything: no framing, no sniffing, no referrer to other sites (sign codes are in URLs;
  // `no-referrer` would also blank the Origin of our own form posts), strict CSP.
  app.use((_req, res: Response<unknown, Locals>, next) => {
    const nonce = randomBytes(16).toString('base64');
    res.locals.nonce = nonce;
    res.set({
      'Content-Security-Policy':
        `default-src 'self'; script-src 'self'; style-src 'self' 'nonce-${nonce}'; img-src 'self' data: https:; ` +
        `worker-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'`,
      'X-Frame-Options': 'DENY',
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'same-origin',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cache-Control': 'no-store',
    });
    next();
  });

  const brandingOf = (ctx: TaskContext | null) =>
    configurations.get(ctx?.spec.configuration ?? ctx?.spec.profile ?? 'default') ?? configurations.get('default')!;
  const languageOf = (req: Request, ctx: TaskContext | null): Language =>
    pickLanguage(ctx?.spec.language, req.header('accept-language'));

  const setCookie = (res: Response, session: PortalSession) =>
    res.cookie(COOKIE, session.id, {
      httpOnly: true,
      sameSite: 'lax',
      secure,
      path: '/std',
      maxAge: config.portal.sessionIdleSeconds * 1000,
    });

  function render(res: Response<unknown, Locals>, status: number, html: string) {
    res.status(status).type('html').send(html);
  }

  function statePage(req: Request, res: Response<unknown, Locals>, ctx: TaskContext | null, state: string) {
    const o = { language: languageOf(req, ctx), branding: brandingOf(ctx), nonce: res.locals.nonce };
    const pages: Record<string, [number, Parameters<typeof messagePage>[1], Parameters<typeof messagePage>[2]]> = {
      COMPLETED: [200, 'completedTitle', 'completedBody'],
      REJECTED: [200, 'rejectedTitle', 'rejectedBody'],
      EXPIRED: [410, 'expiredTitle', 'expiredBody'],
      DELETED: [404, 'deletedTitle', 'deletedBody'],
      'not-open': [409, 'notOpenTitle', 'notOpenBody'],
      'incomplete-link': [404, 'linkIncompleteTitle', 'linkIncompleteBody'],
    };
    const [status, title, body] = pages[state] ?? pages.DELETED!;
    render(res, status, messagePage(o, title, body));
  }

  /** Too many of something for now: 429 with Retry-After, and a way back to the task. */
  function busyPage(req: Request, res: Response<unknown, Locals>, ctx: TaskContext | null, retryAfter: number) {
    const o = { language: languageOf(req, ctx), branding: brandingOf(ctx), nonce: res.locals.nonce };
    res.set('Retry-After', String(retryAfter));
    render(res, 429, messagePage(o, 'tooManyTitle', 'tooManyBody'));
  }

  const act = (s: PortalSession, action: SignerAction): Promise<SignerActionResult> =>
    withLinkedSpan(`signer action ${action.type}`, s.traceparent, () =>
      sendSignerAction(deps.temporal, s.orderId, s.taskId, action),
    );

  /**
   * Loads the signer's session (401 page when it is gone) before any body is read; then, for POSTs, reads the body
   * with `body` (if given) and checks the CSRF token (from the form, else the `X-CSRF-Token` header).
   */
  const withSession =
    (
      handler: (req: Request, res: Response<unknown, Locals>, s: PortalSession) => Promise<void>,
      body?: express.RequestHandler,
    ) =>
    async (req: Request, res: Response<unknown, Locals>, next: NextFunction) => {
      try {
        const s = await sessions.get(cookieOf(req, COOKIE));
        if (!s) {
          const o = { language: languageOf(req, null), branding: brandingOf(null), nonce: res.locals.nonce };
          return render(res, 401, messagePage(o, 'sessionExpiredTitle', 'sessionExpiredBody'));
        }
        if (req.method === 'POST') {
          if (body) await new Promise<void>((ok, fail) => body(req, res, (err?: unknown) => (err ? fail(err) : ok())));
          const token = (req.body as Record<string, unknown> | undefined)?.csrf ?? req.header('x-csrf-token');
          const origin = req.header('origin');
          if (!csrfMatches(s, token) || (origin && origin !== new URL(config.signingPortalUrl).origin)) {
            return res.status(403).type('text').send('Forbidden: the form has expired; reload the page.');
          }
        }
        res.locals.session = s;
        setCookie(res, s);
        await handler(req, res, s);
      } catch (err) {
        next(err);
      }
    };

  // Form bodies, read only once the session is known: small ones everywhere, room for a drawn signature on Sign.
  const form = express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 20 });
  const signForm = express.urlencoded({ extended: false, limit: MAX_FORM_BYTES, parameterLimit: 20 });

  // Entry: taskUrl or signCodeUrl. Both carry the task's sign code, the secret that alone opens the task; the
  // `request_id`/`task_id` of a taskUrl must name the same task, and without the code they open nothing (task ids
  // are the merchant's and easy to guess). A session bound to the task, then the clean /std/task URL, so no code
  // stays in the address bar or history.
  app.get('/std/docaction', async (req, res: Response<unknown, Locals>, next) => {
    try {
      const q = req.query as Record<string, unknown>;
      if (typeof q.sign_code !== 'string') return statePage(req, res, null, 'incomplete-link');
      const target = linkTarget(await reader.signCode(q.sign_code), q);
      const ctx = target ? await loadTask(reader, target) : null;
      const state = taskState(ctx);
      if (!target || state !== 'open') return statePage(req, res, ctx, state);
      const opens = await limits.linkOpen(q.sign_code);
      if (!opens.ok) return busyPage(req, res, ctx, opens.retryAfter);
      const s = await sessionFor(req, target, ctx!);
      setCookie(res, s);
      // Only the first open is news to the task: later ones add nothing to its history (its validator refuses them).
      if (!ctx!.events.some((e) => e.eventType === TASK_EVENT_TYPES.STARTED)) {
        await act(s, { type: 'STARTED' }).catch((err: unknown) => deps.logger.warn({ err: String(err) }, 'STARTED'));
      }
      res.redirect(303, '/std/task');
    } catch (err) {
      next(err);
    }
  });

  /** The signer's session for the task: the one the browser has, when it is for this task; else a new one. */
  async function sessionFor(req: Request, target: SignCodeTarget, ctx: TaskContext): Promise<PortalSession> {
    const current = await sessions.get(cookieOf(req, COOKIE));
    if (current && sameTask(current, target)) return current;
    if (current) await sessions.destroy(current.id);
    return sessions.create({ ...target, ...(ctx.record.traceparent ? { traceparent: ctx.record.traceparent } : {}) });
  }

  app.get(
    '/std/task',
    withSession(async (req, res, s) => {
      const ctx = await loadTask(reader, s);
      const state = taskState(ctx);
      if (state !== 'open') return statePage(req, res, ctx, state);
      render(res, 200, taskPage(req, res, ctx!, s));
    }),
  );

  function taskPage(req: Request, res: Response<unknown, Locals>, ctx: TaskContext, s: PortalSession): string {
    const language = languageOf(req, ctx);
    const branding = brandingOf(ctx);
    const L = (key: Parameters<typeof msg>[1], values?: Record<string, string>) => msg(language, key, values);
    const notice = typeof req.query.m === 'string' && req.query.m === 'uploaded' ? L('uploadDone') : '';
    const problem = typeof req.query.e === 'string' ? escapeHtml(req.query.e.slice(0, 300)) : '';
    const stored = new Set(ctx.task.documents.map((d) => d.documentId));
    const docs = ctx.spec.documents
      .map((d) => {
        const name = d.description ?? d.id;
        const done = documentDone(ctx, d.id, s.viewed);
        const action = { SIGN: L('actionSign'), VIEW: L('actionView'), UPLOAD: L('actionUpload') }[d.action];
        const state = done
          ? { SIGN: L('stateSigned'), VIEW: L('stateViewed'), UPLOAD: L('stateUploaded') }[d.action]
          : L('stateOpen');
        const open =
          stored.has(d.id) && mayAct(ctx.spec, s)
            ? `<a href="/std/documents/${encodeURIComponent(d.id)}">${L('openDocument', { name })}</a>`
            : '';
        const upload =
          d.action === 'UPLOAD' && !done && mayAct(ctx.spec, s)
            ? `<form class="upload" data-document="${escapeHtml(d.id)}"><label>${L('uploadLabel', { name })}
                 <input type="file" name="file" accept="application/pdf,text/plain"></label>
                 <button type="submit" class="secondary">${L('uploadButton')}</button></form>`
            : '';
        return `<li><span><strong>${escapeHtml(name)}</strong> · ${action}</span>
          <span class="state${done ? ' done' : ''}">${state}</span>${open}${upload}</li>`;
      })
      .join('');
    const dialog = ctx.spec.dialog
      ? `<section><h2>${escapeHtml(ctx.spec.dialog.title ?? '')}</h2><p>${escapeHtml(ctx.spec.dialog.message ?? '')}</p></section>`
      : '';
    const methods = methodsOf(ctx.spec);
    const identify = s.identity
      ? `<p class="notice">${L('signedInAs', { name: s.identity.name, method: s.identity.method })}</p>`
      : `<section aria-labelledby="identify"><h2 id="identify">${L('identifyHeading')}</h2><p>${L('identifyIntro')}</p>
         <form method="post" action="/std/login" class="methods">${hidden('csrf', s.csrf)}
         ${methods.map((m) => `<button type="submit" name="method" value="${escapeHtml(m)}">${L('identifyWith', { method: m })}</button>`).join('')}
         </form></section>`;
    const handwritten = s.identity && signatureMethodFor(ctx.spec, s.identity.method).handwritten;
    const signSection = s.identity
      ? `<section aria-labelledby="sign"><h2 id="sign">${L('signHeading')}</h2>
         ${ctx.spec.signText ? `<p>${L('signTextLabel')}</p><p class="sign-text">${escapeHtml(ctx.spec.signText)}</p>` : ''}
         <form method="post" action="/std/sign" id="sign-form">${hidden('csrf', s.csrf)}
         ${
           handwritten
             ? `<p><label for="signature">${L('handwrittenLabel')}</label></p>
                <canvas id="signature" class="signature" width="600" height="200" role="img" aria-label="${L('handwrittenLabel')}"></canvas>
                <input type="hidden" name="handwritten" id="handwritten">
                <p><button type="button" class="secondary" id="clear-signature">${L('handwrittenClear')}</button></p>`
             : ''
         }
         <p><label><input type="checkbox" name="consent" value="yes" required> ${L('consentLabel')}</label></p>
         <button type="submit">${L('signButton')}</button></form></section>`
      : '';
    const reject =
      branding.allowReject && mayAct(ctx.spec, s)
        ? `<section aria-labelledby="reject"><h2 id="reject">${L('rejectHeading')}</h2><p>${L('rejectIntro')}</p>
         <form method="post" action="/std/reject">${hidden('csrf', s.csrf)}
         <label for="reason">${L('rejectReasonLabel')}</label><textarea id="reason" name="reason" maxlength="1000"></textarea>
         <p><button type="submit" class="secondary">${L('rejectButton')}</button></p></form></section>`
        : '';
    const postpone = branding.allowPostpone
      ? `<form method="post" action="/std/postpone">${hidden('csrf', s.csrf)}<button type="submit" class="secondary">${L('postponeButton')}</button></form>`
      : '';
    return page({
      language,
      branding,
      nonce: res.locals.nonce,
      title: t(language, 'pageTitle'),
      scripts: ['/static/task.js'],
      body: `<h1>${L('pageTitle')}</h1>
        ${notice ? `<p class="notice" role="status">${notice}</p>` : ''}
        ${problem ? `<p class="error" role="alert">${problem}</p>` : ''}
        <meta name="csrf-token" content="${escapeHtml(s.csrf)}">
        ${dialog}
        <section aria-labelledby="documents"><h2 id="documents">${L('documentsHeading')}</h2>
        <p>${mayAct(ctx.spec, s) ? L('documentsIntro') : L('identifyToOpen')}</p>
        <ul class="documents">${docs}</ul></section>
        ${identify}${signSection}${reject}${postpone}`,
    });
  }

  app.get(
    '/std/documents/:documentId',
    withSession(async (req, res, s) => {
      const ctx = await loadTask(reader, s);
      if (taskState(ctx) !== 'open') return statePage(req, res, ctx, taskState(ctx));
      if (!mayAct(ctx!.spec, s)) return void res.redirect(303, '/std/task');
      const documentId = String(req.params.documentId);
      const spec = ctx!.spec.documents.find((d) => d.id === documentId);
      const stored = ctx!.task.documents.find((d) => d.documentId === documentId);
      if (!spec || !stored) return statePage(req, res, ctx, 'DELETED');
      // Remembered in the session; recorded (DOCUMENT_VIEWED) when the identified signer completes the task.
      if (!s.viewed.includes(documentId)) {
        s.viewed.push(documentId);
        await sessions.save(s);
      }
      const language = languageOf(req, ctx);
      const name = spec.description ?? spec.id;
      const content = `/std/documents/${encodeURIComponent(documentId)}/content`;
      const body =
        stored.contentType === 'application/pdf'
          ? `<div class="viewer" id="viewer" data-src="${escapeHtml(content)}" role="document"
               aria-label="${msg(language, 'documentFrame', { name })}"><p>${msg(language, 'loadingDocument')}</p></div>`
          : `<pre class="text-document" aria-label="${msg(language, 'documentFrame', { name })}">${escapeHtml(
              (await store.readObject(stored.objectKey)).toString('utf8'),
            )}</pre>`;
      render(
        res,
        200,
        page({
          language,
          branding: brandingOf(ctx),
          nonce: res.locals.nonce,
          title: name,
          scripts: stored.contentType === 'application/pdf' ? ['/static/viewer.js'] : [],
          body: `<p><a href="/std/task">${msg(language, 'backToDocuments')}</a></p><h1>${escapeHtml(name)}</h1>${body}
                 <p><a class="button" href="/std/task">${msg(language, 'backToDocuments')}</a></p>`,
        }),
      );
    }),
  );

  app.get(
    '/std/documents/:documentId/content',
    withSession(async (req, res, s) => {
      const ctx = await loadTask(reader, s);
      if (ctx && !mayAct(ctx.spec, s)) return void res.status(403).end();
      const stored = ctx?.task.documents.find((d) => d.documentId === String(req.params.documentId));
      if (!ctx || !stored) return void res.status(404).end();
      res.set({
        'Content-Type': stored.contentType === 'text/plain' ? 'text/plain; charset=utf-8' : stored.contentType,
        'Content-Length': String(stored.size),
        'Content-Disposition': 'inline',
      });
      const content = await store.readObject(stored.objectKey);
      res.send(content);
      documentBytes('out', 'original', content.length);
    }),
  );

  app.post(
    '/std/login',
    withSession(async (req, res, s) => {
      const ctx = await loadTask(reader, s);
      if (taskState(ctx) !== 'open') return statePage(req, res, ctx, taskState(ctx));
      const method = String((req.body as Record<string, unknown>).method ?? '');
      if (!methodsOf(ctx!.spec).includes(method)) return void res.status(400).type('text').send('Unknown method.');
      const channel = ONE_TIME_CODE_METHODS[method];
      if (channel) return startOneTimeCode(req, res, s, ctx!, method, channel);
      const statement = signatureMethodFor(ctx!.spec, method).type === 'SIGNED_STATEMENT';
      const digests = statement ? signDigests(ctx!) : undefined;
      const login = await identity.start(method, digests);
      s.login = { state: login.state, nonce: login.nonce, verifier: login.verifier, method, statement };
      await sessions.save(s);
      res.redirect(303, login.url);
    }, form),
  );

  app.get(
    '/std/callback',
    withSession(async (req, res, s) => {
      const ctx = await loadTask(reader, s);
      if (taskState(ctx) !== 'open') return statePage(req, res, ctx, taskState(ctx));
      const o = { language: languageOf(req, ctx), branding: brandingOf(ctx), nonce: res.locals.nonce };
      if (!s.login) return render(res, 400, messagePage(o, 'errorTitle', 'errorBody'));
      const login = s.login;
      let who;
      try {
        who = await identity.finish(new URL(req.originalUrl, config.signingPortalUrl), login);
      } catch (err) {
        deps.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'identity method login failed');
        return render(res, 400, messagePage(o, 'errorTitle', 'errorBody'));
      }
      // A signed statement must bind the signer to exactly the documents shown here, or it is worth nothing.
      if (login.statement && (who.claims.esign_digests ?? '') !== signDigests(ctx!).join(',')) {
        deps.logger.warn({ method: login.method }, 'the signed statement does not carry the documents’ digests');
        return render(res, 400, messagePage(o, 'errorTitle', 'errorBody'));
      }
      delete s.login;
      await establish(req, res, s, ctx!, login.method, who, login.statement);
    }),
  );

  /**
   * The identity method answered: the subject's attributes must match (else a refusal page and an ERROR event), then
   * a new session id (no fixation) and the AUTHENTICATED action.
   */
  async function establish(
    req: Request,
    res: Response<unknown, Locals>,
    s: PortalSession,
    ctx: TaskContext,
    method: string,
    who: Authenticated,
    statement: boolean,
  ): Promise<void> {
    const mismatches = subjectMismatches(ctx.spec.subject?.attributes, method, who.claims);
    if (mismatches.length > 0) {
      await act(s, { type: 'REFUSED', reason: `identity did not match the order's subject: ${mismatches.join(', ')}` });
      await sessions.save(s);
      const o = { language: languageOf(req, ctx), branding: brandingOf(ctx), nonce: res.locals.nonce };
      return render(res, 403, messagePage(o, 'refusedTitle', 'refusedBody'));
    }
    const next = await sessions.regenerate({
      ...s,
      identity: {
        name: who.name,
        method,
        at: new Date().toISOString(),
        claims: who.claims,
        ...(statement ? { idToken: who.idToken } : {}),
      },
    });
    setCookie(res, next);
    await act(next, { type: 'AUTHENTICATED', method });
    res.redirect(303, '/std/task');
  }

  /** SMS / e-mail one-time code: the notification worker makes and sends it (workflow `oneTimeCode`). */
  async function startOneTimeCode(
    req: Request,
    res: Response<unknown, Locals>,
    s: PortalSession,
    ctx: TaskContext,
    method: string,
    channel: 'SMS' | 'EMAIL',
  ): Promise<void> {
    const language = languageOf(req, ctx);
    const recipient = oneTimeCodeRecipient(channel, ctx.spec.subject, ctx.spec.notifications);
    if (!recipient) {
      const o = { language, branding: brandingOf(ctx), nonce: res.locals.nonce };
      return render(res, 400, messagePage(o, 'errorTitle', 'errorBody'));
    }
    const scope = { merchantId: s.merchantId, orderId: s.orderId, taskId: s.taskId, method };
    const verdict = await limits.challenge(scope, recipient, req.ip ?? '');
    if (!verdict.ok && verdict.reason === 'locked') return otpLocked(req, res, ctx);
    if (!verdict.ok) {
      const wait = msg(language, 'otpWait', { seconds: String(verdict.retryAfter) });
      const o = { language, branding: brandingOf(ctx), nonce: res.locals.nonce };
      res.set('Retry-After', String(verdict.retryAfter));
      const back = `<p role="status">${wait}</p><p><a href="/std/task">${msg(language, 'backToDocuments')}</a></p>`;
      return render(res, 429, messagePage(o, 'tooManyTitle', 'tooManyBody', back));
    }
    const challengeId = randomBytes(24).toString('base64url');
    const input: OneTimeCodeInput = {
      merchantId: s.merchantId,
      challengeId,
      channel,
      recipient,
      message: t(language, 'otpMessage', { code: '{code}' }),
      subject: t(language, 'otpSubject'),
    };
    await deps.temporal.workflow.execute(WORKFLOW_TYPES.ONE_TIME_CODE, {
      taskQueue: TASK_QUEUES.ORCHESTRATOR,
      workflowId: ids.oneTimeCode(challengeId),
      args: [input],
    });
    s.otp = { challengeId, method, channel, recipient };
    await sessions.save(s);
    res.redirect(303, '/std/otp');
  }

  function otpPage(req: Request, res: Response<unknown, Locals>, s: PortalSession, ctx: TaskContext, wrong: boolean) {
    const language = languageOf(req, ctx);
    const recipient = maskRecipient(s.otp!.recipient);
    return page({
      language,
      branding: brandingOf(ctx),
      nonce: res.locals.nonce,
      title: t(language, 'otpHeading'),
      body: `<h1>${msg(language, 'otpHeading')}</h1><p>${msg(language, 'otpSent', { recipient })}</p>
        ${wrong ? `<p class="error" role="alert" id="otp-error">${msg(language, 'otpWrong')}</p>` : ''}
        <form method="post" action="/std/otp">${hidden('csrf', s.csrf)}
        <p><label for="code">${msg(language, 'otpLabel')}</label>
        <input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength="6" required
          ${wrong ? 'aria-describedby="otp-error" aria-invalid="true"' : ''}></p>
        <button type="submit">${msg(language, 'otpButton')}</button></form>
        <p><a href="/std/task">${msg(language, 'backToDocuments')}</a></p>`,
    });
  }

  app.get(
    '/std/otp',
    withSession(async (req, res, s) => {
      const ctx = await loadTask(reader, s);
      if (taskState(ctx) !== 'open') return statePage(req, res, ctx, taskState(ctx));
      if (!s.otp) return void res.redirect(303, '/std/task');
      render(res, 200, otpPage(req, res, s, ctx!, false));
    }),
  );

  app.post(
    '/std/otp',
    withSession(async (req, res, s) => {
      const ctx = await loadTask(reader, s);
      if (taskState(ctx) !== 'open') return statePage(req, res, ctx, taskState(ctx));
      if (!s.otp) return void res.redirect(303, '/std/task');
      const { method } = s.otp;
      const scope = { merchantId: s.merchantId, orderId: s.orderId, taskId: s.taskId, method };
      if ((await limits.lockedFor(scope)) > 0) return otpLocked(req, res, ctx!, s);
      const blocked = await limits.addressBlocked(req.ip ?? '');
      if (!blocked.ok) return busyPage(req, res, ctx, blocked.retryAfter);
      const typed = String((req.body as Record<string, unknown>).code ?? '').trim();
      const checked = await codes.check(s.merchantId, s.otp.challengeId, typed);
      if (checked.outcome !== 'right') {
        const { failures, locked } = await limits.failure(scope, req.ip ?? '');
        const max = config.portal.limits.otp.failuresPerTask;
        await act(s, {
          type: 'REFUSED',
          reason: `one-time code (${method}): wrong or expired code, ${failures} of ${max}`,
        });
        if (locked) {
          await act(s, { type: 'REFUSED', reason: `one-time code (${method}): locked after ${failures} wrong codes` });
        }
        if (failures >= max) return otpLocked(req, res, ctx!, s);
        return render(res, 400, otpPage(req, res, s, ctx!, true));
      }
      const { channel, recipient } = s.otp;
      delete s.otp;
      const claim = channel === 'SMS' ? 'phone_number' : 'email';
      const who = { name: maskRecipient(recipient), claims: { [claim]: recipient, amr: 'otp' }, idToken: '' };
      await establish(req, res, s, ctx!, method, who, false);
    }, form),
  );

  /** The one-time-code method is locked for this task: a clear page (403); the challenge in progress is dropped. */
  async function otpLocked(req: Request, res: Response<unknown, Locals>, ctx: TaskContext, s?: PortalSession) {
    if (s?.otp) {
      delete s.otp;
      await sessions.save(s);
    }
    const o = { language: languageOf(req, ctx), branding: brandingOf(ctx), nonce: res.locals.nonce };
    const back = `<p><a href="/std/task">${msg(o.language, 'backToDocuments')}</a></p>`;
    render(res, 403, messagePage(o, 'otpLockedTitle', 'otpLockedBody', back));
  }

  app.post(
    '/std/sign',
    withSession(async (req, res, s) => {
      const ctx = await loadTask(reader, s);
      if (taskState(ctx) !== 'open') return statePage(req, res, ctx, taskState(ctx));
      if (!s.identity) return void res.redirect(303, '/std/task');
      const language = languageOf(req, ctx);
      const body = req.body as Record<string, unknown>;
      const missing = ctx!.spec.documents.filter((d) => d.action !== 'SIGN' && !documentDone(ctx!, d.id, s.viewed));
      if (missing.length > 0 || body.consent !== 'yes') {
        const names = missing.map((d) => d.description ?? d.id).join(', ');
        const problem = missing.length ? t(language, 'missingActions', { names }) : t(language, 'consentLabel');
        return void res.redirect(303, `/std/task?e=${encodeURIComponent(problem)}`);
      }
      const method = signatureMethodFor(ctx!.spec, s.identity.method);
      const png = typeof body.handwritten === 'string' ? pngOf(body.handwritten) : undefined;
      if (method.handwritten && !png) {
        return void res.redirect(303, `/std/task?e=${encodeURIComponent(t(language, 'handwrittenLabel'))}`);
      }
      const seal = {
        signatureType:
          method.type === 'SIGNED_STATEMENT' ? ('SIGNED_STATEMENT' as const) : ('AUTHENTICATION_BASED' as const),
        evidence: {
          signerName: s.identity.name,
          method: s.identity.method,
          authenticatedAt: s.identity.at,
          claims: s.identity.claims,
          ip: req.ip ?? '',
          userAgent: req.header('user-agent') ?? '',
        },
        ...(method.type === 'SIGNED_STATEMENT' && s.identity.idToken ? { signedStatement: s.identity.idToken } : {}),
        ...(png ? { handwrittenPng: png } : {}),
      };
      // What the signer read and uploaded is recorded now that they are identified (the last one may complete the
      // task, so never before: a task without documents to sign would complete without authentication).
      const recorded = (eventType: string, id: string) =>
        ctx!.events.some((e) => e.eventType === eventType && e.data === id);
      let result: SignerActionResult | undefined;
      for (const d of ctx!.spec.documents) {
        if (d.action === 'VIEW' && !recorded(TASK_EVENT_TYPES.VIEWED, d.id)) {
          result = await act(s, { type: 'VIEWED', documentId: d.id });
        } else if (d.action === 'UPLOAD' && !recorded(TASK_EVENT_TYPES.UPLOADED, d.id)) {
          result = await act(s, { type: 'UPLOADED', documentId: d.id });
        }
      }
      for (const d of ctx!.spec.documents.filter((x) => x.action === 'SIGN' && !documentDone(ctx!, x.id, s.viewed))) {
        result = await act(s, { type: 'SIGNED', documentId: d.id, seal });
      }
      if (result?.taskStatus !== 'COMPLETED') await act(s, { type: 'COMPLETED' });
      await sessions.destroy(s.id);
      finish(req, res, ctx!, 'onTaskComplete', 'COMPLETED');
    }, signForm),
  );

  // A signer's upload: session, CSRF token, identification and the declared size are checked before a byte of the
  // body is read; the bytes then stream through the upload inspector into S3, never whole in memory.
  app.post(
    '/std/upload/:documentId',
    withSession(async (req, res, s) => {
      const ctx = await loadTask(reader, s);
      if (taskState(ctx) !== 'open') return void res.status(409).json({ error: 'the task is not open' });
      if (!mayAct(ctx!.spec, s)) return void res.status(403).json({ error: 'identify yourself first' });
      const documentId = String(req.params.documentId);
      const spec = ctx!.spec.documents.find((d) => d.id === documentId && d.action === 'UPLOAD');
      if (!spec) return void res.status(404).json({ error: 'no such upload document' });
      const contentType = UPLOAD_CONTENT_TYPES.find(
        (t) => t === (req.header('content-type') ?? '').split(';')[0]!.trim(),
      );
      if (!contentType) return void res.status(415).json({ error: 'a PDF or UTF-8 text file is expected' });
      const declared = req.header('content-length') === undefined ? undefined : Number(req.header('content-length'));
      const { maxBytes, idleTimeoutMs } = config.uploads;
      if (declared !== undefined && declared > maxBytes)
        return void res.status(413).json({ error: 'the file is too large' });
      const objectKey = storageKeys.signerUpload(s.merchantId, s.orderId, s.taskId, documentId);
      let inspected;
      try {
        inspected = await receiveInspected(store, req, { objectKey, contentType, maxBytes, idleTimeoutMs, declared });
      } catch (err) {
        if (!(err instanceof UploadRejection)) throw err;
        const [status, error] = UPLOAD_REFUSALS[err.reason];
        return void res.status(status).json({ error });
      }
      documentBytes('in', 'result', inspected.size);
      // Stored, then handed to the task: its workflow records the file as the document's result (the read model has
      // one writer), with the DOCUMENT_UPLOADED event; the last document done completes the task.
      const result = { objectKey, contentType, sha256: inspected.sha256, size: inspected.size };
      const { taskStatus } = await act(s, { type: 'UPLOADED', documentId, result });
      res.json({ ok: true, taskStatus });
    }),
  );

  app.post(
    '/std/reject',
    withSession(async (req, res, s) => {
      const ctx = await loadTask(reader, s);
      if (taskState(ctx) !== 'open' || !brandingOf(ctx).allowReject) return statePage(req, res, ctx, taskState(ctx));
      if (!mayAct(ctx!.spec, s)) return void res.redirect(303, '/std/task');
      const reason = String((req.body as Record<string, unknown>).reason ?? '')
        .trim()
        .slice(0, 1000);
      await act(s, { type: 'REJECTED', ...(reason ? { reason } : {}) });
      await sessions.destroy(s.id);
      finish(req, res, ctx!, 'onTaskReject', 'REJECTED');
    }, form),
  );

  app.post(
    '/std/postpone',
    withSession(async (req, res, s) => {
      const ctx = await loadTask(reader, s);
      if (taskState(ctx) !== 'open') return statePage(req, res, ctx, taskState(ctx));
      await sessions.destroy(s.id);
      const target = ctx!.spec.onTaskPostpone;
      res.redirect(303, target ? redirectTarget(target, s.orderId, s.taskId) : '/std/task');
    }, form),
  );

  /** After completing or rejecting: the merchant's redirect, else the portal's own page. */
  function finish(
    req: Request,
    res: Response<unknown, Locals>,
    ctx: TaskContext,
    redirect: 'onTaskComplete' | 'onTaskReject',
    state: 'COMPLETED' | 'REJECTED',
  ) {
    const target = ctx.spec[redirect];
    if (target) return res.redirect(303, redirectTarget(target, ctx.record.orderId, ctx.spec.id));
    statePage(req, res, ctx, state);
  }

  app.use((req: Request, res: Response<unknown, Locals>) => statePage(req, res, null, 'DELETED'));
  app.use((err: unknown, req: Request, res: Response<unknown, Locals>, _next: NextFunction) => {
    // A dependency down or hanging (its deadline, its open breaker): 503 with Retry-After, and a page to try again.
    const outage = dependencyOutage(err, Math.max(1, Math.ceil(config.breaker.halfOpenMs / 1000)));
    const status = outage ? 503 : ((err as { status?: number; statusCode?: number }).status ?? 500);
    const message = err instanceof Error ? err.message : String(err);
    if (outage) deps.logger.warn({ dependency: outage.dependency }, 'dependency unavailable');
    else if (status >= 500) deps.logger.error({ err: message }, 'portal error');
    if (res.headersSent) return;
    if (outage) res.set('Retry-After', String(outage.retryAfterSeconds));
    const o = { language: languageOf(req, null), branding: brandingOf(null), nonce: res.locals.nonce ?? '' };
    const shown = (status >= 400 && status < 500) || status === 503 ? status : 500;
    render(res, shown, messagePage(o, 'errorTitle', 'errorBody'));
  });
  return app;
}

/** The sign code's task, when the link's `request_id` and `task_id` (if any) name that same task. */
function linkTarget(target: SignCodeTarget | null, q: Record<string, unknown>): SignCodeTarget | null {
  if (!target) return null;
  const names = (key: string, value: string) => q[key] === undefined || q[key] === value;
  return names('request_id', target.orderId) && names('task_id', target.taskId) ? target : null;
}

const sameTask = (a: SignCodeTarget, b: SignCodeTarget) =>
  a.merchantId === b.merchantId && a.orderId === b.orderId && a.taskId === b.taskId;

/** SHA-256 of the originals the signer signs: what a SIGNED_STATEMENT binds them to. */
function signDigests(ctx: TaskContext): string[] {
  const signed = new Set(ctx.spec.documents.filter((d) => d.action === 'SIGN').map((d) => d.id));
  return ctx.task.documents.filter((d) => signed.has(d.documentId)).map((d) => d.sha256);
}

/** The value of a cookie, only when it has the shape of a session id: anything else is no session. */
function cookieOf(req: Request, name: string): string | undefined {
  for (const part of (req.header('cookie') ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    const value = v.join('=');
    if (k === name && SESSION_ID.test(value)) return value;
  }
  return undefined;
}

/**
 * A drawn signature from the form: a PNG data URL, returned as base64; undefined when absent, larger than a seal
 * takes, or not a well-formed PNG (the sealing would fail on it after the signer waited for its retries).
 */
function pngOf(dataUrl: string): string | undefined {
  if (!dataUrl.startsWith(PNG_DATA_URL) || dataUrl.length > PNG_DATA_URL.length + MAX_HANDWRITTEN_BASE64) {
    return undefined;
  }
  const bytes = Buffer.from(dataUrl.slice(PNG_DATA_URL.length), 'base64');
  const base64 = bytes.toString('base64');
  return base64.length <= MAX_HANDWRITTEN_BASE64 && isPng(bytes) ? base64 : undefined;
}

/** The PNG signature, then chunks each within the file and matching its CRC, IHDR first and IEND last. */
function isPng(bytes: Buffer): boolean {
  if (!bytes.subarray(0, 8).equals(PNG_MAGIC)) return false;
  for (let at = 8; at + 12 <= bytes.length;) {
    const length = bytes.readUInt32BE(at);
    const end = at + 12 + length;
    const type = bytes.toString('latin1', at + 4, at + 8);
    if (end > bytes.length || (at === 8 && type !== 'IHDR')) return false;
    if (crc32(bytes.subarray(at + 4, end - 4)) !== bytes.readUInt32BE(end - 4)) return false;
    if (type === 'IEND') return end === bytes.length;
    at = end;
  }
  return false;
}
