import { X509Certificate } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { startTestPki, type TestPki } from '@esign/devstack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_SIGNING_DIR, loadSigningIdentity } from './identity.js';
import { run } from './run.js';
import { tempDir, PKI_START_MS } from './test-fixtures.js';

let dir: string;
let cleanup: () => Promise<void>;
let pki: TestPki;
const dataDir = () => join(dir, 'data');

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('identity'));
  pki = await startTestPki({ dataDir: dataDir() });
}, PKI_START_MS);
afterAll(async () => {
  await pki?.stop();
  await cleanup?.();
});

describe('loadSigningIdentity', { timeout: 20_000 }, () => {
  it('loads the dev identity the dev stack made from the test PKI', async () => {
    const identity = await loadSigningIdentity({ dataDir: dataDir() });
    const again = await loadSigningIdentity({ dataDir: dataDir() });
    expect(again.certPem).toBe(identity.certPem);
    expect(identity.key.kind).toBe('pkcs12');
    expect(identity.subject).toMatch(/^C=NO, O=esign dev PKI [0-9a-f]{6}, CN=esign dev seal$/);
    expect(identity.caPem).toBe(pki.rootPem);
    const seal = new X509Certificate(identity.certPem);
    const interm = new X509Certificate(await readFile(join(dataDir(), DEV_SIGNING_DIR, 'chain.pem')));
    expect(seal.checkIssued(interm) && seal.verify(interm.publicKey)).toBe(true);
    expect(seal.infoAccess).toMatch(/OCSP - URI:http:\/\/127\.0\.0\.1:\d+\/esign\/ocsp\/interm/);
  });

  it('makes a throwaway dev identity once where none exists, even for two concurrent first loads', async () => {
    const elsewhere = join(dir, 'elsewhere');
    const [first, concurrent] = await Promise.all([
      loadSigningIdentity({ dataDir: elsewhere }),
      loadSigningIdentity({ dataDir: elsewhere }),
    ]);
    expect(concurrent.certPem).toBe(first.certPem);
    expect((await loadSigningIdentity({ dataDir: elsewhere })).certPem).toBe(first.certPem);
    expect(first.subject).toBe('O=esign (development), CN=esign dev seal');
    expect((await stat(join(elsewhere, DEV_SIGNING_DIR, 'seal.p12'))).mode & 0o777).toBe(0o600);
  });

  it('loads a production PKCS#12 made by openssl (AES-256 PBES2) with a CA file, or with its own chain', async () => {
    const signing = join(dataDir(), DEV_SIGNING_DIR);
    const files = { p12: join(dir, 'prod.p12'), chain: join(signing, 'chain.pem') };
    const exported = await run('openssl', [
      'pkcs12', '-export', '-inkey', join(dataDir(), 'pki', 'keys', 'seal.key.pem'), '-in', join(signing, 'seal.pem'),
      '-certfile', files.chain, '-out', files.p12, '-passout', 'pass:s3cret æ',
    ]); // prettier-ignore
    expect(exported.stderr).toBe('');

    const identity = await loadSigningIdentity({ p12File: files.p12, password: 's3cret æ', caFile: files.chain });
    expect(identity.certPem).toBe(await readFile(join(signing, 'seal.pem'), 'utf8'));
    expect(identity.caPem).toBe(await readFile(files.chain, 'utf8'));
    // Without a CA file, the P12's own chain is the CA bundle.
    const fromChain = await loadSigningIdentity({ p12File: files.p12, password: 's3cret æ' });
    const subjects = [...fromChain.caPem.matchAll(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)];
    expect(subjects.map(([pem]) => new X509Certificate(pem).subject.split('\n').at(-1)).sort()).toEqual([
      'CN=esign dev issuing CA',
      'CN=esign dev root CA',
    ]);

    await expect(loadSigningIdentity({ p12File: files.p12, password: 'wrong' })).rejects.toThrow();
  });
});
