// Where the stack's seal key lives. `pkcs12`: a key file of the test PKI, packed with its certificate into
// <dataDir>/signing/seal.p12 (the dev stack). `softhsm`: a SoftHSM2 token in <dataDir>/softhsm/, the key made inside
// it by pkcs11-tool (never extractable) and its certificate stored beside it, used through PKCS#11 (the tests).
import { execFile } from 'node:child_process';
import { createPublicKey, randomBytes, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { keyFile, sealPublicKeyFile, type PkiFiles } from './pki.js';

export type SealKeyMode = 'pkcs12' | 'softhsm';

const run = promisify(execFile);
const TOKEN_LABEL = 'esign-seal';
const KEY_LABEL = 'seal';
const MODULES = ['/usr/lib/softhsm/libsofthsm2.so', '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so'];

/** SoftHSM2's PKCS#11 module (Debian's softhsm2 package; SOFTHSM2_MODULE overrides). */
export function softhsmModule(): string {
  const found = [process.env.SOFTHSM2_MODULE, ...MODULES].find((p): p is string => !!p && existsSync(p));
  if (!found) throw new Error("SoftHSM2 not found: run 'node scripts/bootstrap.mjs' (apt package softhsm2)");
  return found;
}

interface Token {
  conf: string;
  pin: string;
  module: string;
}

/** The token's files, made with softhsm2-util on first use (a new SO PIN and user PIN, kept mode 0600). */
function token(dataDir: string): Token & { fresh: boolean } {
  const dir = join(dataDir, 'softhsm');
  const conf = join(dir, 'softhsm2.conf');
  const pinFile = join(dir, 'pin');
  const module = softhsmModule();
  if (existsSync(pinFile)) return { conf, pin: readFileSync(pinFile, 'utf8'), module, fresh: false };
  mkdirSync(join(dir, 'tokens'), { recursive: true, mode: 0o700 });
  const lines = [`directories.tokendir = ${join(dir, 'tokens')}`, 'objectstore.backend = file', 'log.level = ERROR'];
  writeFileSync(conf, `${lines.join('\n')}\n`);
  return { conf, pin: randomBytes(12).toString('hex'), module, fresh: true };
}

const pkcs11Tool = (t: Token, args: string[]) =>
  run('pkcs11-tool', ['--module', t.module, '--token-label', TOKEN_LABEL, ...args], {
    env: { ...process.env, SOFTHSM2_CONF: t.conf },
  });

/**
 * Before the PKI issues the seal certificate. `softhsm`: a token with an RSA key made inside it, whose public key
 * goes to the PKI (`public-only`). `pkcs12`: nothing, the PKI made the key file.
 */
export async function prepareSealKey(mode: SealKeyMode, dataDir: string, pkiDir: string): Promise<void> {
  if (mode === 'pkcs12') return;
  const t = token(dataDir);
  if (!t.fresh) return;
  const env = { ...process.env, SOFTHSM2_CONF: t.conf };
  const soPin = randomBytes(12).toString('hex');
  await run('softhsm2-util', ['--init-token', '--free', '--label', TOKEN_LABEL, '--so-pin', soPin, '--pin', t.pin], {
    env,
  });
  const login = ['--login', '--pin', t.pin];
  await pkcs11Tool(t, [...login, '--keypairgen', '--key-type', 'rsa:2048', '--label', KEY_LABEL, '--id', '01']);
  const der = join(dataDir, 'softhsm', 'seal.pub.der');
  await pkcs11Tool(t, ['--read-object', '--type', 'pubkey', '--label', KEY_LABEL, '--output-file', der]);
  const pem = createPublicKey({ key: readFileSync(der), format: 'der', type: 'spki' }).export({
    type: 'spki',
    format: 'pem',
  });
  writeFileSync(sealPublicKeyFile(pkiDir), pem);
  // Written last: a token whose setup failed halfway is made anew at the next start.
  writeFileSync(join(dataDir, 'softhsm', 'pin'), t.pin, { mode: 0o600 });
}

/**
 * After the PKI issued the seal certificate: writes <dataDir>/signing/ (the certificate, the root `ca.pem`, the CA
 * chain `chain.pem`, and for `pkcs12` the P12 with its password) and, for `softhsm`, stores the certificate in the token under the
 * key's label. Returns the services' environment for the key.
 */
export async function installSealCertificate(
  mode: SealKeyMode,
  dataDir: string,
  pki: PkiFiles,
): Promise<Record<string, string>> {
  const dir = join(dataDir, 'signing');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const sealPem = pki.certPem('seal');
  writeFileSync(join(dir, 'seal.pem'), sealPem);
  // ca.pem: the trust anchor validators need; chain.pem: the CA certificates every signature carries.
  writeFileSync(join(dir, 'ca.pem'), pki.certPem('root'));
  writeFileSync(join(dir, 'chain.pem'), pki.certPem('interm') + pki.certPem('root'));
  if (mode === 'pkcs12') {
    const password = randomBytes(18).toString('base64url');
    // The password reaches openssl by environment, not on its command line.
    await run(
      'openssl',
      ['pkcs12', '-export', '-inkey', keyFile(pki.dir, 'seal'), '-in', join(dir, 'seal.pem'),
        '-certfile', join(dir, 'chain.pem'), '-out', join(dir, 'seal.p12'), '-passout', 'env:ESIGN_P12_PASSWORD'],
      { env: { ...process.env, ESIGN_P12_PASSWORD: password } },
    ); // prettier-ignore
    writeFileSync(join(dir, 'seal.p12.password'), password, { mode: 0o600 });
    return {};
  }
  const t = token(dataDir);
  const der = join(dataDir, 'softhsm', 'seal.cert.der');
  writeFileSync(der, new X509Certificate(sealPem).raw);
  const login = ['--login', '--pin', t.pin];
  // The certificate changes with the PKI's port: replace it (a missing one is no error).
  await pkcs11Tool(t, [...login, '--delete-object', '--type', 'cert', '--label', KEY_LABEL]).catch(() => undefined);
  await pkcs11Tool(t, [...login, '--write-object', der, '--type', 'cert', '--label', KEY_LABEL, '--id', '01']);
  return {
    SOFTHSM2_CONF: t.conf,
    SIGNING_PKCS11_MODULE: t.module,
    SIGNING_PKCS11_TOKEN_LABEL: TOKEN_LABEL,
    SIGNING_PKCS11_KEY_LABEL: KEY_LABEL,
    SIGNING_PKCS11_PIN: t.pin,
    SIGNING_CA_FILE: join(dir, 'chain.pem'),
  };
}
