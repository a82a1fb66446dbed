// Key rotation for the keys file named by IDENTITY_KEYS_FILE (or the default under ESIGN_DATA_DIR):
//   node --import tsx services/identity/src/rotate-key.ts           adds a new signing key in front (it signs from
//                                                                   the next start; the old ones stay published)
//   node --import tsx services/identity/src/rotate-key.ts --retire  keeps only the first key
// Restart the identity service after either step. See README.md, "Key rotation".
import { existsSync } from 'node:fs';
import { loadIdentityConfig } from './config.js';
import { generateSigningKey, readKeysFile, writeKeysFile } from './keys.js';

const { keysFile } = loadIdentityConfig();
if (!existsSync(keysFile)) {
  process.stderr.write(`${keysFile} does not exist yet: the service generates it at its first start\n`);
  process.exit(1);
}
const current = readKeysFile(keysFile);
const retire = process.argv.includes('--retire');
const keys = retire ? current.jwks.keys.slice(0, 1) : [await generateSigningKey(), ...current.jwks.keys];
writeKeysFile(keysFile, { jwks: { keys }, cookieKeys: current.cookieKeys });
process.stdout.write(`${keysFile}: signing kid ${keys[0]!.kid}; published ${keys.map((k) => k.kid).join(', ')}\n`);
