import { join } from 'node:path';
import { deathNotice, readyOrStopped, spawnManaged, type ManagedProcess } from '../process.js';
import { issuePki, type PkiFiles } from '../pki/pki.js';
import { ARCH } from '../pki/spec.js';
import { tool } from '../tools.js';
import { httpAnswers, waitFor } from '../wait.js';

export interface PkiServer {
  process: ManagedProcess;
  /** e.g. http://127.0.0.1:9720 */
  url: string;
  /** The RFC 3161 endpoint of a TSA of the PKI (default `tsa`). */
  tsaUrl(label?: string): string;
  files: PkiFiles;
}

/**
 * The test PKI served by `certomancer animate` on 127.0.0.1: OCSP, CRLs, certificates and the TSAs, issued from the
 * PKI in `pkiDir` (see pki.ts) with URLs on `port`. No web UI (it hands out private keys) and no fake-time header.
 */
export async function startCertomancer(opts: { pkiDir: string; logDir: string; port: number }): Promise<PkiServer> {
  const url = `http://127.0.0.1:${opts.port}`;
  const files = await issuePki(opts.pkiDir, url);
  const args = [
    '--config',
    files.configFile,
    'animate',
    '--port',
    String(opts.port),
    '--no-web-ui',
    '--no-time-override',
  ];
  const proc = spawnManaged('certomancer', tool('certomancer'), args, {
    logFile: join(opts.logDir, 'certomancer.log'),
  });
  await readyOrStopped(proc, () =>
    waitFor('certomancer', () => httpAnswers(`${url}/${ARCH}/crls/root/latest.crl`, 200), {
      aborted: deathNotice(proc),
    }),
  );
  return { process: proc, url, tsaUrl: (label = 'tsa') => `${url}/${ARCH}/tsa/${label}`, files };
}
