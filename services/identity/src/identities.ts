import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** The test identities shipped with the package: two people each in Norway, Sweden, Denmark and Finland. */
export const DEV_IDENTITIES_FILE = fileURLToPath(new URL('../dev-identities.json', import.meta.url));

/** A person the test eID can log in as. */
export interface TestIdentity {
  /** As the person's national eID would return it (e.g. 11 digits in Norway, `DDMMYY-NNNC` in Finland). */
  nationalId: string;
  name: string;
  givenName: string;
  familyName: string;
  /** `YYYY-MM-DD` */
  birthdate: string;
  /** ISO 3166-1 alpha-2, e.g. `NO`. */
  country: string;
  /** The `sub` of the person's ID tokens: stable, derived from country and national id, not the id itself. */
  accountId: string;
}

/** How a typed national id is compared: without spaces and hyphens, upper case (`010190-123a` = `010190123A`). */
export const canonicalNationalId = (value: string) => value.replace(/[\s-]/g, '').toUpperCase();

/** `test-eid-` and 32 hex digits of SHA-256 over country and canonical national id. */
export function accountIdFor(country: string, nationalId: string): string {
  const digest = createHash('sha256').update(`esign-test-eid:${country}:${canonicalNationalId(nationalId)}`);
  return `test-eid-${digest.digest('hex').slice(0, 32)}`;
}

const identitySchema = z.strictObject({
  nationalId: z.string().regex(/^[0-9A-Za-z+-]{4,20}$/, '4 to 20 letters, digits, + or -'),
  name: z.string().min(1).max(200),
  givenName: z.string().min(1).max(100),
  familyName: z.string().min(1).max(100),
  birthdate: z.iso.date(),
  country: z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code such as NO'),
});

const fileSchema = z.strictObject({
  identities: z
    .array(identitySchema)
    .min(1)
    .max(100)
    .refine(
      (ids) => new Set(ids.map((i) => canonicalNationalId(i.nationalId))).size === ids.length,
      'nationalId values must be unique (ignoring spaces, hyphens and case)',
    ),
});

/** Thrown at start when the identities file is missing or invalid; the message names the file and each problem. */
export class IdentitiesFileError extends Error {
  constructor(file: string, problems: string[]) {
    super(`Invalid test identities file ${file}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'IdentitiesFileError';
  }
}

/** The test identities, looked up by what the signer types or by the account id a token refers to. */
export class TestIdentities {
  readonly all: readonly TestIdentity[];
  readonly #byNationalId: Map<string, TestIdentity>;
  readonly #byAccountId: Map<string, TestIdentity>;

  constructor(identities: readonly TestIdentity[]) {
    this.all = identities;
    this.#byNationalId = new Map(identities.map((i) => [canonicalNationalId(i.nationalId), i]));
    this.#byAccountId = new Map(identities.map((i) => [i.accountId, i]));
  }

  byNationalId(typed: string): TestIdentity | undefined {
    return this.#byNationalId.get(canonicalNationalId(typed));
  }

  byAccountId(accountId: string): TestIdentity | undefined {
    return this.#byAccountId.get(accountId);
  }
}

/** Validates parsed identities-file content (`{ "identities": [...] }`). */
export function parseIdentities(content: unknown, file = '<inline>'): TestIdentities {
  const parsed = fileSchema.safeParse(content);
  if (!parsed.success) {
    throw new IdentitiesFileError(
      file,
      parsed.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(file)'}: ${i.message}`),
    );
  }
  return new TestIdentities(
    parsed.data.identities.map((i) => ({ ...i, accountId: accountIdFor(i.country, i.nationalId) })),
  );
}

/** Reads and validates the identities file once, at start. */
export function loadIdentities(file: string): TestIdentities {
  let content: unknown;
  try {
    content = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new IdentitiesFileError(file, [(err as Error).message]);
  }
  return parseIdentities(content, file);
}
