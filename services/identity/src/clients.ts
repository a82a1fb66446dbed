import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { parseSecretHash, type SecretVerifier } from './secrets.js';

/** A merchant API client: who may ask for tokens, and the merchant account its tokens act for. */
export interface MerchantClient {
  clientId: string;
  merchantId: string;
  name: string;
  verifier: SecretVerifier;
}

function toVerifier(stored: string, ctx: z.RefinementCtx): SecretVerifier {
  try {
    return parseSecretHash(stored);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
    return z.NEVER;
  }
}

const clientSchema = z
  .strictObject({
    clientId: z.string().regex(/^[A-Za-z0-9._~-]+$/, 'letters, digits and . _ ~ - only'),
    secret: z.string().min(8).optional(),
    secretHash: z.string().transform(toVerifier).optional(),
    merchantId: z.string().min(1),
    name: z.string().min(1),
  })
  .refine((c) => (c.secret === undefined) !== (c.secretHash === undefined), 'needs exactly one of secret, secretHash');

const fileSchema = z.strictObject({
  clients: z
    .array(clientSchema)
    .min(1)
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
export function parseClients(content: unknown, file = '<inline>'): MerchantClient[] {
  const parsed = fileSchema.safeParse(content);
  if (!parsed.success) {
    throw new ClientsFileError(
      file,
      parsed.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(file)'}: ${i.message}`),
    );
  }
  return parsed.data.clients.map(({ clientId, merchantId, name, secret, secretHash }) => ({
    clientId,
    merchantId,
    name,
    verifier: secretHash ?? { kind: 'plain', secret: secret! },
  }));
}

/** Reads and validates the clients file once, at start. */
export function loadClients(file: string): MerchantClient[] {
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
