// The seal key in a real PKCS#11 token (SoftHSM2, made by the dev stack's token setup): the token signs, the key is
// never extractable, and the results are as good as with a PKCS#12 file.
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startTestPki, type TestPki } from '@esign/devstack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSigningIdentity } from './identity.js';
import { padesLevels } from './level.js';
import { sealPdf } from './seal.js';
import { PKI_START_MS, printCms, tempDir } from './test-fixtures.js';
import { textToPdf } from './text.js';
import { run } from './run.js';
import { verifyWithPdfsig, verifyWithPyhanko } from './verify.js';

let pki: TestPki;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  const tmp = await tempDir('pkcs11');
  cleanup = tmp.cleanup;
  pki = await startTestPki({ dataDir: join(tmp.dir, 'data'), sealKey: 'softhsm' });
  // SoftHSM2 finds its tokens through this variable, read when the module is initialised in this process.
  process.env.SOFTHSM2_CONF = pki.env.SOFTHSM2_CONF;
}, PKI_START_MS);
afterAll(async () => {
  await pki?.stop();
  await cleanup?.();
});

const ref = () => ({
  module: pki.env.SIGNING_PKCS11_MODULE!,
  tokenLabel: pki.env.SIGNING_PKCS11_TOKEN_LABEL!,
  keyLabel: pki.env.SIGNING_PKCS11_KEY_LABEL!,
  pin: pki.env.SIGNING_PKCS11_PIN!,
});

describe('a seal key in a PKCS#11 token (SoftHSM2)', { timeout: 60_000 }, () => {
  // First: once a session of this process is logged in, the token takes no PIN until the last one closes.
  it('fails at load with a wrong PIN or an unknown key label', async () => {
    await expect(loadSigningIdentity({ pkcs11: { ...ref(), pin: '0000' } })).rejects.toThrow(/CKR_PIN_INCORRECT/);
    await expect(loadSigningIdentity({ pkcs11: { ...ref(), keyLabel: 'nope' } })).rejects.toThrow(
      /no private key labelled "nope"/,
    );
    await expect(loadSigningIdentity({ pkcs11: { ...ref(), tokenLabel: 'other' } })).rejects.toThrow(
      /no token labelled "other"/,
    );
  });

  it('seals at B-LTA with the key in the token; pyHanko accepts the result with revocation checking', async () => {
    const identity = await loadSigningIdentity({ pkcs11: ref(), caFile: pki.env.SIGNING_CA_FILE! });
    expect(identity.key.kind).toBe('pkcs11');
    expect(identity.subject).toMatch(/CN=esign dev seal$/);
    const pdf = await textToPdf('Avtale', { title: 'Avtale' });
    const signer = { name: 'Kari Nordmann', method: 'nbid-sign', time: new Date() };
    const sealed = await sealPdf({ pdf, identity, signer, evidence: {}, tsaUrl: pki.tsaUrl() });
    expect(await padesLevels(sealed)).toEqual(['B-LTA']);
    const pyhanko = await verifyWithPyhanko(sealed, { caPems: [pki.rootPem] });
    expect(pyhanko.valid, pyhanko.raw).toBe(true);
  });

  it('signs with an ECDSA P-256 key in the token too (r‖s from the token, DER in the CMS)', async () => {
    // An EC key made in the same token; its certificate issued by the test PKI's issuing CA with openssl.
    const dir = join(pki.rootFile, '..', '..', '..');
    const tool = (args: string[]) =>
      run('pkcs11-tool', ['--module', ref().module, '--token-label', ref().tokenLabel, ...args]);
    const login = ['--login', '--pin', ref().pin];
    const files = { pub: join(dir, 'ec.pub.der'), cert: join(dir, 'ec.pem'), der: join(dir, 'ec.der') };
    await tool([...login, '--keypairgen', '--key-type', 'EC:prime256v1', '--label', 'seal-ec', '--id', '02']);
    await tool(['--read-object', '--type', 'pubkey', '--label', 'seal-ec', '--output-file', files.pub]);
    const ext = join(dir, 'ec.ext');
    await writeFile(
      ext,
      [
        'basicConstraints = critical, CA:FALSE',
        'keyUsage = critical, digitalSignature, nonRepudiation',
        'extendedKeyUsage = emailProtection',
        'authorityKeyIdentifier = keyid',
      ].join('\n'),
    );
    const issued = await run('openssl', [
      'x509', '-new', '-subj', '/CN=esign EC seal', '-force_pubkey', files.pub, '-keyform', 'DER', '-days', '30',
      '-CA', join(dir, 'pki', 'certs', 'interm.cert.pem'), '-CAkey', join(dir, 'pki', 'keys', 'interm.key.pem'),
      '-extfile', ext, '-out', files.cert,
    ]); // prettier-ignore
    expect(issued.code, issued.stderr).toBe(0);
    await run('openssl', ['x509', '-in', files.cert, '-outform', 'DER', '-out', files.der]);
    await tool([...login, '--write-object', files.der, '--type', 'cert', '--label', 'seal-ec', '--id', '02']);

    // Loading checks a probe signature against the certificate: a wrong r‖s to DER conversion fails here.
    const identity = await loadSigningIdentity({
      pkcs11: { ...ref(), keyLabel: 'seal-ec' },
      caFile: pki.env.SIGNING_CA_FILE!,
    });
    const pdf = await textToPdf('Avtale', { title: 'Avtale' });
    const signer = { name: 'Kari Nordmann', method: 'nbid-sign', time: new Date() };
    const sealed = await sealPdf({ pdf, identity, signer, evidence: {}, level: 'B-B' });
    const { signatures, raw } = await verifyWithPdfsig(sealed, { caPems: [pki.rootPem] });
    // pdfsig checks the ECDSA signature; this certificate's trust (made by openssl, no revocation source) is
    // pyHanko's to judge, without revocation checking.
    expect(signatures[0], raw).toMatchObject({ valid: true, signerName: 'esign EC seal' });
    const pyhanko = await verifyWithPyhanko(sealed, { caPems: [pki.rootPem] }, { noRevocationCheck: true });
    expect(pyhanko.valid, pyhanko.raw).toBe(true);
    const [cms] = await printCms(sealed);
    expect(cms).toMatch(/ecdsa-with-SHA256/);
  });

  it('made the key inside the token, sensitive and never extractable', async () => {
    const { stdout } = await promisify(execFile)(
      'pkcs11-tool',
      ['--module', ref().module, '--token-label', ref().tokenLabel, '--login', '--pin', ref().pin, '--list-objects'],
      { env: { ...process.env } },
    );
    const key = /Private Key Object[\s\S]*?Access:\s*([^\n]*)/.exec(stdout)?.[1];
    expect(key).toMatch(/sensitive, always sensitive, never extractable, local/);
  });
});
