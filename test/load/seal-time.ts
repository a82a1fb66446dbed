// Benchmark (not a test): seal time of `sealPdf` at PAdES B-B (load, evidence attachment, incremental revision, CMS
// with signing-certificate-v2) and at B-LTA (the same, plus a signature timestamp, OCSP and CRLs of every chain in a
// DSS revision, a document timestamp and its own DSS revision) for 1, 10 and 100-page PDFs, against the raw signing
// cost on the same bytes (SHA-256 of the whole file + one RSA-2048 signature with the same key). The TSA, OCSP
// responder and CRLs are the test PKI's (certomancer on 127.0.0.1). Alternating rounds, medians.
// Run: node --import tsx test/load/seal-time.ts [rounds]
import { createHash, createPrivateKey, sign } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestPki } from '@esign/devstack';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { loadSigningIdentity, sealPdf, type PadesLevel } from '../../packages/pdf-signing/src/index.js';
import { alternate, median, table } from './measure.js';

const ROUNDS = Math.max(5, Number(process.argv[2] ?? 7));
const PAGES = [1, 10, 100];
const LEVELS: PadesLevel[] = ['B-B', 'B-LTA'];

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
const dataDir = join(dir, 'data');
const pki = await startTestPki({ dataDir });
try {
  const identity = await loadSigningIdentity({ dataDir });
  const key = createPrivateKey(await readFile(join(dataDir, 'pki', 'keys', 'seal.key.pem')));
  const signer = { name: 'Kari Nordmann', method: 'nbid-sign', time: new Date() };
  const evidence = { identity: { name: 'Kari Nordmann' }, ip: '203.0.113.7', userAgent: 'bench' };
  const seal = (pdf: Buffer, level: PadesLevel) =>
    sealPdf({ pdf, identity, signer, evidence, level, tsaUrl: pki.tsaUrl() });

  // Every case of every size in one alternation, so drift on a noisy machine hits them all alike.
  const cases: Record<string, () => Promise<number>> = {};
  const sizes: Record<string, number> = {};
  const inputs: Record<number, Buffer> = {};
  for (const pages of PAGES) {
    const pdf = (inputs[pages] = await pdfWithPages(pages));
    for (const level of LEVELS) {
      sizes[`${level}-${pages}`] = (await seal(pdf, level)).length;
      for (let i = 0; i < 2; i++) await seal(pdf, level); // warm-up: JIT, the P12 opened once per identity
      cases[`${level}-${pages}`] = () => ms(() => seal(pdf, level));
    }
    cases[`raw-${pages}`] = () =>
      ms(async () => {
        sign('sha256', createHash('sha256').update(pdf).digest(), key);
      });
  }
  const runs = await alternate(ROUNDS, cases);
  const kib = (n: number) => (n / 1024).toFixed(0);
  const rows = PAGES.map((pages) => {
    const [bb, lta, raw] = ['B-B', 'B-LTA', 'raw'].map((c) => median(runs[`${c}-${pages}`]!)) as number[];
    return {
      pages: String(pages),
      'PDF in → B-B / B-LTA (KiB)': `${kib(inputs[pages]!.length)} → ${kib(sizes[`B-B-${pages}`]!)} / ${kib(sizes[`B-LTA-${pages}`]!)}`,
      'seal B-B (ms)': bb!,
      'seal B-LTA (ms)': lta!,
      'B-LTA − B-B (ms)': lta! - bb!,
      'raw hash + RSA sign (ms)': raw!,
    };
  });
  process.stdout.write(`\nSeal time: ${ROUNDS} alternating rounds, medians\n\n${table(rows)}\n`);
} finally {
  await pki.stop();
  await rm(dir, { recursive: true, force: true });
}
