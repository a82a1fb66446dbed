// The test PKI of a stack: made in <dataDir>/pki on first start, the seal key prepared (key file or SoftHSM2 token),
// served by certomancer, and the seal certificate installed where the services look for it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startCertomancer, type PkiServer } from '../servers/certomancer.js';
import { pkiSpec, revokeInSpec, type PkiOptions } from './pki.js';
import { installSealCertificate, prepareSealKey, type SealKeyMode } from './seal-key.js';

export interface StackPki {
  /** The trust anchor validators need (the root CA), as PEM and as a file. */
  rootPem: string;
  rootFile: string;
  /** The RFC 3161 endpoint of a TSA of the PKI (default `tsa`, the services' SIGNING_TSA_URL). */
  tsaUrl(label?: string): string;
  /**
   * Revokes a certificate of the PKI (`seal`, `interm`, a TSA's label) from now on and restarts certomancer on the
   * same port, so its CRLs and OCSP answers say so from then on.
   */
  revoke(label: string): Promise<void>;
  /** Restarts certomancer on the same port (after it was stopped, say). */
  restart(): Promise<void>;
}

export interface PkiSetup {
  /** Starts (or restarts) certomancer for the PKI. */
  start(): Promise<PkiServer>;
  /** After the first start: the services' environment for the TSA and the seal key. */
  install(server: PkiServer): Promise<Record<string, string>>;
  pki(server: PkiServer, restart: () => Promise<unknown>): StackPki;
}

export async function setUpPki(o: {
  dataDir: string;
  logDir: string;
  port: number;
  sealKey: SealKeyMode;
  options?: PkiOptions;
}): Promise<PkiSetup> {
  const pkiDir = join(o.dataDir, 'pki');
  pkiSpec(pkiDir, { ...o.options, sealKey: o.sealKey === 'softhsm' ? 'public-only' : 'file' });
  await prepareSealKey(o.sealKey, o.dataDir, pkiDir);
  const rootFile = join(pkiDir, 'certs', 'root.cert.pem');
  return {
    start: () => startCertomancer({ pkiDir, logDir: o.logDir, port: o.port }),
    async install(server) {
      const keyEnv = await installSealCertificate(o.sealKey, o.dataDir, server.files);
      return { SIGNING_TSA_URL: server.tsaUrl(), ...keyEnv };
    },
    pki: (server, restart) => ({
      rootPem: readFileSync(rootFile, 'utf8'),
      rootFile,
      tsaUrl: (label) => server.tsaUrl(label),
      async revoke(label) {
        revokeInSpec(pkiDir, label);
        await restart();
      },
      async restart() {
        await restart();
      },
    }),
  };
}
