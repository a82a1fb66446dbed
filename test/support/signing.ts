// The test stack's seal key and trust root, for tests that seal or verify beside its services. The test stack keeps
// its seal key in a SoftHSM2 token (PKCS#11); a reused `npm start` stack in a PKCS#12 file.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  loadSigningIdentity,
  padesLevels,
  verifyLongTerm,
  verifyWithPdfsig,
  verifyWithPyhanko,
  type SigningIdentity,
} from '@esign/pdf-signing';
import { expect } from 'vitest';
import type { StackInfo } from './stack-info.js';

/** The stack's seal identity, loaded as its document-storage worker loads it. */
export function stackSigningIdentity(stack: StackInfo): Promise<SigningIdentity> {
  const e = stack.env;
  if (!e.SIGNING_PKCS11_MODULE) return loadSigningIdentity({ dataDir: stack.dataDir });
  // SoftHSM2 finds the token through this variable, read when this process first opens the module.
  process.env.SOFTHSM2_CONF = e.SOFTHSM2_CONF;
  return loadSigningIdentity({
    pkcs11: {
      module: e.SIGNING_PKCS11_MODULE,
      tokenLabel: e.SIGNING_PKCS11_TOKEN_LABEL!,
      keyLabel: e.SIGNING_PKCS11_KEY_LABEL!,
      pin: e.SIGNING_PKCS11_PIN!,
    },
    ...(e.SIGNING_CA_FILE ? { caFile: e.SIGNING_CA_FILE } : {}),
  });
}

/** The test PKI's root CA: the one trust anchor validators of the stack's results need. */
export function stackTrustRoot(stack: StackInfo): string {
  return readFileSync(join(stack.dataDir, 'signing', 'ca.pem'), 'utf8');
}

/**
 * A result as the stack seals it: `count` PAdES signatures at B-LTA (a signature timestamp, the DSS with the chains'
 * OCSP responses and CRLs, then a document timestamp), each intact and trusted by pdfsig (see verifyWithPdfsig for
 * what poppler 22.12 can judge) and valid to pyHanko with revocation checking on and by its long-term (AdES LTA)
 * validation. `pyhanko: false` skips the pyHanko runs (about 2 s each).
 */
export async function expectLongTermSealed(
  pdf: Buffer,
  stack: StackInfo,
  opts: { count?: number; pyhanko?: boolean } = {},
): Promise<void> {
  const count = opts.count ?? 1;
  const trust = { caPems: [stackTrustRoot(stack)] };
  expect(await padesLevels(pdf)).toEqual(Array.from({ length: count }, () => 'B-LTA'));
  const checked = await verifyWithPdfsig(pdf, trust);
  const seals = checked.signatures.filter((s) => s.subFilter === 'ETSI.CAdES.detached');
  expect(
    seals.map((s) => s.valid),
    checked.raw,
  ).toEqual(Array.from({ length: count }, () => true));
  expect(seals[0]!.trusted, checked.raw).toBe(true);
  if (opts.pyhanko === false) return;
  const pyhanko = await verifyWithPyhanko(pdf, trust);
  expect(pyhanko.valid, pyhanko.raw).toBe(true);
  expect(pyhanko.raw.match(/The signature is judged VALID/g)).toHaveLength(count);
  const longTerm = await verifyLongTerm(pdf, trust);
  expect(
    longTerm.signatures.map((s) => [s.indication, s.oldestEvidenceRecord !== null]),
    longTerm.raw,
  ).toEqual(Array.from({ length: count }, () => ['PASSED', true]));
}

/** The file attached to a PDF under `name` (its embedded-files name tree), read with poppler's `pdfdetach`. */
export async function pdfAttachment(pdf: Buffer, name: string): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'attachment-'));
  try {
    const file = join(dir, 'document.pdf');
    await writeFile(file, pdf);
    await promisify(execFile)('pdfdetach', ['-savefile', name, '-o', join(dir, 'out'), file]);
    return await readFile(join(dir, 'out'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
