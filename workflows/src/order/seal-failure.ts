import { ERROR_TYPES } from '@esign/temporal-contracts';
import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';

/**
 * Why sealing failed for good, for the ERROR event operators and merchants see: the service that did not answer
 * through every retry (a TSA, OCSP responder or CRL, named with its URL), or the revoked certificate. Undefined for
 * any other failure (those keep their behaviour: the failure goes back to the signer's action).
 */
export function sealFailureReason(err: unknown): string | undefined {
  const cause = err instanceof ActivityFailure ? err.cause : undefined;
  if (!(cause instanceof ApplicationFailure)) return undefined;
  if (cause.type === ERROR_TYPES.DEPENDENCY_UNAVAILABLE) {
    const [detail] = (cause.details ?? []) as [{ service?: string; url?: string }?];
    if (!detail?.service) return undefined;
    return `SEAL_FAILED: the ${detail.service} at ${detail.url ?? '?'} did not answer; the document was not sealed`;
  }
  if (cause.type === ERROR_TYPES.SEAL_CERTIFICATE_REVOKED) return `SEAL_FAILED: ${cause.message}`;
  return undefined;
}
