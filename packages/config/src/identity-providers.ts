import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { jsonSetting } from './json-setting.js';
import { ConfigError } from './parse-env.js';

// The signers' identity methods (contract §7): each method name an order may use maps to a provider, an OpenID
// Connect provider or a one-time code by SMS or e-mail. Several providers at once; the operator defines them in a
// JSON file (IDENTITY_PROVIDERS_FILE) or inline (IDENTITY_PROVIDERS); the Helm chart renders its values into the file.

const METHOD_NAME = /^[A-Za-z0-9_.-]{1,64}$/;
/** Parameters the portal sets itself on every authorization request; a provider entry may not override them. */
const RESERVED_PARAMS = [
  'client_id',
  'redirect_uri',
  'response_type',
  'scope',
  'state',
  'nonce',
  'code_challenge',
  'code_challenge_method',
  'ui_locales',
  'request',
  'request_uri',
];

/** Display names per language (`en` is the fallback, so it is required); shown to signers instead of the method name. */
const DisplayName = z
  .record(z.string().regex(/^[a-z]{2}$/, 'must be a two-letter language code'), z.string().trim().min(1).max(80))
  .refine((names) => 'en' in names, 'needs an "en" entry (the fallback language)');

const Icon = z
  .string()
  .max(50_000)
  .regex(/^(https:\/\/|data:image\/(png|svg\+xml|jpeg|webp);base64,)/, 'must be an https or data:image URL');

const common = { displayName: DisplayName, icon: Icon.optional() };

const OidcProvider = z
  .strictObject({
    type: z.literal('oidc'),
    /** The issuer; its discovery document is at `<issuer>/.well-known/openid-configuration`. */
    issuer: z.url({ protocol: /^https?$/ }),
    clientId: z.string().min(1).max(200),
    /** The client secret inline (dev), or the name of the environment variable that holds it (production). */
    clientSecret: z.string().min(1).optional(),
    clientSecretEnv: z
      .string()
      .regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable name')
      .optional(),
    /** `private_key_jwt` client authentication (RFC 7523) with a PKCS#8 PEM key file. */
    privateKeyJwt: z
      .strictObject({
        keyFile: z.string().min(1),
        kid: z.string().min(1).optional(),
        alg: z.enum(['RS256', 'PS256', 'ES256']).default('RS256'),
      })
      .optional(),
    scopes: z
      .array(z.string().regex(/^[\x21\x23-\x5b\x5d-\x7e]+$/, 'must be a scope token'))
      .refine((s) => s.includes('openid'), 'must include openid')
      .default(['openid', 'profile']),
    /** Extra authorization request parameters, e.g. `acr_values` to pick the eID at a broker. */
    authorizationParams: z
      .record(z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be a parameter name'), z.string().max(2000))
      .superRefine((params, ctx) => {
        for (const key of Object.keys(params).filter((k) => RESERVED_PARAMS.includes(k))) {
          ctx.addIssue({ code: 'custom', path: [key], message: 'is set by the portal itself' });
        }
      })
      .default({}),
    /** Subject attribute name (the order's `subject.attributes[].name`) → the ID token claim it is compared with. */
    claims: z.record(z.string().min(1).max(64), z.string().min(1).max(128)).default({}),
    /** The signature method types this method may serve. */
    signatureTypes: z
      .array(z.enum(['AUTHENTICATION_BASED', 'SIGNED_STATEMENT']))
      .min(1)
      .default(['AUTHENTICATION_BASED']),
    ...common,
  })
  .refine(
    (p) => [p.clientSecret, p.clientSecretEnv, p.privateKeyJwt].filter((v) => v !== undefined).length === 1,
    'needs exactly one of clientSecret, clientSecretEnv and privateKeyJwt',
  );

const OneTimeCodeProvider = z.strictObject({
  type: z.literal('one-time-code'),
  channel: z.enum(['SMS', 'EMAIL']),
  ...common,
});

const ProvidersFile = z.strictObject({
  methods: z.record(
    z.string().regex(METHOD_NAME, 'method names are 1-64 of [A-Za-z0-9_.-]'),
    z.discriminatedUnion('type', [OidcProvider, OneTimeCodeProvider]),
  ),
});

export type OidcProviderConfig = z.infer<typeof OidcProvider>;
export type OneTimeCodeProviderConfig = z.infer<typeof OneTimeCodeProvider>;
export type IdentityProviderConfig = OidcProviderConfig | OneTimeCodeProviderConfig;
export type SignatureType = 'AUTHENTICATION_BASED' | 'SIGNED_STATEMENT';
/** How the portal authenticates to an OIDC provider: a client secret, or a private key (`private_key_jwt`). */
export type ClientCredential =
  { secret: string } | { privateKeyPem: string; kid?: string; alg: 'RS256' | 'PS256' | 'ES256' };

/** The configured identity methods by name, and the setting they came from (named in start-up errors). */
export interface IdentityProviders {
  methods: ReadonlyMap<string, IdentityProviderConfig>;
  setting: 'IDENTITY_PROVIDERS_FILE' | 'IDENTITY_PROVIDERS';
}

/** The signature types a method serves: one-time codes identify, they make no signed statement. */
export function signatureTypesOf(provider: IdentityProviderConfig): readonly SignatureType[] {
  return provider.type === 'oidc' ? provider.signatureTypes : ['AUTHENTICATION_BASED'];
}

/** The providers from their JSON; every problem named by its place in the document. */
export function parseIdentityProviders(
  json: string,
): { ok: true; value: Map<string, IdentityProviderConfig> } | { ok: false; problems: string[] } {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return { ok: false, problems: ['is not valid JSON'] };
  }
  const parsed = ProvidersFile.safeParse(raw);
  if (!parsed.success) {
    return { ok: false, problems: parsed.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`) };
  }
  return { ok: true, value: new Map(Object.entries(parsed.data.methods)) };
}

/** The providers, inline JSON or from their file (none when neither is set); a bad one stops the start. */
export function loadIdentityProviders(inline: string | undefined, file: string | undefined): IdentityProviders {
  const { json, setting } = jsonSetting('IDENTITY_PROVIDERS', inline, file, '{"methods":{}}');
  const parsed = parseIdentityProviders(json);
  if (!parsed.ok) throw new ConfigError(parsed.problems.map((p) => `${setting}: ${p}`));
  return { methods: parsed.value, setting: setting as IdentityProviders['setting'] };
}

/**
 * The client credential of each OIDC method, read where it lives (inline, an environment variable, a key file). Run
 * once at the portal's start, so a missing secret or key stops it with the setting named, not the first signer.
 */
export function resolveClientCredentials(
  providers: IdentityProviders,
  env: NodeJS.ProcessEnv,
): Map<string, ClientCredential> {
  const problems: string[] = [];
  const credentials = new Map<string, ClientCredential>();
  for (const [name, p] of providers.methods) {
    if (p.type !== 'oidc') continue;
    const at = `${providers.setting}: methods.${name}`;
    if (p.clientSecret) credentials.set(name, { secret: p.clientSecret });
    else if (p.clientSecretEnv) {
      const secret = env[p.clientSecretEnv];
      if (secret) credentials.set(name, { secret });
      else problems.push(`${at}.clientSecretEnv: the environment variable ${p.clientSecretEnv} is not set`);
    } else if (p.privateKeyJwt) {
      try {
        const privateKeyPem = readFileSync(p.privateKeyJwt.keyFile, 'utf8');
        if (!privateKeyPem.includes('PRIVATE KEY')) throw Object.assign(new Error(), { code: 'not a PEM private key' });
        const { kid, alg } = p.privateKeyJwt;
        credentials.set(name, { privateKeyPem, alg, ...(kid ? { kid } : {}) });
      } catch (err) {
        const why = (err as NodeJS.ErrnoException).code ?? 'error';
        problems.push(`${at}.privateKeyJwt.keyFile: cannot read ${p.privateKeyJwt.keyFile} (${why})`);
      }
    }
  }
  if (problems.length) throw new ConfigError(problems);
  return credentials;
}
