// Independent verification with poppler's pdfsig (NSS) and pyHanko: test and ops helpers, not used when sealing.
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pemBundleToDer } from './certs.js';
import { run, withTempDir } from './run.js';

export interface PdfsigSignature {
  /** "Signature Validation: Signature is Valid." (a digest mismatch prints "Digest Mismatch." and exits 0) */
  valid: boolean;
  /** "Certificate Validation: Certificate is Trusted." against the given CAs */
  trusted: boolean;
  /** "Total document signed": the byte range covers the whole file */
  wholeDocument: boolean;
  /** "Signature Type", e.g. ETSI.CAdES.detached */
  subFilter: string;
  /** The signing certificate's common name as pdfsig prints it (pdfsig does not print /Name) */
  signerName?: string;
  fieldName?: string;
  /** pdfsig's own wording, e.g. "Signature is Valid." / "Certificate is Trusted." */
  signatureStatus: string;
  certificateStatus: string;
}

/**
 * Runs `pdfsig -no-ocsp -nssdir <temp NSS db>` and parses its text (its exit code is 0 even on a digest mismatch).
 * The NSS db holds `caPems` as trusted CAs, plus, without any trust, the certificates found in the signatures' CMS
 * (known certificates grant no trust: a chain must still end at one of `caPems`). Poppler 22.12's NSS checks, seen
 * with the certomancer test PKI: its online OCSP check rejects certomancer's answers ("Unknown issue with Certificate
 * or corrupted data", which `openssl ocsp` and pyHanko verify), hence `-no-ocsp`; the second and later signatures of
 * one file made with the same certificate get that same message; RFC 3161 document timestamps are "not yet
 * verified" (unsupported). Revocation and every signature's trust are pyHanko's to judge (verifyWithPyhanko).
 */
export async function verifyWithPdfsig(
  pdf: Buffer,
  trust: { caPems: string[] },
): Promise<{ signatures: PdfsigSignature[]; raw: string }> {
  return withTempDir('pdfsig', async (dir) => {
    const file = join(dir, 'document.pdf');
    const db = `sql:${join(dir, 'nss')}`;
    await writeFile(file, pdf);
    await mkdir(join(dir, 'nss'));
    await must(run('certutil', ['-N', '-d', db, '--empty-password']), 'certutil -N');
    for (const [i, pem] of trust.caPems.entries()) {
      const caFile = join(dir, `ca-${i}.pem`);
      await writeFile(caFile, pem);
      await must(run('certutil', ['-A', '-d', db, '-n', `esign-ca-${i}`, '-t', 'C,C,C', '-i', caFile]), 'certutil -A');
    }
    await importSignerCertificates(dir, file, db, trust.caPems);
    const result = await run('pdfsig', ['-no-ocsp', '-nssdir', db, file]);
    const raw = result.stdout + result.stderr;
    // 2: no signatures; 1 (and others): not a PDF / unreadable.
    if (result.code !== 0 && result.code !== 2) throw new Error(`pdfsig failed (exit ${result.code}): ${raw}`);
    return { signatures: parsePdfsig(result.stdout), raw };
  });
}

/** `pdfsig -dump` writes each signature's CMS next to the file; their certificates go into the db untrusted. */
async function importSignerCertificates(dir: string, file: string, db: string, caPems: string[]): Promise<void> {
  const trusted = new Set(caPems.flatMap(pemBundleToDer).map((der) => der.toString('base64')));
  const dump = await run('pdfsig', ['-dump', '-nocert', file], { cwd: dir });
  if (dump.code !== 0) return; // no signatures (2) or not a PDF: the real run below reports it
  const seen = new Set<string>();
  for (const name of (await readdir(dir)).filter((n) => /\.sig\d+$/.test(n)).sort()) {
    const certs = await run('openssl', ['pkcs7', '-inform', 'DER', '-in', join(dir, name), '-print_certs']);
    if (certs.code !== 0) continue; // unparseable CMS: pdfsig will say so
    for (const der of pemBundleToDer(certs.stdout)) {
      const key = der.toString('base64');
      if (trusted.has(key) || seen.has(key)) continue;
      seen.add(key);
      const certFile = join(dir, `known-${seen.size}.der`);
      await writeFile(certFile, der);
      await must(
        run('certutil', ['-A', '-d', db, '-n', `known-${seen.size}`, '-t', ',,', '-i', certFile]),
        'certutil -A',
      );
    }
  }
}

export function parsePdfsig(text: string): PdfsigSignature[] {
  const blocks = text.split(/^Signature #\d+:\s*$/m).slice(1);
  return blocks.map((block) => {
    const field = (label: string) => new RegExp(`^\\s*- ${label}: (.*)$`, 'm').exec(block)?.[1]?.trim();
    const signatureStatus = field('Signature Validation') ?? '';
    const certificateStatus = field('Certificate Validation') ?? '';
    const signerName = field('Signer Certificate Common Name');
    const fieldName = field('Signature Field Name');
    return {
      valid: signatureStatus === 'Signature is Valid.',
      trusted: certificateStatus === 'Certificate is Trusted.',
      wholeDocument: /^\s*- Total document signed\s*$/m.test(block),
      subFilter: field('Signature Type') ?? '',
      ...(signerName === undefined ? {} : { signerName }),
      ...(fieldName === undefined ? {} : { fieldName }),
      signatureStatus,
      certificateStatus,
    };
  });
}

export interface PyhankoOptions {
  pyhanko?: string;
  /**
   * `validate` (default): pyHanko's signature validation at the current time, revocation checked (hard-fail,
   * fetching what the document lacks). `adesverify`: ETSI EN 319 102-1 validation, long-term (LTA) where the
   * document allows, from the document's own validation data.
   */
  mode?: 'validate' | 'adesverify';
  /** `--no-revocation-check` (validate only). */
  noRevocationCheck?: boolean;
  /** adesverify at this time (ISO 8601) instead of now: point-in-time validation from the embedded data only. */
  validationTime?: string;
}

/**
 * `pyhanko sign <mode> --pretty-print --trust <each CA> --trust-replace`: valid when it exits 0, i.e. every
 * signature is intact, trusted, not revoked, and no later revision made changes pyHanko's difference analysis
 * disallows. `pyhanko` from `tool('pyhanko')` of @esign/devstack (PYHANKO_BIN overrides), or `opts.pyhanko`.
 */
export async function verifyWithPyhanko(
  pdf: Buffer,
  trust: { caPems: string[] },
  opts: PyhankoOptions = {},
): Promise<{ valid: boolean; raw: string }> {
  const pyhanko = opts.pyhanko ?? (await pyhankoPath());
  return withTempDir('pyhanko', async (dir) => {
    const file = join(dir, 'document.pdf');
    await writeFile(file, pdf);
    const args = ['sign', opts.mode ?? 'validate', '--pretty-print', '--trust-replace'];
    if (opts.noRevocationCheck) args.push('--no-revocation-check');
    if (opts.validationTime) args.push('--validation-time', opts.validationTime);
    for (const [i, pem] of trust.caPems.entries()) {
      const caFile = join(dir, `ca-${i}.pem`);
      await writeFile(caFile, pem);
      args.push('--trust', caFile);
    }
    const result = await run(pyhanko, [...args, file], { timeoutMs: 120_000 });
    return { valid: result.code === 0, raw: result.stdout + result.stderr };
  });
}

export interface LongTermVerdict {
  field: string;
  /** PASSED, INDETERMINATE or FAILED (ETSI EN 319 102-1). */
  indication: string;
  subindication: string;
  /** The oldest document timestamp after the signature that pyHanko validated (its evidence record): LTA. */
  oldestEvidenceRecord: string | null;
  bestSignatureTime: string;
}

/**
 * pyHanko's AdES long-term (LTA) validation of every signature, revocation data required, at `at` (ISO 8601,
 * point-in-time from the document's own data) or now: the AdES indication, read through pyHanko's API
 * (ades-report.py) because its `adesverify` summary misreports a timestamp proven in the past.
 */
export async function verifyLongTerm(
  pdf: Buffer,
  trust: { caPems: string[] },
  opts: { at?: string } = {},
): Promise<{ signatures: LongTermVerdict[]; raw: string }> {
  const { tool } = await import('@esign/devstack');
  return withTempDir('ades', async (dir) => {
    const file = join(dir, 'document.pdf');
    await writeFile(file, pdf);
    const roots = await Promise.all(
      trust.caPems.map(async (pem, i) => {
        await writeFile(join(dir, `ca-${i}.pem`), pem);
        return join(dir, `ca-${i}.pem`);
      }),
    );
    const script = fileURLToPath(new URL('./ades-report.py', import.meta.url));
    const args = [script, file, ...roots, ...(opts.at ? ['--at', opts.at] : [])];
    const result = await run(tool('python'), args, { timeoutMs: 120_000 });
    const raw = result.stdout + result.stderr;
    if (result.code !== 0) throw new Error(`ades-report.py failed (exit ${result.code}): ${raw}`);
    const lines = result.stdout.split('\n').filter((l) => l.startsWith('{'));
    return { signatures: lines.map((l) => JSON.parse(l) as LongTermVerdict), raw };
  });
}

async function pyhankoPath(): Promise<string> {
  // A dev/test tool: loaded only when asked for, so production code never needs @esign/devstack.
  const { tool } = await import('@esign/devstack');
  return tool('pyhanko');
}

async function must(result: Promise<{ code: number; stdout: string; stderr: string }>, what: string): Promise<void> {
  const r = await result;
  if (r.code !== 0) throw new Error(`${what} failed (exit ${r.code}): ${r.stdout}${r.stderr}`);
}
