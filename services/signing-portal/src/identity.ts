import * as oidc from 'openid-client';

/** What the portal keeps of an authentication: the claims as strings, and the ID token (the signed statement). */
export interface Authenticated {
  name: string;
  claims: Record<string, string>;
  idToken: string;
}

/**
 * The identity methods (contract §7): OIDC authorization code + PKCE against one issuer, the method name sent as
 * `acr_values`. In dev, the identity service is a test eID that accepts every method name of the README example.
 * For SIGNED_STATEMENT the documents' SHA-256 digests go along (`esign_digests`), and the ID token that comes back
 * carries them, signed by the provider.
 */
export class IdentityMethods {
  private configuration?: Promise<oidc.Configuration>;

  constructor(
    private readonly opts: {
      issuer: string;
      clientId: string;
      clientSecret: string;
      redirectUri: string;
      /** Bounds each request to the provider (IDENTITY_DEADLINE_SECONDS); openid-client counts in seconds. */
      deadlineMs?: number;
    },
  ) {}

  private discover(): Promise<oidc.Configuration> {
    this.configuration ??= oidc
      .discovery(new URL(this.opts.issuer), this.opts.clientId, this.opts.clientSecret, undefined, {
        timeout: Math.max(1, Math.ceil((this.opts.deadlineMs ?? 3000) / 1000)),
        ...(this.opts.issuer.startsWith('http:') ? { execute: [oidc.allowInsecureRequests] } : {}),
      })
      .catch((err: unknown) => {
        this.configuration = undefined; // try again next time
        throw err;
      });
    return this.configuration;
  }

  /** Starts a login: the URL to send the browser to, and what the callback must check. */
  async start(method: string, digests?: string[], language?: string) {
    const configuration = await this.discover();
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(configuration, {
      redirect_uri: this.opts.redirectUri,
      scope: 'openid profile',
      state,
      nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      acr_values: method,
      // The provider's pages in the signer's language, where it has it (OpenID Connect Core §3.1.2.1).
      ...(language ? { ui_locales: language } : {}),
      ...(digests?.length ? { esign_digests: digests.join(',') } : {}),
    });
    return { url: url.href, verifier, state, nonce };
  }

  /** Completes a login from the callback URL; throws when state, nonce, PKCE or the token do not check out. */
  async finish(callbackUrl: URL, login: { verifier: string; state: string; nonce: string }): Promise<Authenticated> {
    const configuration = await this.discover();
    const tokens = await oidc.authorizationCodeGrant(configuration, callbackUrl, {
      pkceCodeVerifier: login.verifier,
      expectedState: login.state,
      expectedNonce: login.nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims()!;
    const strings = Object.fromEntries(
      Object.entries(claims).flatMap(([k, v]) =>
        typeof v === 'string' || typeof v === 'number' ? [[k, String(v)]] : Array.isArray(v) ? [[k, v.join(',')]] : [],
      ),
    );
    return { name: strings.name ?? strings.sub ?? 'unknown', claims: strings, idToken: tokens.id_token! };
  }
}

const ATTRIBUTE_CLAIMS: Record<string, string> = {
  'national-id': 'national_id',
  'national-identity-number': 'national_id',
  nationalid: 'national_id',
  ssn: 'national_id',
  'personal-number': 'national_id',
  'date-of-birth': 'birthdate',
  dateofbirth: 'birthdate',
  birthdate: 'birthdate',
  name: 'name',
  mobile: 'phone_number',
  phone: 'phone_number',
  'phone-number': 'phone_number',
  email: 'email',
};

/** One-time-code methods (contract §7): the code goes by SMS or e-mail; the other methods are OIDC. */
export const ONE_TIME_CODE_METHODS: Record<string, 'SMS' | 'EMAIL'> = { 'sms-otp': 'SMS', 'email-otp': 'EMAIL' };

/**
 * Where a one-time code goes: the subject's `mobile`/`email` attribute, else the task's first notification of that
 * channel. Undefined when the order names none.
 */
export function oneTimeCodeRecipient(
  channel: 'SMS' | 'EMAIL',
  subject: { attributes?: Array<{ name: string; value: string }> } | undefined,
  notifications: Array<{ type: string; recipient: string }> | undefined,
): string | undefined {
  const names = channel === 'SMS' ? ['mobile', 'phone', 'phone-number'] : ['email'];
  const attribute = subject?.attributes?.find((a) => names.includes(a.name.toLowerCase()));
  return attribute?.value ?? notifications?.find((n) => n.type === channel)?.recipient;
}

/** A recipient as shown on pages: enough to recognise, not to read off (`+47•••••567`, `k•••@example.test`). */
export function maskRecipient(recipient: string): string {
  const at = recipient.indexOf('@');
  if (at > 0) return `${recipient[0]}•••${recipient.slice(at)}`;
  return `${recipient.slice(0, 3)}${'•'.repeat(Math.max(recipient.length - 6, 1))}${recipient.slice(-3)}`;
}

/**
 * Checks the order's `subject.attributes` against what the identity method returned (contract §7): each attribute
 * that applies to this method must equal its claim. Returns the names that do not match.
 */
export function subjectMismatches(
  attributes: Array<{ name: string; value: string; methods?: string[] }> | undefined,
  method: string,
  claims: Record<string, string>,
): string[] {
  return (attributes ?? [])
    .filter((a) => !a.methods?.length || a.methods.includes(method))
    .filter((a) => {
      const claim = ATTRIBUTE_CLAIMS[a.name.toLowerCase()] ?? a.name.replace(/-/g, '_');
      return (claims[claim] ?? '').trim() !== a.value.trim();
    })
    .map((a) => a.name);
}
