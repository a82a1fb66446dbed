// Archive renewal against the real test PKI: a document sealed with a TSA whose certificate expires soon gets a new
// document timestamp from a longer-lived TSA, and validates past the first one's expiry only after that.
import { join } from 'node:path';
import { startTestPki, type TestPki } from '@esign/devstack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renewArchivalTimestamp, signedFields, timestampExpiry } from './archival.js';
import { loadSigningIdentity, type SigningIdentity } from './identity.js';
import { padesLevels } from './level.js';
import { sealPdf } from './seal.js';
import { tempDir, PKI_START_MS } from './test-fixtures.js';
import { textToPdf } from './text.js';
import { verifyLongTerm, verifyWithPyhanko } from './verify.js';

const DAY_MS = 864e5;
let pki: TestPki;
let identity: SigningIdentity;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  const tmp = await tempDir('archival');
  cleanup = tmp.cleanup;
  const tsas = [
    { label: 'tsa', days: 10 * 365 },
    { label: 'tsa-short', days: 40 },
  ];
  pki = await startTestPki({ dataDir: join(tmp.dir, 'data'), pki: { tsas, sealDays: 20 } });
  identity = await loadSigningIdentity({ dataDir: join(tmp.dir, 'data') });
}, PKI_START_MS);
afterAll(async () => {
  await pki?.stop();
  await cleanup?.();
});

const days = (date: Date | null) => Math.round(((date?.getTime() ?? NaN) - Date.now()) / DAY_MS);

describe('archive timestamp renewal', { timeout: 60_000 }, () => {
  it('adds a new document timestamp that carries the document past its old TSA certificate', async () => {
    const pdf = await textToPdf('Arkiv', { title: 'Arkiv' });
    const signer = { name: 'Kari Nordmann', method: 'nbid-sign', time: new Date() };
    const sealed = await sealPdf({ pdf, identity, signer, evidence: {}, tsaUrl: pki.tsaUrl('tsa-short') });
    expect(days(await timestampExpiry(sealed))).toBe(40);
    // Between the short TSA certificate's expiry (40 days) and the seal's root CRL's next update (5 years).
    const past = new Date(Date.now() + 400 * DAY_MS).toISOString();
    const trust = { caPems: [pki.rootPem] };
    const before = await verifyLongTerm(sealed, trust, { at: past });
    expect(
      before.signatures.map((s) => s.indication),
      before.raw,
    ).toEqual(['INDETERMINATE']);

    const renewed = await renewArchivalTimestamp({ pdf: sealed, tsaUrl: pki.tsaUrl('tsa') });
    expect(renewed.subarray(0, sealed.length).equals(sealed)).toBe(true);
    expect((await signedFields(renewed)).map((f) => f.kind)).toEqual([
      'signature',
      'document-timestamp',
      'document-timestamp',
    ]);
    expect(days(await timestampExpiry(renewed))).toBe(3650);
    expect(await padesLevels(renewed)).toEqual(['B-LTA']);
    const after = await verifyLongTerm(renewed, trust, { at: past });
    expect(after.signatures, after.raw).toMatchObject([
      { indication: 'PASSED', oldestEvidenceRecord: expect.any(String) },
    ]);
    const now = await verifyWithPyhanko(renewed, trust);
    expect(now.valid, now.raw).toBe(true);
  });

  it('has nothing to renew in a B-B document', async () => {
    const pdf = await textToPdf('Uten tidsstempel', { title: 'B-B' });
    const signer = { name: 'Kari Nordmann', method: 'nbid-sign', time: new Date() };
    expect(await timestampExpiry(await sealPdf({ pdf, identity, signer, evidence: {}, level: 'B-B' }))).toBeNull();
  });
});
