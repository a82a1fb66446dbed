// Why a seal could not be made. Both name what failed, so the caller can retry (a service down) or refuse (a
// revoked certificate), and tell operators which service it was.

/** The external services a seal at B-T and above depends on. */
export type SealService = 'TSA' | 'OCSP' | 'CRL';

/**
 * A TSA, OCSP responder or CRL distribution point did not answer usefully (unreachable, an HTTP error, a malformed
 * or unsuccessful answer). Sealing produces nothing rather than a weaker signature: retrying later can succeed.
 */
export class SealDependencyError extends Error {
  constructor(
    readonly service: SealService,
    readonly url: string,
    detail: string,
  ) {
    super(`${service} at ${url}: ${detail}`);
    this.name = 'SealDependencyError';
  }
}

/** A certificate the seal relies on (the seal's own, a CA's, a TSA's) is revoked: no retry helps. */
export class CertificateRevokedError extends Error {
  constructor(
    readonly subject: string,
    readonly source: 'OCSP' | 'CRL',
  ) {
    super(`the certificate "${subject}" is revoked (${source})`);
    this.name = 'CertificateRevokedError';
  }
}
