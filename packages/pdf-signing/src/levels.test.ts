// PAdES levels against a real test PKI (certomancer: TSA, OCSP, CRLs), judged by pyHanko with revocation checking
// on, by pyHanko's long-term (AdES LTA) validation years after the seal certificate expired, and by pdfsig.
import { join } from 'node:path';
import { startTestPki, type TestPki } from '@esign/devstack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSigningIdentity, type SigningIdentity } from './identity.js';
import { readSignatureDictionaries } from './inspect.js';
import { dssContents, padesLevels } from './level.js';
import { sealPdf, sealPdfForSigners, type PadesLevel } from './seal.js';
import { printCms, tempDir, PKI_START_MS } from './test-fixtures.js';
import { textToPdf } from './text.js';
import { verifyLongTerm, verifyWithPdfsig, verifyWithPyhanko } from './verify.js';

let pki: TestPki;
let identity: SigningIdentity;
let cleanup: () => Promise<void>;
let pdf: Buffer;

// The seal certificate lives 30 days: validation three years on is long past its expiry.
const SEAL_DAYS = 30;
const yearsLater = (years: number) => new Date(Date.now() + years * 365 * 864e5).toISOString();

beforeAll(async () => {
  const tmp = await tempDir('levels');
  cleanup = tmp.cleanup;
  pki = await startTestPki({ dataDir: join(tmp.dir, 'data'), pki: { sealDays: SEAL_DAYS } });
  identity = await loadSigningIdentity({ dataDir: join(tmp.dir, 'data') });
  pdf = await textToPdf('Kjøpsavtale\nSelger: Ærlige Åse', { title: 'Kjøpsavtale' });
}, PKI_START_MS);
afterAll(async () => {
  await pki?.stop();
  await cleanup?.();
});

const signer = (name: string, minutes = 0) => ({
  signer: { name, method: 'nbid-sign', time: new Date(Date.now() + minutes * 60_000) },
  evidence: { signer: name },
});
const seal = (level: PadesLevel) => sealPdf({ pdf, identity, ...signer('Kari Nordmann'), level, tsaUrl: pki.tsaUrl() });
const trust = () => ({ caPems: [pki.rootPem] });

describe('PAdES levels on the test PKI', { timeout: 60_000 }, () => {
  it('B-LTA: signature timestamp, DSS with OCSP and CRLs, document timestamp; valid with revocation checking', async () => {
    const sealed = await seal('B-LTA');
    expect(await padesLevels(sealed)).toEqual(['B-LTA']);
    expect((await readSignatureDictionaries(sealed)).map((d) => d.name)).toEqual(['Kari Nordmann']);
    // Seal: OCSP (issuing CA's responder); issuing CA and TSA: the root's CRL; chains: seal, CAs, TSA, responder.
    expect(await dssContents(sealed)).toEqual({ certs: 5, ocsps: 1, crls: 1 });
    const [cms] = await printCms(sealed);
    expect(cms).toMatch(/id-smime-aa-timeStampToken/);

    const validate = await verifyWithPyhanko(sealed, trust());
    expect(validate.valid, validate.raw).toBe(true);
    expect(validate.raw).not.toMatch(/--no-revocation-check/);
    expect(validate.raw).toMatch(/The TSA certificate is trusted\./);
    const ades = await verifyWithPyhanko(sealed, trust(), { mode: 'adesverify' });
    expect(ades.valid, ades.raw).toBe(true);
    // pyHanko's AdES verdict: passed, with the document timestamp as evidence record (the LTA level).
    const lta = await verifyLongTerm(sealed, trust());
    expect(lta.signatures, lta.raw).toMatchObject([{ indication: 'PASSED', oldestEvidenceRecord: expect.any(String) }]);

    // pdfsig checks the signature; it cannot check document timestamps (see verifyWithPdfsig).
    const { signatures, raw } = await verifyWithPdfsig(sealed, trust());
    expect(signatures, raw).toHaveLength(2);
    expect(signatures[0]).toMatchObject({ valid: true, trusted: true, subFilter: 'ETSI.CAdES.detached' });
    expect(signatures[1]).toMatchObject({ signerName: 'esign dev TSA tsa', fieldName: 'Timestamp_1' });
  });

  it('B-LTA stays valid years after the seal certificate expired; B-T does not', async () => {
    const later = yearsLater(3);
    const lta = await verifyWithPyhanko(await seal('B-LTA'), trust(), { mode: 'adesverify', validationTime: later });
    expect(lta.valid, lta.raw).toBe(true);
    const bt = await seal('B-T');
    expect(await padesLevels(bt)).toEqual(['B-T']);
    const expired = await verifyWithPyhanko(bt, trust(), { mode: 'adesverify', validationTime: later });
    expect(expired.valid, expired.raw).toBe(false);
  });

  it('B-LT has the revocation data but no document timestamp; B-B has no timestamp', async () => {
    const lt = await seal('B-LT');
    expect(await padesLevels(lt)).toEqual(['B-LT']);
    expect((await verifyWithPyhanko(lt, trust())).valid).toBe(true);
    const bb = await sealPdf({ pdf, identity, ...signer('Kari Nordmann'), level: 'B-B' });
    expect(await padesLevels(bb)).toEqual(['B-B']);
  });

  it('refuses B-LT and B-LTA for a certificate that names no OCSP responder or CRL', async () => {
    // The throwaway self-made dev identity (no test PKI) has none.
    const selfMade = await loadSigningIdentity({ dataDir: join(pki.rootFile, '..', '..', '..', 'self-made') });
    const sealing = sealPdf({ pdf, identity: selfMade, ...signer('Kari'), level: 'B-LTA', tsaUrl: pki.tsaUrl() });
    await expect(sealing).rejects.toThrow(/"O=esign \(development\), CN=esign dev seal" names no OCSP responder/);
  });

  it('defaults to B-LTA with a TSA and refuses B-T and up without one', async () => {
    const sealed = await sealPdf({ pdf, identity, ...signer('Kari Nordmann'), tsaUrl: pki.tsaUrl() });
    expect(await padesLevels(sealed)).toEqual(['B-LTA']);
    await expect(sealPdf({ pdf, identity, ...signer('Kari Nordmann'), level: 'B-T' })).rejects.toThrow(/needs a time/);
  });

  it('packages several signers at B-LTA: every signature long-term valid', async () => {
    const signers = [signer('Kari Nordmann'), signer('Ola Nordmann', 1), signer('Борис Петров', 2)];
    const sealed = await sealPdfForSigners({ pdf, identity, signers, tsaUrl: pki.tsaUrl(), level: 'B-LTA' });
    expect(await padesLevels(sealed)).toEqual(['B-LTA', 'B-LTA', 'B-LTA']);
    const validate = await verifyWithPyhanko(sealed, trust());
    expect(validate.valid, validate.raw).toBe(true);
    expect(validate.raw.match(/The signature is judged VALID/g)).toHaveLength(3);
    const later = await verifyWithPyhanko(sealed, trust(), { mode: 'adesverify', validationTime: yearsLater(3) });
    expect(later.valid, later.raw).toBe(true);
    expect(later.raw.match(/The signature is judged VALID/g)).toHaveLength(3);
    const verdicts = await verifyLongTerm(sealed, trust(), { at: yearsLater(3) });
    expect(verdicts.signatures.map((v) => [v.indication, v.oldestEvidenceRecord !== null])).toEqual([
      ['PASSED', true],
      ['PASSED', true],
      ['PASSED', true],
    ]);
    const { signatures, raw } = await verifyWithPdfsig(sealed, trust());
    expect(
      signatures.map((s) => [s.subFilter, s.valid]),
      raw,
    ).toEqual([
      ['ETSI.CAdES.detached', true],
      ['ETSI.CAdES.detached', true],
      ['ETSI.CAdES.detached', true],
      ['unknown', false],
    ]);
    expect(signatures[0]!.trusted).toBe(true);
  });
});
