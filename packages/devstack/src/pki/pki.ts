// The test PKI's files below one folder: its spec (state.json), the CA, OCSP and TSA keys (made here on first use,
// mode 0600), the certomancer configuration (rewritten at every start, so a port change or a revocation takes
// effect) and the certificates certomancer issues from it (certs/<label>.cert.pem).
import { execFile } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { tool } from '../tools.js';
import { ARCH, certomancerConfig, keyLabels, type PkiSpec, type TsaSpec } from './spec.js';

export interface PkiOptions {
  /** How long the seal certificate is valid (default 3 years). */
  sealDays?: number;
  /** The TSAs (default one, `tsa`, valid 10 years). */
  tsas?: TsaSpec[];
  /** `public-only` when the seal key lives in a PKCS#11 token: its public key must be at `keys/seal.pub.pem`. */
  sealKey?: PkiSpec['sealKey'];
}

export interface PkiFiles {
  dir: string;
  configFile: string;
  /** A certificate certomancer issued, as PEM. */
  certPem(label: string): string;
}

const DEFAULT_TSAS: TsaSpec[] = [{ label: 'tsa', days: 10 * 365 }];
const run = promisify(execFile);

const stateFile = (dir: string) => join(dir, 'state.json');
export const keyFile = (dir: string, label: string) => join(dir, 'keys', `${label}.key.pem`);
export const sealPublicKeyFile = (dir: string) => join(dir, 'keys', 'seal.pub.pem');

/** The spec kept in `dir`, made (with its keys) on first use. Options only count when the PKI is made. */
export function pkiSpec(dir: string, opts: PkiOptions = {}): PkiSpec {
  if (existsSync(stateFile(dir))) return JSON.parse(readFileSync(stateFile(dir), 'utf8')) as PkiSpec;
  mkdirSync(join(dir, 'keys'), { recursive: true, mode: 0o700 });
  const spec: PkiSpec = {
    id: randomBytes(3).toString('hex'),
    validFrom: new Date(Date.now() - 3600_000).toISOString(),
    sealDays: opts.sealDays ?? 3 * 365,
    tsas: opts.tsas ?? DEFAULT_TSAS,
    revoked: {},
    sealKey: opts.sealKey ?? 'file',
  };
  const labels = [...keyLabels(spec), ...(spec.sealKey === 'file' ? ['seal'] : [])];
  for (const label of labels) {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeFileSync(keyFile(dir, label), privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  }
  writeFileSync(stateFile(dir), JSON.stringify(spec, null, 2));
  return spec;
}

/** Marks a certificate revoked from `since` on; the next certomancer start serves it in its CRL and OCSP answers. */
export function revokeInSpec(dir: string, label: string, since = new Date()): void {
  const spec = pkiSpec(dir);
  spec.revoked[label] = since.toISOString();
  writeFileSync(stateFile(dir), JSON.stringify(spec, null, 2));
}

/**
 * Writes the certomancer configuration for URLs under `urlPrefix` and has certomancer issue every certificate into
 * `certs/` (deterministic: the same keys, dates and URLs give the same certificates at every start).
 */
export async function issuePki(dir: string, urlPrefix: string): Promise<PkiFiles> {
  const spec = pkiSpec(dir);
  if (spec.sealKey === 'public-only' && !existsSync(sealPublicKeyFile(dir))) {
    throw new Error(`the seal's public key is missing at ${sealPublicKeyFile(dir)}`);
  }
  const configFile = join(dir, 'certomancer.yml');
  writeFileSync(configFile, JSON.stringify(certomancerConfig(spec, urlPrefix), null, 2));
  const certs = join(dir, 'certs');
  mkdirSync(certs, { recursive: true });
  await run(tool('certomancer'), ['--config', configFile, 'mass-summon', '--flat', '--no-pfx', ARCH, certs]);
  return { dir, configFile, certPem: (label) => readFileSync(join(certs, `${label}.cert.pem`), 'utf8') };
}
