import { hashSecret } from '@esign/identity/secrets';
import { isMerchant, newSecret, readClientsFile, writeClientsFile, type ClientEntry } from '../clients-file.js';
import { OpsError, table, type Outcome } from '../output.js';

// The identity service reads its clients file at start: a change applies when it restarts. Tokens it issued before
// stay valid until they expire (10 minutes by default), as the gateway checks them against the issuer's keys only.
const APPLY = 'restart the identity service to apply it (tokens issued before stay valid until they expire)';

function find(clients: ClientEntry[], clientId: string): ClientEntry {
  const found = clients.find((c) => c.clientId === clientId);
  if (!found) throw new OpsError(`no client ${clientId}`);
  if (!isMerchant(found)) throw new OpsError(`${clientId} is not a merchant client`);
  return found;
}

export function listClients(file: string): Outcome {
  const clients = readClientsFile(file).map((c) => ({
    clientId: c.clientId,
    kind: c.kind ?? 'merchant',
    merchantId: c.merchantId ?? null,
    name: c.name ?? null,
    // Never the secret itself; whether it is stored hashed, as it should be outside development.
    secret: c.secretHash ? 'hashed' : 'plain',
  }));
  const text = table(
    ['CLIENT', 'KIND', 'MERCHANT', 'NAME', 'SECRET'],
    clients.map((c) => [c.clientId, c.kind, c.merchantId ?? '', c.name ?? '', c.secret]),
  );
  return { ok: true, json: { file, clients }, text };
}

/** Adds a merchant client with a hashed secret; a generated secret is shown once, here. */
export async function addClient(
  file: string,
  o: { clientId: string; merchantId: string; name: string; secret?: string },
): Promise<Outcome> {
  const clients = readClientsFile(file);
  if (clients.some((c) => c.clientId === o.clientId)) throw new OpsError(`client ${o.clientId} exists already`);
  const secret = o.secret ?? newSecret();
  const entry = { clientId: o.clientId, secretHash: await hashSecret(secret), merchantId: o.merchantId, name: o.name };
  writeClientsFile(file, [...clients, entry]);
  const shown = o.secret ? {} : { secret };
  const text = `added ${o.clientId} for merchant ${o.merchantId}${o.secret ? '' : `; its secret, shown once: ${secret}`}\n${APPLY}`;
  return { ok: true, json: { file, clientId: o.clientId, merchantId: o.merchantId, ...shown }, text };
}

/** Gives a client a new secret (stored hashed); the old one stops working when the identity service restarts. */
export async function rotateClient(file: string, clientId: string, given?: string): Promise<Outcome> {
  const clients = readClientsFile(file);
  const { secret: _plain, secretHash: _old, ...rest } = find(clients, clientId);
  const secret = given ?? newSecret();
  const hashed = await hashSecret(secret);
  writeClientsFile(
    file,
    clients.map((c) => (c.clientId === clientId ? { ...rest, secretHash: hashed } : c)),
  );
  const text = `rotated ${clientId}${given ? '' : `; its new secret, shown once: ${secret}`}\n${APPLY}`;
  return { ok: true, json: { file, clientId, ...(given ? {} : { secret }) }, text };
}

/** Removes a merchant client: it gets no new tokens once the identity service restarts. */
export function revokeClient(file: string, clientId: string): Outcome {
  const clients = readClientsFile(file);
  find(clients, clientId);
  writeClientsFile(
    file,
    clients.filter((c) => c.clientId !== clientId),
  );
  return { ok: true, json: { file, clientId, revoked: true }, text: `revoked ${clientId}\n${APPLY}` };
}
