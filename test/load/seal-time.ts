// Benchmark (not a test): PAdES B-B seal time (`sealPdf`: load, evidence attachment, incremental revision, CMS with
// signing-certificate-v2, patch) for 1, 10 and 100-page PDFs, against the raw signing cost measured in the same run
// on the same bytes: (a) in-process SHA-256 of the whole file + one RSA-2048 signature with the same key, (b)
// `openssl cms -sign -cades` over a file of the same size (a complete CAdES CMS, process start included). Alternating
// rounds, medians. Then one B-T seal against the local openssl TSA, for scale. Needs no servers.
// Run: node --import tsx test/load/seal-time.ts [rounds]
import { execFile } from 'node:child_process';
import { createHash, createPrivateKey, sign } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { loadSigningIdentity, sealPdf, startLocalTsa, type SealInput } from '../../packages/pdf-signing/src/index.js';
import { alternate, median, table } from './measure.js';

const ROUNDS = Math.max(5, Number(process.argv[2] ?? 7));
const PAGES = [1, 10, 100];
const exec = promisify(execFile);

/** A text PDF: 45 lines of Helvetica per page, as a contract would have. */
async function pdfWithPages(pages: number): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let p = 1; p <= pages; p++) {
    const page = doc.addPage([595.28, 841.89]);
    for (let line = 0; line < 45; line++) {
      const text = `§ ${p}.${line + 1} The parties agree to the terms set out in this clause, page ${p} of ${pages}.`;
      page.drawText(text, { x: 56, y: 780 - line * 16, size: 10, font });
    }
  }
  return Buffer.from(await doc.save());
}

const ms = async (work: () => Promise<unknown>) => {
  const started = performance.now();
  await work();
  return performance.now() - started;
};

const dir = await mkdtemp(join(tmpdir(), 'esign-bench-seal-'));
try {
  const identity = await loadSigningIdentity({ dataDir: join(dir, 'data') });
  // The same key and certificates for the baselines, out of the P12.
  const p12File = join(dir, 'seal.p12');
  await writeFile(p12File, identity.p12);
  const pass = `pass:${identity.password}`;
  const { stdout: keyPem } = await exec('openssl', ['pkcs12', '-in', p12File, '-passin', pass, '-nocerts', '-nodes']);
  const files = { key: join(dir, 'key.pem'), cert: join(dir, 'cert.pem'), ca: join(dir, 'ca.pem') };
  await writeFile(files.key, keyPem, { mode: 0o600 });
  await writeFile(files.cert, identity.certPem);
  await writeFile(files.ca, identity.caPem);
  const key = createPrivateKey(keyPem);

  const signer = { name: 'Kari Nordmann', method: 'nbid-sign', time: new Date() };
  const evidence = { identity: { name: 'Kari Nordmann' }, ip: '203.0.113.7', userAgent: 'bench' };
  const seal = (pdf: Buffer, extra: Partial<SealInput> = {}) => sealPdf({ pdf, identity, signer, evidence, ...extra });

  // Every case of every size in one alternation, so drift on a noisy machine hits them all alike.
  const cases: Record<string, () => Promise<number>> = {};
  const sealedSize: Record<number, number> = {};
  const inputs: Record<number, Buffer> = {};
  for (const pages of PAGES) {
    const pdf = (inputs[pages] = await pdfWithPages(pages));
    const input = join(dir, `in-${pages}.pdf`);
    await writeFile(input, pdf);
    sealedSize[pages] = (await seal(pdf)).length;
    for (let i = 0; i < 3; i++) await seal(pdf); // warm-up: JIT, the P12 is opened once per identity
    cases[`seal-${pages}`] = () => ms(() => seal(pdf));
    cases[`raw-${pages}`] = () =>
      ms(async () => {
        const digest = createHash('sha256').update(pdf).digest();
        sign('sha256', digest, key);
      });
    cases[`openssl-${pages}`] = () =>
      ms(
        () =>
        exec('openssl', [
          'cms', '-sign', '-binary', '-cades', '-nosmimecap', '-md', 'sha256', '-in', input,
          '-signer', files.cert, '-inkey', files.key, '-certfile', files.ca, '-outform', 'DER',
          '-out', join(dir, `out-${pages}.p7s`),
        ]), // prettier-ignore
      );
  }
  const runs = await alternate(ROUNDS, cases);
  const rows = PAGES.map((pages) => {
    const [s, r, o] = ['seal', 'raw', 'openssl'].map((c) => median(runs[`${c}-${pages}`]!)) as [number, number, number];
    return {
      pages: String(pages),
      'PDF in → sealed (KiB)': `${(inputs[pages]!.length / 1024).toFixed(0)} → ${(sealedSize[pages]! / 1024).toFixed(0)}`,
      'seal B-B (ms)': s,
      'raw hash + RSA sign (ms)': r,
      'openssl cms -sign -cades (ms)': o,
      'seal / raw': s / r,
      'seal / openssl': s / o,
    };
  });

  const tsa = await startLocalTsa(join(dir, 'tsa'));
  let bt: number;
  try {
    const pdf = await pdfWithPages(1);
    await seal(pdf, { tsaUrl: tsa.url }); // warm-up
    const times: number[] = [];
    for (let i = 0; i < ROUNDS; i++) times.push(await ms(() => seal(pdf, { tsaUrl: tsa.url })));
    bt = median(times);
  } finally {
    await tsa.stop();
  }
  const size = (await readFile(join(dir, 'out-1.p7s'))).length;
  process.stdout.write(
    `\nSeal time: ${ROUNDS} alternating rounds, medians\n\n${table(rows)}\n\n` +
      `${table([
        { case: '1 page, B-T with the local openssl TSA (ms)', value: bt },
        { case: 'openssl CAdES CMS size (bytes)', value: String(size) },
      ])}\n`,
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
