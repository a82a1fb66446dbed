// Prints the secretHash value for a clients-file entry:
//   node --import tsx services/identity/src/hash-secret.ts '<secret>'
// Without an argument the secret is read from stdin, so it stays out of the shell history.
import { text } from 'node:stream/consumers';
import { hashSecret } from './secrets.js';

const secret = process.argv[2] ?? (await text(process.stdin)).replace(/\r?\n$/, '');
if (!secret) {
  process.stderr.write('usage: hash-secret.ts <secret>   (or pipe the secret on stdin)\n');
  process.exit(2);
}
process.stdout.write(`${await hashSecret(secret)}\n`);
