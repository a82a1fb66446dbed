import { X509Certificate } from 'node:crypto';
import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCa, issueCertificate } from './certs.js';
import { DEV_SIGNING_DIR, loadSigningIdentity } from './identity.js';
import { run } from './run.js';
import { tempDir } from './test-fixtures.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('identity'));
});
afterAll(() => cleanup());

describe('loadSigningIdentity', { timeout: 20_000 }, () => {
  it('creates a dev CA and a signing certificate once and reuses them', async () => {
    const dataDir = join(dir, 'data');
    const [first, concurrent] = await Promise.all([loadSigningIdentity({ dataDir }), loadSigningIdentity({ dataDir })]);
    const again = await loadSigningIdentity({ dataDir });
    expect(concurrent.certPem).toBe(first.certPem);
    expect(again.certPem).toBe(first.certPem);
    expect(again.caPem).toBe(first.caPem);
    expect(again.p12.equals(first.p12)).toBe(true);
    expect(first.subject).toBe('O=esign (development), CN=esign dev seal');

    const signing = join(dataDir, DEV_SIGNING_DIR);
    expect((await stat(signing)).mode & 0o777).toBe(0o700);
    for (const secret of ['ca.key.pem', 'seal.p12', 'seal.p12.password']) {
      expect((await stat(join(signing, secret))).mode & 0o777).toBe(0o600);
    }

    const ca = new X509Certificate(first.caPem);
    const leaf = new X509Certificate(first.certPem);
    expect(ca.ca).toBe(true);
    expect(leaf.ca).toBe(false);
    expect(leaf.checkIssued(ca) && leaf.verify(ca.publicKey)).toBe(true);
    const text = (
      await run('openssl', ['x509', '-noout', '-ext', 'keyUsage,basicConstraints', '-in', join(signing, 'seal.pem')])
    ).stdout;
    expect(text).toMatch(/Digital Signature, Non Repudiation/);
    const caText = (await run('openssl', ['x509', '-noout', '-ext', 'keyUsage', '-in', join(signing, 'ca.pem')]))
      .stdout;
    expect(caText).toMatch(/Certificate Sign/);
  });

  it('loads a production PKCS#12 made by openssl (AES-256 PBES2) with a CA file', async () => {
    const ca = createCa('Prod test CA', 'Acme');
    const leaf = issueCertificate(ca, 'signing', 'Acme seal', 'Acme');
    const files = {
      key: join(dir, 'prod.key.pem'),
      cert: join(dir, 'prod.pem'),
      ca: join(dir, 'prod-ca.pem'),
      p12: join(dir, 'prod.p12'),
    };
    await writeFile(files.key, leaf.keyPem);
    await writeFile(files.cert, leaf.certPem);
    await writeFile(files.ca, ca.certPem);
    const exported = await run('openssl', [
      'pkcs12', '-export', '-inkey', files.key, '-in', files.cert, '-certfile', files.ca,
      '-out', files.p12, '-passout', 'pass:s3cret æ',
    ]); // prettier-ignore
    expect(exported.stderr).toBe('');

    const identity = await loadSigningIdentity({ p12File: files.p12, password: 's3cret æ', caFile: files.ca });
    expect(new X509Certificate(identity.certPem).fingerprint256).toBe(new X509Certificate(leaf.certPem).fingerprint256);
    expect(identity.caPem).toBe(ca.certPem);
    expect(identity.subject).toBe('O=Acme, CN=Acme seal');

    // Without a CA file, the P12's own chain is the CA bundle.
    const fromChain = await loadSigningIdentity({ p12File: files.p12, password: 's3cret æ' });
    expect(new X509Certificate(fromChain.caPem).fingerprint256).toBe(new X509Certificate(ca.certPem).fingerprint256);

    await expect(loadSigningIdentity({ p12File: files.p12, password: 'wrong' })).rejects.toThrow();
  });
});
