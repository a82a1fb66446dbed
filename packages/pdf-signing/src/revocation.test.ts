// Revocation and unreachable services against the real test PKI: a seal is never made weaker than asked for.
import { join } from 'node:path';
import { startTestPki, type TestPki } from '@esign/devstack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CertificateRevokedError, SealDependencyError } from './errors.js';
import { loadSigningIdentity, type SigningIdentity } from './identity.js';
import { sealPdf, type PadesLevel } from './seal.js';
import { tempDir, PKI_START_MS } from './test-fixtures.js';
import { textToPdf } from './text.js';
import { verifyWithPyhanko } from './verify.js';

let pki: TestPki;
let other: TestPki;
let identity: SigningIdentity;
let cleanup: () => Promise<void>;
let pdf: Buffer;

beforeAll(async () => {
  const tmp = await tempDir('revocation');
  cleanup = tmp.cleanup;
  pki = await startTestPki({ dataDir: join(tmp.dir, 'a') });
  // A second PKI whose TSA stays up while the first one's OCSP and CRLs are down.
  other = await startTestPki({ dataDir: join(tmp.dir, 'b') });
  identity = await loadSigningIdentity({ dataDir: join(tmp.dir, 'a') });
  pdf = await textToPdf('Avtale', { title: 'Avtale' });
}, PKI_START_MS);
afterAll(async () => {
  await Promise.all([pki?.stop(), other?.stop()]);
  await cleanup?.();
});

const seal = (tsaUrl: string, level: PadesLevel = 'B-LTA') =>
  sealPdf({
    pdf,
    identity,
    signer: { name: 'Kari', method: 'nbid-sign', time: new Date() },
    evidence: {},
    tsaUrl,
    level,
  });
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (err: unknown) => err,
  );

describe('revocation and unreachable services', { timeout: 60_000 }, () => {
  it('names the TSA, or the OCSP responder, that does not answer, instead of sealing weaker', async () => {
    await pki.stop();
    try {
      const tsaDown = await failure(seal(pki.tsaUrl()));
      expect(tsaDown).toBeInstanceOf(SealDependencyError);
      expect(tsaDown).toMatchObject({ service: 'TSA', url: pki.tsaUrl() });
      // The other PKI's TSA answers; the seal certificate's OCSP responder (and CRL) do not.
      const ocspDown = await failure(seal(other.tsaUrl()));
      expect(ocspDown).toBeInstanceOf(SealDependencyError);
      expect(ocspDown).toMatchObject({ service: 'OCSP' });
      expect((ocspDown as SealDependencyError).url).toMatch(/\/esign\/ocsp\/interm$/);
      const lt = await failure(seal(other.tsaUrl(), 'B-LT'));
      expect(lt).toMatchObject({ service: 'OCSP' });
    } finally {
      await pki.restart();
    }
    expect(await seal(pki.tsaUrl())).toBeInstanceOf(Buffer);
  });

  it('keeps results sealed before the seal certificate was revoked valid, and refuses to seal after', async () => {
    const before = await seal(pki.tsaUrl());
    await new Promise((r) => setTimeout(r, 1100)); // revocation strictly after the seal's revocation data
    await pki.revoke('seal');
    const after = await failure(seal(pki.tsaUrl()));
    expect(after).toBeInstanceOf(CertificateRevokedError);
    expect((after as Error).message).toMatch(/esign dev seal.*revoked \(OCSP\)/);

    const ades = await verifyWithPyhanko(before, { caPems: [pki.rootPem] }, { mode: 'adesverify' });
    expect(ades.valid, ades.raw).toBe(true);
    // B-B fetches no revocation data: nothing to refuse on, which is why the default is B-LTA.
    expect(await seal(pki.tsaUrl(), 'B-B')).toBeInstanceOf(Buffer);
  });
});
