// The identity service's merchant clients file, edited as a whole: read, change, validated with the service's own
// parser, then written atomically (a temp file renamed over it), so the service never reads half a file.
import { randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { ClientsFileError, parseClients } from '@esign/identity/clients';
import { OpsError } from './output.js';

/** An entry as written in the file (only the fields the CLI touches are typed). */
export interface ClientEntry {
  kind?: 'merchant' | 'signing-portal';
  clientId: string;
  merchantId?: string;
  name?: string;
  secret?: string;
  secretHash?: string;
  [field: string]: unknown;
}

export function readClientsFile(file: string): ClientEntry[] {
  let content: { clients?: ClientEntry[] };
  try {
    content = JSON.parse(readFileSync(file, 'utf8')) as { clients?: ClientEntry[] };
  } catch (err) {
    throw new OpsError(`cannot read the clients file ${file}: ${(err as Error).message}`);
  }
  if (!Array.isArray(content.clients)) throw new OpsError(`${file} has no "clients" list`);
  return content.clients;
}

/** Validates the new content as the identity service will, then replaces the file in one rename. */
export function writeClientsFile(file: string, clients: ClientEntry[]): void {
  const content = { clients };
  try {
    parseClients(content, file);
  } catch (err) {
    if (err instanceof ClientsFileError) throw new OpsError(`the change would make the file invalid: ${err.message}`);
    throw err;
  }
  const mode = statSync(file).mode & 0o777;
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(content, null, 2)}\n`, { mode });
  chmodSync(temp, mode);
  renameSync(temp, file);
}

/** A new client secret: 256 random bits, URL-safe. */
export const newSecret = () => randomBytes(32).toString('base64url');

export const isMerchant = (c: ClientEntry) => (c.kind ?? 'merchant') === 'merchant';
