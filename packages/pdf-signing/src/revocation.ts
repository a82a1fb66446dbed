// The revocation data of B-LT and B-LTA seals, fetched strictly. @libpdf/core asks a RevocationProvider for each
// certificate of a signature's and a TSA's chain (OCSP first, then the CRL) and swallows any failure into a warning,
// which would silently give a weaker result. This provider checks every answer (a successful, verifiable OCSP
// response; a CRL signed by the issuer), remembers what failed, and `assertComplete()` afterwards throws for a
// certificate that names revocation sources none of which answered, or that is revoked.
import { createHash } from 'node:crypto';
import type { RevocationProvider } from '@libpdf/core';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { CertificateRevokedError, SealDependencyError } from './errors.js';
import { crlUrls, ocspUrls, parseCertificate, subjectName } from './x509.js';

const TIMEOUT_MS = 10_000;
const key = (der: Uint8Array) => createHash('sha256').update(der).digest('hex');
const OCSP_GOOD = 0;
const OCSP_REVOKED = 1;

interface CertState {
  obtained: boolean;
  failures: SealDependencyError[];
  /** A CA-issued certificate that names neither an OCSP responder nor a CRL: no long-term level is possible. */
  sourceless: boolean;
}

export interface StrictRevocationOptions {
  /**
   * Which certificates must have revocation data (default: all of them). Archive renewal requires it of the
   * timestamps' chains only: the signer's was embedded when it signed, and its responder may be gone since.
   */
  required?: (der: Uint8Array) => boolean;
}

export class StrictRevocationProvider implements RevocationProvider {
  private readonly certs = new Map<string, CertState & { der: Uint8Array }>();
  private readonly issuers = new Map<string, Uint8Array>();
  // One fetch per CRL and seal: certificates of one issuer (a CA and a TSA under the root, say) share its CRL.
  private readonly crls = new Map<string, Promise<Uint8Array>>();
  private revoked: CertificateRevokedError | undefined;

  constructor(private readonly opts: StrictRevocationOptions = {}) {}

  async getOCSP(certDer: Uint8Array, issuerDer: Uint8Array): Promise<Uint8Array | null> {
    const state = this.track(certDer);
    this.issuers.set(key(certDer), issuerDer);
    const cert = parseCertificate(certDer);
    const issuer = parseCertificate(issuerDer);
    for (const url of ocspUrls(cert)) {
      try {
        const answer = await this.fetchOcsp(url, cert, issuer);
        state.obtained = true;
        return answer;
      } catch (err) {
        state.failures.push(asDependencyError('OCSP', url, err));
      }
    }
    return null;
  }

  async getCRL(certDer: Uint8Array): Promise<Uint8Array | null> {
    const state = this.track(certDer);
    const issuerDer = this.issuers.get(key(certDer));
    const cert = parseCertificate(certDer);
    state.sourceless = issuerDer !== undefined && ocspUrls(cert).length === 0 && crlUrls(cert).length === 0;
    for (const url of crlUrls(cert)) {
      try {
        let fetching = this.crls.get(url);
        if (!fetching) this.crls.set(url, (fetching = get(url, 'application/pkix-crl')));
        const der = await fetching;
        const crl = new pkijs.CertificateRevocationList({ schema: asn1js.fromBER(toBuffer(der)).result });
        if (issuerDer && !(await crl.verify({ issuerCertificate: parseCertificate(issuerDer) }))) {
          throw new Error("the CRL's signature does not verify with the certificate's issuer");
        }
        if (crl.isCertificateRevoked(cert)) this.markRevoked(certDer, 'CRL');
        state.obtained = true;
        return der;
      } catch (err) {
        state.failures.push(asDependencyError('CRL', url, err));
      }
    }
    return null;
  }

  /** Throws the reason the gathered data is incomplete (a revoked certificate first), if there is one. */
  assertComplete(): void {
    if (this.revoked) throw this.revoked;
    for (const state of this.certs.values()) {
      const required = this.opts.required?.(state.der) ?? true;
      if (!state.obtained && state.failures.length > 0 && required) throw state.failures[0]!;
      if (state.sourceless && required) {
        throw new Error(`the certificate "${subjectName(state.der)}" names no OCSP responder or CRL: no B-LT or B-LTA`);
      }
    }
  }

  private track(der: Uint8Array): CertState & { der: Uint8Array } {
    let state = this.certs.get(key(der));
    if (!state) this.certs.set(key(der), (state = { obtained: false, failures: [], sourceless: false, der }));
    return state;
  }

  private markRevoked(der: Uint8Array, source: 'OCSP' | 'CRL'): void {
    const required = this.opts.required?.(der) ?? true;
    if (required) this.revoked ??= new CertificateRevokedError(subjectName(der), source);
  }

  private async fetchOcsp(url: string, cert: pkijs.Certificate, issuer: pkijs.Certificate): Promise<Uint8Array> {
    const request = new pkijs.OCSPRequest();
    await request.createForCertificate(cert, { hashAlgorithm: 'SHA-256', issuerCertificate: issuer });
    const der = await post(url, new Uint8Array(request.toSchema(true).toBER(false)));
    const response = new pkijs.OCSPResponse({ schema: asn1js.fromBER(toBuffer(der)).result });
    const status = response.responseStatus.valueBlock.valueDec;
    if (status !== 0 || !response.responseBytes) throw new Error(`the responder answered status ${status}`);
    const basic = new pkijs.BasicOCSPResponse({
      schema: asn1js.fromBER(response.responseBytes.response.valueBlock.valueHexView.slice().buffer).result,
    });
    if (!(await basic.verify({ trustedCerts: [issuer] }))) throw new Error("the response's signature does not verify");
    const { isForCertificate, status: certStatus } = await basic.getCertificateStatus(cert, issuer);
    if (!isForCertificate) throw new Error('the response is not about the certificate asked for');
    if (certStatus === OCSP_REVOKED) this.markRevoked(new Uint8Array(cert.toSchema().toBER(false)), 'OCSP');
    else if (certStatus !== OCSP_GOOD) throw new Error('the responder does not know the certificate');
    return der;
  }
}

function asDependencyError(service: 'OCSP' | 'CRL', url: string, err: unknown): SealDependencyError {
  return new SealDependencyError(service, url, err instanceof Error ? err.message : String(err));
}

const toBuffer = (bytes: Uint8Array): ArrayBuffer => new Uint8Array(bytes).buffer;

async function get(url: string, accept: string): Promise<Uint8Array> {
  return answer(await fetch(url, { headers: { accept }, signal: AbortSignal.timeout(TIMEOUT_MS) }));
}

async function post(url: string, body: Uint8Array): Promise<Uint8Array> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/ocsp-request', accept: 'application/ocsp-response' },
    body,
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  return answer(res);
}

async function answer(res: Response): Promise<Uint8Array> {
  const bytes = new Uint8Array(await res.arrayBuffer());
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  if (bytes.length === 0) throw new Error('an empty answer');
  return bytes;
}
