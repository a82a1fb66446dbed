import type { Config } from '@esign/config';
import { escapeHtml } from '@esign/service-runtime';
import express, { type Request, type Response, type Router } from 'express';
import { HttpProblem } from '../problem.js';
import { TokenRejected } from '../auth/token-verifier.js';
import { OPERATOR_COOKIE, type OperatorCheck } from './operator-auth.js';

const page = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>` +
  `<body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;

const form = (error?: string) =>
  page(
    'Operator login: Temporal payloads',
    `${error ? `<p role="alert">${escapeHtml(error)}</p>` : ''}
    <p>Sign in with your operator client to read decoded payloads in the Temporal UI.</p>
    <form method="post" action="login">
      <p><label for="client_id">Operator client id</label> <input id="client_id" name="client_id" required></p>
      <p><label for="client_secret">Secret</label>
        <input id="client_secret" name="client_secret" type="password" autocomplete="current-password" required></p>
      <button type="submit">Sign in</button>
    </form>`,
  );

/** The issuer's token endpoint, from its discovery document. */
async function tokenEndpoint(issuer: string): Promise<string> {
  const res = await fetch(`${issuer}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(5000) });
  const { token_endpoint: endpoint } = (await res.json()) as { token_endpoint?: string };
  if (!res.ok || !endpoint) throw new Error(`issuer discovery answered ${res.status}`);
  return endpoint;
}

async function operatorToken(config: Config, clientId: string, secret: string): Promise<string | undefined> {
  const res = await fetch(await tokenEndpoint(config.auth.issuer), {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: config.codecServer.scope }),
    signal: AbortSignal.timeout(10_000),
  });
  if (res.status === 400 || res.status === 401) return undefined;
  if (!res.ok) throw new Error(`token endpoint answered ${res.status}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

/** A login form posted from another origin is refused (no login CSRF). */
function sameOrigin(req: Request): boolean {
  const origin = req.headers.origin;
  return origin === undefined || origin === `${req.protocol}://${req.headers.host}`;
}

/**
 * The operators' browser login: their client credentials are exchanged at the identity provider for an operator
 * token, kept in an HttpOnly, SameSite=Strict cookie for the codec server only (Path /codec) until the token
 * expires. The Temporal UI sends it with its decode requests once told to include credentials.
 */
export function loginRoutes(config: Config, check: OperatorCheck): Router {
  const router = express.Router();
  // Referrer-Policy same-origin (not the API's no-referrer): a browser then sends the form's real Origin, not `null`.
  const send = (res: Response, status: number, html: string) =>
    res.status(status).type('html').set({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'same-origin' }).send(html);
  router.get('/login', (_req, res) => send(res, 200, form()));
  router.post('/login', express.urlencoded({ extended: false, limit: '4kb' }), async (req, res) => {
    if (!sameOrigin(req)) throw new HttpProblem(403, 'Forbidden', 'Log in from the codec server’s own page.');
    const { client_id: clientId, client_secret: secret } = (req.body ?? {}) as Record<string, string | undefined>;
    const token = clientId && secret ? await operatorToken(config, clientId, secret) : undefined;
    const operator = token
      ? await check(token).catch((err: unknown) => (err instanceof TokenRejected ? undefined : Promise.reject(err)))
      : undefined;
    if (!token || !operator) return send(res, 401, form('Those credentials are not an operator’s.'));
    const maxAge = Math.max(0, operator.expiresAt - Math.floor(Date.now() / 1000));
    res.cookie(OPERATOR_COOKIE, token, {
      httpOnly: true,
      sameSite: 'strict',
      secure: req.secure,
      path: '/codec',
      maxAge: maxAge * 1000,
    });
    const until = new Date(operator.expiresAt * 1000).toISOString();
    const ui = config.codecServer.corsOrigins[0]!;
    return send(
      res,
      200,
      page(
        'Signed in',
        `<p>Signed in as ${escapeHtml(operator.clientId)} until ${escapeHtml(until)}.</p>
        <p>Open the <a href="${escapeHtml(ui)}">Temporal UI</a>; in its Codec Server settings, tick “Include
        cross-origin credentials” once, so it sends this login with its decode requests.</p>`,
      ),
    );
  });
  router.post('/logout', (req, res) => {
    if (!sameOrigin(req)) throw new HttpProblem(403, 'Forbidden', 'Log out from the codec server’s own page.');
    res.clearCookie(OPERATOR_COOKIE, { path: '/codec' });
    send(res, 200, page('Signed out', '<p>The operator token is gone from this browser.</p>'));
  });
  return router;
}
