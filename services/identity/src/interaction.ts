import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '@esign/observability';
import type Provider from 'oidc-provider';
import { errors, type InteractionResults } from 'oidc-provider';
import { DIGESTS_CLAIM, methodOf, requestedDigests } from './eid-params.js';
import type { TestIdentities } from './identities.js';
import { pageHeaders, renderErrorPage, renderLoginPage, type LoginPage } from './login-page.js';
import { loginLanguage, loginText } from './login-texts/index.js';

/** The login form's body is a few short fields; anything bigger is not from the page. */
const MAX_FORM_BYTES = 8 * 1024;

type Interaction = Awaited<ReturnType<Provider['interactionDetails']>>;

class PageError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const EXPIRED = new PageError(
  400,
  'This login is no longer open',
  'It has expired, was already completed, or was started in another browser. Start again from the signing portal.',
);

function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    return Promise.reject(new PageError(415, 'Unsupported form', 'The login form is sent as a plain HTML form.'));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_FORM_BYTES) {
        // Stop reading; the answer closes the connection rather than draining the rest.
        req.pause();
        req.removeAllListeners('data');
        reject(new PageError(413, 'Form too large', 'The login form is a few short fields.', { connection: 'close' }));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(new URLSearchParams(Buffer.concat(chunks).toString('utf8'))));
    req.on('error', reject);
  });
}

const asString = (value: unknown) => (typeof value === 'string' ? value : undefined);

/** The claims the request asks for by name (`claims` parameter, which also carries the esign_digests request). */
function requestedClaims(params: Interaction['params']): { names: string[]; digests?: string[] } {
  const raw = asString(params.claims);
  if (!raw) return { names: [] };
  const claims = JSON.parse(raw) as { id_token?: Record<string, unknown>; userinfo?: Record<string, unknown> };
  const names = [...Object.keys(claims.id_token ?? {}), ...Object.keys(claims.userinfo ?? {})];
  return { names, digests: requestedDigests(claims.id_token?.[DIGESTS_CLAIM]) };
}

export interface InteractionHandlerDeps {
  provider: Provider;
  identities: TestIdentities;
  /** Path prefix of the interaction pages, e.g. `/auth/open/interaction`. */
  basePath: string;
  /** Display names of the clients that may use the test eID, by client id. */
  clientNames: ReadonlyMap<string, string>;
  logger?: Logger;
}

/**
 * The test eID's interaction endpoint, `GET|POST <basePath>/:uid`: the login page, and its submission. Consent is
 * never asked: the grant for exactly what was requested is created with the login, the platform's own portal being
 * the only client that gets here.
 *
 * CSRF: the interaction is bound to the browser by oidc-provider's signed, SameSite=Lax, HttpOnly interaction cookie
 * (path = this page), and every form carries a token that is an HMAC of the interaction id under a per-process key.
 */
export function createInteractionHandler(deps: InteractionHandlerDeps) {
  const { provider, identities, basePath, clientNames, logger } = deps;
  const csrfKey = randomBytes(32);
  const csrfFor = (uid: string) => createHmac('sha256', csrfKey).update(uid).digest('base64url');
  const csrfMatches = (uid: string, presented: string | null) => {
    const expected = Buffer.from(csrfFor(uid));
    const actual = Buffer.from(presented ?? '');
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  };

  async function details(req: IncomingMessage, res: ServerResponse, uid: string): Promise<Interaction> {
    let interaction: Interaction;
    try {
      interaction = await provider.interactionDetails(req, res);
    } catch (err) {
      if (err instanceof errors.SessionNotFound) throw EXPIRED;
      throw err;
    }
    // The cookie names the browser's current interaction; an older page of the same browser is not it.
    if (interaction.uid !== uid) throw EXPIRED;
    return interaction;
  }

  /** Where the login will send the browser: the client's redirect URI (allowed as a form target by the CSP). */
  const redirectOrigins = (interaction: Interaction) => {
    const uri = asString(interaction.params.redirect_uri);
    const origin = uri ? URL.parse(uri)?.origin : undefined;
    return origin && origin !== 'null' ? [origin] : [];
  };

  function loginPage(interaction: Interaction, extra: Pick<LoginPage, 'error' | 'typed'> = {}): LoginPage {
    const clientId = asString(interaction.params.client_id) ?? '';
    return {
      action: `${basePath}/${interaction.uid}`,
      csrf: csrfFor(interaction.uid),
      language: loginLanguage(asString(interaction.params.ui_locales)),
      method: methodOf(asString(interaction.params.acr_values)),
      clientName: clientNames.get(clientId) ?? clientId,
      identities: identities.all,
      digests: requestedClaims(interaction.params).digests,
      ...extra,
    };
  }

  /** A grant for exactly the scopes and claims the (already validated) authorization request asked for. */
  async function grantFor(interaction: Interaction, accountId: string): Promise<string> {
    const clientId = asString(interaction.params.client_id)!;
    const existing = interaction.grantId ? await provider.Grant.find(interaction.grantId) : undefined;
    const grant = existing ?? new provider.Grant({ accountId, clientId });
    const scope = asString(interaction.params.scope);
    if (scope) grant.addOIDCScope(scope);
    const { names } = requestedClaims(interaction.params);
    if (names.length) grant.addOIDCClaims(names);
    return grant.save();
  }

  const finish = (req: IncomingMessage, res: ServerResponse, result: InteractionResults) =>
    provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });

  async function get(req: IncomingMessage, res: ServerResponse, uid: string): Promise<void> {
    const interaction = await details(req, res, uid);
    if (interaction.prompt.name === 'consent' && interaction.session?.accountId) {
      // Not reached in the normal flow (the login grants), but never ask: grant and carry on.
      const grantId = await grantFor(interaction, interaction.session.accountId);
      return finish(req, res, { consent: { grantId } });
    }
    if (interaction.prompt.name !== 'login') throw EXPIRED;
    send(res, 200, renderLoginPage(loginPage(interaction)), redirectOrigins(interaction));
  }

  async function post(req: IncomingMessage, res: ServerResponse, uid: string): Promise<void> {
    const form = await readForm(req);
    const interaction = await details(req, res, uid);
    if (!csrfMatches(uid, form.get('csrf'))) {
      throw new PageError(403, 'Login refused', 'The form did not come from this login page. Start again.');
    }
    if (interaction.prompt.name !== 'login') throw EXPIRED;
    const clientId = asString(interaction.params.client_id);

    if (form.get('action') === 'cancel') {
      logger?.info({ clientId }, 'test eID login cancelled');
      return finish(req, res, { error: 'access_denied', error_description: 'the signer cancelled the login' });
    }

    const typed = (form.get('nationalId') ?? '').trim().slice(0, 64);
    const identity = typed ? identities.byNationalId(typed) : undefined;
    if (!identity) {
      const language = loginLanguage(asString(interaction.params.ui_locales));
      const error = typed ? loginText(language, 'unknownId', { id: typed }) : loginText(language, 'enterId');
      logger?.info({ clientId }, 'test eID login refused: unknown national id');
      const page = renderLoginPage(loginPage(interaction, { error, typed }));
      return send(res, 400, page, redirectOrigins(interaction));
    }

    const method = methodOf(asString(interaction.params.acr_values));
    const grantId = await grantFor(interaction, identity.accountId);
    logger?.info({ clientId, sub: identity.accountId, method }, 'test eID login');
    return finish(req, res, {
      login: { accountId: identity.accountId, acr: method, remember: false },
      consent: { grantId },
    });
  }

  function send(res: ServerResponse, status: number, html: string, formOrigins: string[] = []): void {
    res.writeHead(status, pageHeaders(formOrigins));
    res.end(html);
  }

  /** Serves one request for the interaction `uid`; never throws. */
  return async function handleInteraction(req: IncomingMessage, res: ServerResponse, uid: string): Promise<void> {
    try {
      if (req.method === 'GET') return await get(req, res, uid);
      if (req.method === 'POST') return await post(req, res, uid);
      throw new PageError(405, 'Method not allowed', 'Use the login page.', { allow: 'GET, POST' });
    } catch (err) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (err instanceof PageError) {
        res.writeHead(err.status, { ...pageHeaders(), ...err.headers });
        res.end(renderErrorPage(err.title, err.message));
        return;
      }
      logger?.error({ err, uid }, 'test eID interaction failed');
      res.writeHead(500, pageHeaders());
      res.end(renderErrorPage('Something went wrong', 'The test eID could not complete this login. Start again.'));
    }
  };
}
