import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';
import { loadSigningConfigurations, type Config, type SigningConfiguration } from '@esign/config';
import { DocumentStore } from '@esign/document-store';
import type { Logger } from '@esign/observability';
import { OrderStore } from '@esign/order-store';
import {
  createMetricsRegistry,
  documentBytesMetric,
  escapeHtml,
  requestObservation,
  sendSignerAction,
  withLinkedSpan,
  type Registry,
} from '@esign/service-runtime';
import {
  ids,
  ONE_TIME_CODE,
  storageKeys,
  TASK_EVENT_TYPES,
  TASK_QUEUES,
  WORKFLOW_TYPES,
  type OneTimeCodeInput,
  type SignerAction,
  type SignerActionResult,
} from '@esign/temporal-contracts';
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
import { csrfMatches, SessionStore, type PortalSession } from './session.js';
import {
  documentDone,
  loadTask,
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
const STATIC_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'static');
const PDFJS_DIR = join(dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')), 'build');
/** A drawn signature in base64: at most 200 KiB of PNG, the most the task workflow takes into a seal. */
const MAX_HANDWRITTEN_BASE64 = Math.ceil((200 * 1024 * 4) / 3);
const PNG_DATA_URL = 'data:image/png;base64,';
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
  app.set('trust proxy', false);
  const orders = new OrderStore({ redis: deps.redis, keyPrefix: config.redis.keyPrefix });
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
  const identity =
    deps.identity ??
    new IdentityMethods({
      issuer: config.portal.identityIssuer,
      clientId: config.portal.clientId,
      clientSecret: config.portal.clientSecret,
      redirectUri: `${config.signingPortalUrl}/std/callback`,
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
    };
    const [status, title, body] = pages[state] ?? pages.DELETED!;
    render(res, status, messagePage(o, title, body));
  }

  const act = (s: PortalSession, action: SignerAction): Promise<SignerActionResult> =>
    withLinkedSpan(`signer action ${action.type}`, s.traceparent, () =>
      sendSignerAction(deps.temporal, s.orderId, s.taskId, action),
    );

  /** Loads the signer's session (401 page when it is gone) and, for POSTs, checks its CSRF token. */
  const withSession =
    (handler: (req: Request, res: Response<unknown, Locals>, s: PortalSession) => Promise<void>) =>
    async (req: Request, res: Response<unknown, Locals>, next: NextFunction) => {
      try {
        const s = await sessions.get(cookieOf(req, COOKIE));
        if (!s) {
          const o = { language: languageOf(req, null), branding: brandingOf(null), nonce: res.locals.nonce };
          return render(res, 401, messagePage(o, 'sessionExpiredTitle', 'sessionExpiredBody'));
        }
        if (req.method === 'POST') {
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

  // Entry: taskUrl (request_id + task_id) or signCodeUrl (sign_code). A fresh session bound to the task, then the
  // clean /std/task URL, so no code stays in the address bar or history.
  app.get('/std/docaction', async (req, res: Response<unknown, Locals>, next) => {
    try {
      const q = req.query as Record<string, unknown>;
      const target =
        typeof q.sign_code === 'string'
          ? await orders.resolveSignCode(q.sign_code)
          : typeof q.request_id === 'string' && typeof q.task_id === 'string'
            ? await ownerTarget(orders, q.request_id, q.task_id)
            : null;
      const ctx = target ? await loadTask(orders, target) : null;
      const state = taskState(ctx);
      if (!target || state !== 'open') return statePage(req, res, ctx, state);
      const old = cookieOf(req, COOKIE);
      if (old) await sessions.destroy(old);
      const s = await sessions.create({
        ...target,
        ...(ctx!.record.traceparent ? { traceparent: ctx!.record.traceparent } : {}),
      });
      setCookie(res, s);
      await act(s, { type: 'STARTED' }).catch((err: unknown) => deps.logger.warn({ err: String(err) }, 'STARTED'));
      res.redirect(303, '/std/task');
    } catch (err) {
      next(err);
    }
  });

  app.get(
    '/std/task',
    withSession(async (req, res, s) => {
      const ctx = await loadTask(orders, s);
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
        const open = stored.has(d.id)
          ? `<a href="/std/documents/${encodeURIComponent(d.id)}">${L('openDocument', { name })}</a>`
          : '';
        const upload =
          d.action === 'UPLOAD' && !done
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
    const reject = branding.allowReject
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
        <section aria-labelledby="documents"><h2 id="documents">${L('documentsHeading')}</h2><p>${L('documentsIntro')}</p>
        <ul class="documents">${docs}</ul></section>
        ${identify}${signSection}${reject}${postpone}`,
    });
  }

  app.get(
    '/std/documents/:documentId',
    withSession(async (req, res, s) => {
      const ctx = await loadTask(orders, s);
      if (taskState(ctx) !== 'open') return statePage(req, res, ctx, taskState(ctx));
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
      const ctx = await loadTask(orders, s);
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

  const form = express.urlencoded({ extended: false, limit: MAX_FORM_BYTES, parameterLimit: 20 });

  app.post(
    '/std/login',
    form,
    withSession(async (req, res, s) => {
      const ctx = await loadTask(orders, s);
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
    }),
  );

  app.get(
    '/std/callback',
    withSession(async (req, res, s) => {
      const ctx = await loadTask(orders, s);
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
      const ctx = await loadTask(orders, s);
      if (taskState(ctx) !== 'open') return statePage(req, res, ctx, taskState(ctx));
      if (!s.otp) return void res.redirect(303, '/std/task');
      render(res, 200, otpPage(req, res, s, ctx!, false));
    }),
  );

  app.post(
    '/std/otp',
    form,
    withSession(async (req, res, s) => {
      const ctx = await loadTask(orders, s);
      if (taskState(ctx) !== 'open') return statePage(req, res, ctx, taskState(ctx));
      if (!s.otp) return void res.redirect(303, '/std/task');
      const typed = String((req.body as Record<string, unknown>).code ?? '').trim();
      if (!(await checkOneTimeCode(s.merchantId, s.otp.challengeId, typed))) {
        return render(res, 400, otpPage(req, res, s, ctx!, true));
      }
      const { method, channel, recipient } = s.otp;
      delete s.otp;
      const claim = channel === 'SMS' ? 'phone_number' : 'email';
      const who = { name: maskRecipient(recipient), claims: { [claim]: recipient, amr: 'otp' }, idToken: '' };
      await establish(req, res, s, ctx!, method, who, false);
    }),
  );

  /** Right code: consumed. Wrong: one more try counted; after the last, the code is gone. */
  async function checkOneTimeCode(merchantId: string, challengeId: string, typed: string): Promise<boolean> {
    const key = config.redis.keyPrefix + storageKeys.oneTimeCode(merchantId, challengeId);
    const raw = await deps.redis.get(key);
    if (!raw) return false;
    const stored = JSON.parse(raw) as { code: string; attempts: number };
    const right = typed.length === stored.code.length && timingSafeEqual(Buffer.from(typed), Buffer.from(stored.code));
    if (right) {
      await deps.redis.del(key);
      return true;
    }
    if (stored.attempts + 1 >= ONE_TIME_CODE.maxAttempts) await deps.redis.del(key);
    else await deps.redis.set(key, JSON.stringify({ ...stored, attempts: stored.attempts + 1 }), 'KEEPTTL');
    return false;
  }

  app.post(
    '/std/sign',
    form,
    withSession(async (req, res, s) => {
      const ctx = await loadTask(orders, s);
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
          ip: req.socket.remoteAddress ?? '',
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
    }),
  );

  app.post(
    '/std/upload/:documentId',
    express.raw({ type: () => true, limit: config.uploads.maxBytes }),
    withSession(async (req, res, s) => {
      const ctx = await loadTask(orders, s);
      if (taskState(ctx) !== 'open') return void res.status(409).json({ error: 'the task is not open' });
      const documentId = String(req.params.documentId);
      const spec = ctx!.spec.documents.find((d) => d.id === documentId && d.action === 'UPLOAD');
      const bytes = req.body as Buffer;
      const type = (req.header('content-type') ?? '').split(';')[0]!.trim();
      if (!spec) return void res.status(404).json({ error: 'no such upload document' });
      if (!Buffer.isBuffer(bytes) || bytes.length === 0) return void res.status(400).json({ error: 'empty file' });
      const pdf = type === 'application/pdf' && bytes.subarray(0, 5).toString('latin1') === '%PDF-';
      const text = type === 'text/plain' && isUtf8(bytes);
      if (!pdf && !text) return void res.status(415).json({ error: 'a PDF or UTF-8 text file is expected' });
      const objectKey = storageKeys.documentResult(s.merchantId, s.orderId, s.taskId, documentId, 'result');
      await store.putBuffer(objectKey, bytes, type);
      documentBytes('in', 'result', bytes.length);
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const at = new Date().toISOString();
      await orders.setDocumentResult(s.merchantId, s.orderId, s.taskId, documentId, {
        objectKey,
        contentType: type,
        sha256,
        size: bytes.length,
        at,
      });
      res.json({ ok: true });
    }),
  );

  app.post(
    '/std/reject',
    form,
    withSession(async (req, res, s) => {
      const ctx = await loadTask(orders, s);
      if (taskState(ctx) !== 'open' || !brandingOf(ctx).allowReject) return statePage(req, res, ctx, taskState(ctx));
      const reason = String((req.body as Record<string, unknown>).reason ?? '')
        .trim()
        .slice(0, 1000);
      await act(s, { type: 'REJECTED', ...(reason ? { reason } : {}) });
      await sessions.destroy(s.id);
      finish(req, res, ctx!, 'onTaskReject', 'REJECTED');
    }),
  );

  app.post(
    '/std/postpone',
    form,
    withSession(async (req, res, s) => {
      const ctx = await loadTask(orders, s);
      if (taskState(ctx) !== 'open') return statePage(req, res, ctx, taskState(ctx));
      await sessions.destroy(s.id);
      const target = ctx!.spec.onTaskPostpone;
      res.redirect(303, target ? redirectTarget(target, s.orderId, s.taskId) : '/std/task');
    }),
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
    const status = (err as { status?: number; statusCode?: number }).status ?? 500;
    if (status >= 500) deps.logger.error({ err: err instanceof Error ? err.message : String(err) }, 'portal error');
    if (res.headersSent) return;
    const o = { language: languageOf(req, null), branding: brandingOf(null), nonce: res.locals.nonce ?? '' };
    render(res, status >= 400 && status < 500 ? status : 500, messagePage(o, 'errorTitle', 'errorBody'));
  });
  return app;
}

async function ownerTarget(orders: OrderStore, orderId: string, taskId: string) {
  const merchantId = await orders.findOwner(orderId);
  return merchantId && /^[A-Za-z0-9_-]{1,128}$/.test(taskId) ? { merchantId, orderId, taskId } : null;
}

/** SHA-256 of the originals the signer signs: what a SIGNED_STATEMENT binds them to. */
function signDigests(ctx: TaskContext): string[] {
  const signed = new Set(ctx.spec.documents.filter((d) => d.action === 'SIGN').map((d) => d.id));
  return ctx.task.documents.filter((d) => signed.has(d.documentId)).map((d) => d.sha256);
}

function cookieOf(req: Request, name: string): string | undefined {
  for (const part of (req.header('cookie') ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
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

function isUtf8(bytes: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}
