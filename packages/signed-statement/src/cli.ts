// Checks a sealed result's signed statement offline against the documents the signer was shown:
//   npm run verify-statement -- <result.pdf> <document> [<document>…]
// The documents in the order they were signed (for a PDF form the order filled in, the filled copy the signer saw,
// `GET …/documents/{id}/generated`). Exit 0 and "valid" when the provider's ID token verifies with the keys the
// result recorded and its nonce binds exactly these documents and the result's statement; else exit 1 and why.
import { readFile } from 'node:fs/promises';
import { statementOf } from './result.js';
import { verifyStatement } from './verify.js';

const [result, ...documents] = process.argv.slice(2);
if (!result || documents.length === 0) {
  process.stderr.write('usage: verify-statement <result.pdf> <document> [<document>…]\n');
  process.exit(2);
}
try {
  const parts = await statementOf(await readFile(result));
  const verdict = await verifyStatement({ ...parts, documents: await Promise.all(documents.map((d) => readFile(d))) });
  if (verdict.ok) {
    process.stdout.write(`valid: signed by ${verdict.subject} at ${verdict.issuer}\n`);
  } else {
    process.stdout.write(`invalid: ${verdict.reason}\n`);
    process.exitCode = 1;
  }
} catch (err) {
  process.stdout.write(`invalid: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
