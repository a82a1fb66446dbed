// Seal failures as Temporal activity failures, for the workers that seal (document-storage) and renew (archive).
import { CertificateRevokedError, SealDependencyError, type SealService } from './errors.js';
import { ERROR_TYPES } from '@esign/temporal-contracts';
import { ApplicationFailure } from '@temporalio/activity';

/** Counts a seal attempt that failed because a TSA, OCSP responder or CRL did not answer (a metric). */
export type OnDependencyFailure = (service: SealService) => void;

/**
 * Runs a seal and turns its failures into typed activity failures: an unreachable TSA, OCSP responder or CRL is
 * DEPENDENCY_UNAVAILABLE and retried (details: `{ service, url }`, for the order's event after the last attempt); a
 * revoked certificate is SEAL_CERTIFICATE_REVOKED and not retried. Anything else stays as it was.
 */
export async function typedSealFailures<T>(seal: () => Promise<T>, onDependency?: OnDependencyFailure): Promise<T> {
  try {
    return await seal();
  } catch (err) {
    if (err instanceof SealDependencyError) {
      onDependency?.(err.service);
      throw ApplicationFailure.create({
        type: ERROR_TYPES.DEPENDENCY_UNAVAILABLE,
        message: err.message,
        details: [{ service: err.service, url: err.url }],
      });
    }
    if (err instanceof CertificateRevokedError) {
      throw ApplicationFailure.create({
        type: ERROR_TYPES.SEAL_CERTIFICATE_REVOKED,
        message: err.message,
        nonRetryable: true,
      });
    }
    throw err;
  }
}
