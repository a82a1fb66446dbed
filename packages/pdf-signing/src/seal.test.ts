// Real tools, no mocks: pdfsig (poppler + NSS), pyHanko, openssl, pdfdetach, pdftoppm.
import { join } from 'node:path';
import { startTestPki, type TestPki } from '@esign/devstack';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSigningIdentity, type SigningIdentity } from './identity.js';
import { readSignatureDictionaries } from './inspect.js';
import { EVIDENCE_FILE_NAME, sealPdf, sealPdfForSigners, type SealInput } from './seal.js';
import {
  attachment,
  attachmentNames,
  onPdf,
  printCms,
  renderLastPage,
  signaturePng,
  tempDir,
  PKI_START_MS,
} from './test-fixtures.js';
import { textToPdf } from './text.js';
import { verifyWithPdfsig, verifyWithPyhanko } from './verify.js';

let identity: SigningIdentity;
let pki: TestPki;
let cleanup: () => Promise<void>;
let plainPdf: Buffer;
let textPdf: Buffer;

const time = new Date('2026-03-02T10:15:00Z');
const evidence = {
  identity: { name: 'Kari Nordmann', 'national-id': '01017012345' },
  ip: '203.0.113.7',
  userAgent: 'Mozilla/5.0',
  documentSha256: 'ab'.repeat(32),
};

beforeAll(async () => {
  const tmp = await tempDir('seal');
  cleanup = tmp.cleanup;
  pki = await startTestPki({ dataDir: join(tmp.dir, 'data') });
  identity = await loadSigningIdentity({ dataDir: join(tmp.dir, 'data') });
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 1; i <= 3; i++) doc.addPage().drawText(`Agreement page ${i}`, { x: 72, y: 720, font, size: 14 });
  plainPdf = Buffer.from(await doc.save());
  textPdf = await textToPdf('Kjøpsavtale\nSelger: Ærlige Åse Øvreås\nКупить: Иван', { title: 'Kjøpsavtale' });
}, PKI_START_MS);
afterAll(async () => {
  await pki?.stop();
  await cleanup?.();
});

const seal = (pdf: Buffer, extra: Partial<SealInput> = {}) =>
  sealPdf({ pdf, identity, signer: { name: 'Kari Nordmann', method: 'nbid-sign', time }, evidence, ...extra });
const trust = () => ({ caPems: [pki.rootPem] });

// pyHanko starts a Python process per validation (about 1-2 s).
describe('sealPdf', { timeout: 30_000 }, () => {
  it('makes a PAdES B-B seal that pdfsig and pyHanko accept, with signing-certificate-v2', async () => {
    for (const pdf of [plainPdf, textPdf]) {
      const sealed = await seal(pdf, {
        signedStatement: {
          data: 'eyJhbGciOiJSUzI1NiJ9.e30.c2ln',
          fileName: 'statement.jwt',
          mimeType: 'application/jwt',
        },
      });

      const { signatures, raw } = await verifyWithPdfsig(sealed, trust());
      expect(signatures, raw).toHaveLength(1);
      expect(signatures[0]).toMatchObject({
        valid: true,
        trusted: true,
        wholeDocument: true,
        subFilter: 'ETSI.CAdES.detached',
        signerName: 'esign dev seal',
      });
      expect(raw).toContain('Signature Validation: Signature is Valid.');
      expect(raw).toContain('Certificate Validation: Certificate is Trusted.');

      const pyhanko = await verifyWithPyhanko(sealed, trust());
      expect(pyhanko.valid, pyhanko.raw).toBe(true);
      expect(pyhanko.raw).toMatch(/The signature is judged VALID/);

      const [cms] = await printCms(sealed);
      expect(cms).toMatch(/id-smime-aa-signingCertificateV2/);
      expect(cms).not.toMatch(/id-smime-aa-timeStampToken/);

      const [dict] = await readSignatureDictionaries(sealed);
      expect(dict).toMatchObject({
        subFilter: 'ETSI.CAdES.detached',
        name: 'Kari Nordmann',
        contactInfo: 'nbid-sign',
        reason: 'Signed by Kari Nordmann with nbid-sign',
        signingTime: 'D:20260302101500Z',
      });
      // The attachments precede the signature's /Contents hole, so the signature covers them.
      expect(await attachmentNames(sealed)).toEqual(expect.arrayContaining([EVIDENCE_FILE_NAME, 'statement.jwt']));
      expect(JSON.parse((await attachment(sealed, EVIDENCE_FILE_NAME)).toString())).toEqual(evidence);
      expect((await attachment(sealed, 'statement.jwt')).toString()).toBe('eyJhbGciOiJSUzI1NiJ9.e30.c2ln');
      const unsignedNames = await attachmentNames(pdf).catch(() => []);
      expect(unsignedNames).toEqual([]);
    }
  });

  it('writes names with parentheses and non-Latin letters, reason and location as given', async () => {
    const sealed = await sealPdf({
      pdf: plainPdf,
      identity,
      signer: { name: 'Åse (Øvreås) Иванова', method: 'mitid', time },
      evidence,
      reason: 'Godkjent (avtale)',
      location: 'Oslo',
    });
    const [dict] = await readSignatureDictionaries(sealed);
    expect(dict).toMatchObject({
      name: 'Åse (Øvreås) Иванова',
      reason: 'Godkjent (avtale)',
      location: 'Oslo',
      contactInfo: 'mitid',
    });
  });

  it('stamps the handwritten signature visibly on the last page, inside the signed range', async () => {
    const sealed = await seal(plainPdf, { handwritten: { png: signaturePng() } });
    expect((await renderLastPage(sealed)).equals(await renderLastPage(plainPdf))).toBe(false);
    const images = await onPdf(sealed, 'pdfimages', (f) => ['-list', f]);
    const rows = images.split('\n').filter((l) => /^\s*\d+\s+\d+\s+(image|smask)/.test(l));
    expect(rows.map((r) => Number(r.trim().split(/\s+/)[0]))).toContain(3); // page 3 of 3
    const { signatures } = await verifyWithPdfsig(sealed, trust());
    expect(signatures[0]).toMatchObject({ valid: true, trusted: true, wholeDocument: true });
    const pyhanko = await verifyWithPyhanko(sealed, trust());
    expect(pyhanko.valid, pyhanko.raw).toBe(true);
    const text = await onPdf(sealed, 'pdftotext', (f) => ['-enc', 'UTF-8', '-f', '3', '-l', '3', f, '-']);
    expect(text).toContain('Kari Nordmann · nbid-sign · 2026-03-02 10:15 UTC');
  });

  it('makes B-T with an RFC 3161 timestamp from the TSA of the test PKI', async () => {
    const sealed = await seal(textPdf, { tsaUrl: pki.tsaUrl(), level: 'B-T' });
    const [cms] = await printCms(sealed);
    expect(cms).toMatch(/id-smime-aa-signingCertificateV2/);
    expect(cms).toMatch(/id-smime-aa-timeStampToken/);
    const pyhanko = await verifyWithPyhanko(sealed, trust());
    expect(pyhanko.valid, pyhanko.raw).toBe(true);
    expect(pyhanko.raw).toMatch(/Signature timestamp token: /);
    expect(pyhanko.raw).toMatch(/The TSA certificate is trusted\./);
    const { signatures } = await verifyWithPdfsig(sealed, trust());
    expect(signatures[0]).toMatchObject({ valid: true, trusted: true, wholeDocument: true });
  });

  it('adds a second signature incrementally and keeps the first valid', async () => {
    const first = await seal(textPdf);
    const second = await sealPdf({
      pdf: first,
      identity,
      signer: { name: 'Ola Nordmann', method: 'sbid-sign', time: new Date('2026-03-02T11:00:00Z') },
      evidence: { ...evidence, identity: { name: 'Ola Nordmann' } },
    });
    expect(second.subarray(0, first.length).equals(first)).toBe(true);

    const { signatures, raw } = await verifyWithPdfsig(second, trust());
    expect(signatures, raw).toHaveLength(2);
    // The second signature's trust: see verifyWithPdfsig (pyHanko judges it below).
    expect(signatures.map((s) => [s.valid, s.wholeDocument])).toEqual([
      [true, false],
      [true, true],
    ]);
    expect(signatures[0]!.trusted).toBe(true);
    expect((await readSignatureDictionaries(second)).map((d) => [d.name, d.contactInfo])).toEqual([
      ['Kari Nordmann', 'nbid-sign'],
      ['Ola Nordmann', 'sbid-sign'],
    ]);
    expect((await attachmentNames(second)).sort()).toEqual(['signing-evidence-2.json', EVIDENCE_FILE_NAME]);
    expect(JSON.parse((await attachment(second, 'signing-evidence-2.json')).toString())).toMatchObject({
      identity: { name: 'Ola Nordmann' },
    });
  });

  it('seals one PDF for several signers so that pdfsig and pyHanko accept every signature', async () => {
    const signers = ['Kari Nordmann', 'Ola Nordmann', 'Борис Петров'].map((name, i) => ({
      signer: { name, method: 'nbid-sign', time: new Date(time.getTime() + i * 60_000) },
      evidence: { ...evidence, identity: { name } },
      handwritten: { png: signaturePng() },
    }));
    const sealed = await sealPdfForSigners({ pdf: textPdf, identity, signers });
    const { signatures, raw } = await verifyWithPdfsig(sealed, trust());
    expect(
      signatures.map((s) => [s.valid, s.wholeDocument]),
      raw,
    ).toEqual([
      [true, false],
      [true, false],
      [true, true],
    ]);
    const pyhanko = await verifyWithPyhanko(sealed, trust());
    expect(pyhanko.valid, pyhanko.raw).toBe(true);
    expect(pyhanko.raw.match(/The signature is judged VALID/g)).toHaveLength(3);
    expect((await readSignatureDictionaries(sealed)).map((d) => d.name)).toEqual(signers.map((s) => s.signer.name));
    expect(await attachmentNames(sealed)).toHaveLength(3);
  });

  it('a byte flipped inside the signed range fails pdfsig and pyHanko', async () => {
    const sealed = await seal(plainPdf);
    const [dict] = await readSignatureDictionaries(sealed);
    const [, firstRangeEnd] = dict!.byteRange;
    // Byte 11 is inside pdf-lib's binary comment line ("%\x81\x81\x81\x81"): the file still parses.
    expect(firstRangeEnd).toBeGreaterThan(11);
    const tampered = Buffer.from(sealed);
    tampered[11] = tampered[11]! ^ 0x01;

    const { signatures, raw } = await verifyWithPdfsig(tampered, trust());
    expect(signatures).toHaveLength(1);
    expect(signatures[0]!.valid).toBe(false);
    expect(raw).toContain('Digest Mismatch');
    const pyhanko = await verifyWithPyhanko(tampered, trust());
    expect(pyhanko.valid).toBe(false);
    expect(pyhanko.raw).toMatch(/INVALID|Validation failed/);
  });

  it('is not trusted by validators that do not trust the dev CA', async () => {
    const sealed = await seal(plainPdf);
    const { signatures } = await verifyWithPdfsig(sealed, { caPems: [] });
    expect(signatures[0]).toMatchObject({ valid: true, trusted: false });
    const pyhanko = await verifyWithPyhanko(sealed, { caPems: [] });
    expect(pyhanko.valid).toBe(false);
  });
});
