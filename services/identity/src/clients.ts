import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { parseSecretHash, type SecretVerifier } from './secrets.js';

/** A merchant API client: who may ask for tokens, and the merchant account its tokens act for. */
export interface MerchantClient {
  kind: 'merchant';
  clientId: string;
  merchantId: string;
  name: string;
  verifier: SecretVerifier;
}

/**
 * The signing portal, as a client of the test eID: authorization code with PKCE, scopes `openid profile`. Without
 * `redirectUris` in the file, they come from the environment (see the README).
 */
export interface PortalClient {
  kind: 'signing-portal';
  clientId: string;
  name: string;
  redirectUris?: string[];
  verifier: SecretVerifier;
}

/**
 * An operator (or the operators' tooling): client credentials for tokens of scope `esign-operator`, which the
 * operators' codec server asks for (Temporal payloads decoded in the Temporal UI and CLI). Acts for no merchant.
 */
export interface OperatorClient {
  kind: 'operator';
  clientId: string;
  name: string;
  verifier: SecretVerifier;
}

export type ApiClient = MerchantClient | PortalClient | OperatorClient;

function toVerifier(stored: string, ctx: z.RefinementCtx): SecretVerifier {
  try {
    return parseSecretHash(stored);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
    return z.NEVER;
  }
}

const clientId = z.string().regex(/^[A-Za-z0-9._~-]+$/, 'letters, digits and . _ ~ - only');
const secrets = {
  secret: z.string().min(8).optional(),
  secretHash: z.string().transform(toVerifier).optional(),
};
const oneSecret = [
  (c: { secret?: unknown; secretHash?: unknown }) => (c.secret === undefined) !== (c.secretHash === undefined),
  'needs exactly one of secret, secretHash',
] as const;

/** An absolute http(s) URL without fragment, as OAuth wants a redirect URI. */
export const redirectUriSchema = z
  .url({ protocol: /^https?$/ })
  .refine((v) => !v.includes('#'), 'must not contain a fragment');

const merchantSchema = z
  .strictObject({
    kind: z.literal('merchant').optional(),
    clientId,
    ...secrets,
    merchantId: z.string().min(1),
    name: z.string().min(1),
  })
  .refine(...oneSecret);

const portalSchema = z
  .strictObject({
    kind: z.literal('signing-portal'),
    clientId,
    ...secrets,
    name: z.string().min(1).default('Signing portal'),
    redirectUris: z.array(redirectUriSchema).min(1).optional(),
  })
  .refine(...oneSecret);

const operatorSchema = z
  .strictObject({
    kind: z.literal('operator'),
    clientId,
    ...secrets,
    name: z.string().min(1).default('Operator'),
  })
  .refine(...oneSecret);

const fileSchema = z.strictObject({
  clients: z
    .array(z.unknown())
    .min(1)
    // Entries without `kind` are merchants (the format before portals existed). Picking the schema by kind, rather
    // than a union, names the actual problem of an entry.
    .transform((entries, ctx) =>
      entries.map((entry, i) => {
        const kind = (entry as { kind?: unknown } | null)?.kind;
        const schema = kind === 'signing-portal' ? portalSchema : kind === 'operator' ? operatorSchema : merchantSchema;
        const parsed = schema.safeParse(entry);
        if (parsed.success) return parsed.data;
        for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, path: [i, ...issue.path] });
        return z.NEVER;
      }),
    )
    .refine((cs) => new Set(cs.map((c) => c.clientId)).size === cs.length, 'clientId values must be unique'),
});

/** Thrown at start when the clients file is missing or invalid; the message names the file and each problem. */
export class ClientsFileError extends Error {
  constructor(file: string, problems: string[]) {
    super(`Invalid clients file ${file}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ClientsFileError';
  }
}

/** Validates parsed clients-file content (`{ "clients": [...] }`). */
export function parseClients(content: unknown, file = '<inline>'): ApiClient[] {
  const parsed = fileSchema.safeParse(content);
  if (!parsed.success) {
    throw new ClientsFileError(
      file,
      parsed.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(file)'}: ${i.message}`),
    );
  }
  return parsed.data.clients.map((c): ApiClient => {
    const verifier = c.secretHash ?? { kind: 'plain' as const, secret: c.secret! };
    if (c.kind === 'operator') return { kind: 'operator', clientId: c.clientId, name: c.name, verifier };
    if (c.kind === 'signing-portal') {
      const { clientId, name, redirectUris } = c;
      return { kind: 'signing-portal', clientId, name, ...(redirectUris ? { redirectUris } : {}), verifier };
    }
    return { kind: 'merchant', clientId: c.clientId, merchantId: c.merchantId, name: c.name, verifier };
  });
}

/** Reads and validates the clients file once, at start. */
export function loadClients(file: string): ApiClient[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ClientsFileError(file, [`cannot read: ${(err as Error).message}`]);
  }
  let content: unknown;
  try {
    content = JSON.parse(text);
  } catch (err) {
    throw new ClientsFileError(file, [`not valid JSON: ${(err as Error).message}`]);
  }
  return parseClients(content, file);
}
