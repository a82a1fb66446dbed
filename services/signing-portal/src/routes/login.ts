import { createHash } from 'node:crypto';
import { NONCE_SCHEME, newSalt, statementNonce, type StatementProof } from '@esign/signed-statement';
import { shownDocument } from '@esign/order-store';
import { signStatement } from '@esign/temporal-contracts';
import express, { Router, type Request, type Response } from 'express';
import { setSessionCookie } from '../cookies.js';
import { openTask, sessionOf, taskOf, withSession } from '../guard.js';
import { brandingOf, errorPage, frameOf } from '../pages.js';
import type { Portal } from '../portal.js';
import { mismatchReason, subjectMismatches, type Authenticated } from '../identity.js';
import { authenticationSigns, holderOf, nextLogin, signatureMethodFor, type TaskContext } from '../task-context.js';
import { renderMessage } from '../views.js';
import { startOneTimeCode } from './otp.js';

/**
 * SHA-256 of the documents the signer signs as they are shown (a PDF form the order filled in: its filled copy), then
 * of the statement they consent to (`signStatement`, UTF-8) when the task has one: what a SIGNED_STATEMENT binds them
 * to.
 */
export function signDigests(ctx: TaskContext): string[] {
  const signed = new Set(ctx.spec.documents.filter((d) => d.action === 'SIGN').map((d) => d.id));
  const statement = signStatement(ctx.spec);
  return [
    ...ctx.task.documents.filter((d) => signed.has(d.documentId)).map((d) => shownDocument(d).sha256),
    ...(statement ? [createHash('sha256').update(statement.text, 'utf8').digest('hex')] : []),
  ];
}

/**
 * The identity method answered: the subject's attributes must match (else a refusal page offering another identity,
 * and an ERROR event; the task stays open), then a new session id (no fixation) and the AUTHENTICATED action.
 */
export async function establish(
  portal: Portal,
  req: Request,
  res: Response,
  method: string,
  who: Authenticated,
  statement: boolean,
  proof?: string,
): Promise<void> {
  const ctx = taskOf(res);
  const session = sessionOf(res);
  const provider = portal.identity.provider(method);
  const mapping = provider?.type === 'oidc' ? provider.claims : {};
  const { subject } = holderOf(ctx, brandingOf(portal, ctx).forwardSubject);
  const mismatches = subjectMismatches(subject?.attributes, method, who.claims, mapping);
  if (mismatches.length > 0) {
    await portal.act(session, { type: 'REFUSED', reason: mismatchReason(mismatches) });
    await portal.sessions.save(session);
    return renderMessage(res, 403, frameOf(portal, req, res, ctx), {
      title: 'refusedTitle',
      body: 'refusedBody',
      next: [{ kind: 'link', href: '/std/task', label: 'tryAnotherIdentity' }],
    });
  }
  const at = new Date().toISOString();
  const identity = {
    name: who.name,
    method,
    at,
    claims: who.claims,
    ...(statement ? { idToken: who.idToken } : {}),
    ...(proof ? { statementProof: proof } : {}),
  };
  // The task's log-in before its documents is a step of its own where signature methods are named: it lets the
  // signer in, and identifying to sign comes after.
  const step = nextLogin(ctx.spec, session)?.step ?? 'signing';
  const signs = step === 'signing' || authenticationSigns(ctx.spec);
  const next = await portal.sessions.regenerate({
    ...session,
    ...(step === 'authentication' ? { authenticated: { method, at, name: who.name } } : {}),
    ...(signs ? { identity } : {}),
  });
  setSessionCookie(portal, res, next);
  await portal.act(next, { type: 'AUTHENTICATED', method });
  res.redirect(303, '/std/task');
}

/** Identifying: to an OIDC identity provider (authorization code + PKCE) or a one-time code; and back. */
export function loginRoutes(portal: Portal): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 20 });

  router.post('/std/login', withSession(portal, form), openTask(portal), async (req, res, next) => {
    try {
      const ctx = taskOf(res);
      const session = sessionOf(res);
      const method = String((req.body as Record<string, unknown>).method ?? '');
      const due = nextLogin(ctx.spec, session);
      if (!due?.methods.includes(method)) return void res.status(400).type('text').send('Unknown method.');
      const channel = portal.identity.oneTimeCodeChannel(method);
      if (channel) return await startOneTimeCode(portal, req, res, method, channel);
      const client = portal.identity.oidcMethod(method);
      // Refused at order creation; a method removed from the configuration since is a clear page, not a crash.
      if (!client) return errorPage(portal, req, res, ctx);
      // Only identifying to sign binds a signed statement (the task's log-in before the documents signs nothing).
      const signs = due.step === 'signing' || authenticationSigns(ctx.spec);
      const statement = signs && signatureMethodFor(ctx.spec, method).type === 'SIGNED_STATEMENT';
      const { language } = frameOf(portal, req, res, ctx);
      // A signed statement binds the documents through the nonce, which every compliant provider echoes in the ID
      // token it signs (@esign/signed-statement); they are also offered as `esign_digests`, for a provider with a
      // signing flow of its own that shows them to the signer (the test eID does).
      const digests = statement ? signDigests(ctx) : [];
      const salt = statement ? newSalt() : undefined;
      let login;
      try {
        login = await client.start({
          language,
          ...(statement ? { extra: { esign_digests: digests.join(',') } } : {}),
          ...(salt ? { nonce: statementNonce(salt, digests) } : {}),
        });
      } catch (err) {
        // The provider cannot be reached: say so; the task stays open and the signer can try again.
        portal.logger.warn({ err: err instanceof Error ? err.message : String(err), method }, 'identity provider down');
        return errorPage(portal, req, res, ctx, 502);
      }
      session.login = {
        state: login.state,
        nonce: login.nonce,
        verifier: login.verifier,
        method,
        statement,
        ...(salt ? { salt } : {}),
      };
      await portal.sessions.save(session);
      res.redirect(303, login.url);
    } catch (err) {
      next(err);
    }
  });

  router.get('/std/callback', withSession(portal), openTask(portal), async (req, res, next) => {
    try {
      const ctx = taskOf(res);
      const session = sessionOf(res);
      const login = session.login;
      if (!login) return errorPage(portal, req, res, ctx);
      // The signer turned back at the identity method (OIDC `access_denied` for this login): recorded as the task's
      // USER_AUTHENTICATION_CANCELLED, and the signer is back at the task to choose again.
      if (req.query.error === 'access_denied' && req.query.state === login.state) {
        delete session.login;
        await portal.sessions.save(session);
        await portal.act(session, { type: 'AUTHENTICATION_CANCELLED', method: login.method });
        return res.redirect(303, '/std/task');
      }
      const client = portal.identity.oidcMethod(login.method);
      if (!client) return errorPage(portal, req, res, ctx);
      let who;
      try {
        who = await client.finish(new URL(req.originalUrl, portal.config.signingPortalUrl), login);
      } catch (err) {
        portal.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'identity method login failed');
        return errorPage(portal, req, res, ctx);
      }
      let proof: string | undefined;
      if (login.statement) {
        // A signed statement must bind the signer to exactly the documents shown here, or it is worth nothing: the
        // nonce the token echoes (checked by openid-client) is made from them, and they must not have changed since.
        const digests = signDigests(ctx);
        const echoed = who.claims.esign_digests;
        if (
          !login.salt ||
          login.nonce !== statementNonce(login.salt, digests) ||
          (echoed && echoed !== digests.join(','))
        ) {
          portal.logger.warn({ method: login.method }, 'the signed statement does not bind the documents shown');
          return errorPage(portal, req, res, ctx);
        }
        try {
          const keys = await client.signingKeys();
          proof = JSON.stringify({ scheme: NONCE_SCHEME, salt: login.salt, digests, ...keys } satisfies StatementProof);
        } catch (err) {
          portal.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'identity provider keys');
          return errorPage(portal, req, res, ctx, 502);
        }
      }
      delete session.login;
      await establish(portal, req, res, login.method, who, login.statement, proof);
    } catch (err) {
      next(err);
    }
  });
  return router;
}
