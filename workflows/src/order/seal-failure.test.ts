import { ERROR_TYPES } from '@esign/temporal-contracts';
import { ActivityFailure, ApplicationFailure, RetryState } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { sealFailureReason } from './seal-failure.js';

const activityFailure = (cause: Error) =>
  new ActivityFailure('failed', 'sealDocument', 'a1', RetryState.MAXIMUM_ATTEMPTS_REACHED, undefined, cause);

describe('sealFailureReason', () => {
  it('names the service that did not answer, with its URL', () => {
    const cause = ApplicationFailure.create({
      type: ERROR_TYPES.DEPENDENCY_UNAVAILABLE,
      message: 'OCSP at http://ocsp.example/: HTTP 503',
      details: [{ service: 'OCSP', url: 'http://ocsp.example/' }],
    });
    expect(sealFailureReason(activityFailure(cause))).toBe(
      'SEAL_FAILED: the OCSP at http://ocsp.example/ did not answer; the document was not sealed',
    );
  });

  it('says which certificate is revoked', () => {
    const cause = ApplicationFailure.create({
      type: ERROR_TYPES.SEAL_CERTIFICATE_REVOKED,
      message: 'the certificate "CN=seal" is revoked (OCSP)',
      nonRetryable: true,
    });
    expect(sealFailureReason(activityFailure(cause))).toBe('SEAL_FAILED: the certificate "CN=seal" is revoked (OCSP)');
  });

  it('leaves every other failure alone (older histories replay unchanged)', () => {
    const notFound = ApplicationFailure.create({ type: ERROR_TYPES.NOT_FOUND, message: 'gone' });
    expect(sealFailureReason(activityFailure(notFound))).toBeUndefined();
    const unnamed = ApplicationFailure.create({ type: ERROR_TYPES.DEPENDENCY_UNAVAILABLE, message: 'S3 down' });
    expect(sealFailureReason(activityFailure(unnamed))).toBeUndefined();
    expect(sealFailureReason(new Error('plain'))).toBeUndefined();
  });
});
