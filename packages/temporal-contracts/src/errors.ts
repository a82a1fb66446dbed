/** `ApplicationFailure` types. The gateway maps them to HTTP statuses; tests assert the type, never message text. */
export const ERROR_TYPES = {
  VALIDATION: 'ValidationError',
  NOT_FOUND: 'NotFound',
  CONFLICT: 'Conflict',
  /** A service answered not (yet): retried. Seals name the service (TSA, OCSP, CRL) in the failure's details. */
  DEPENDENCY_UNAVAILABLE: 'DependencyUnavailable',
  /** A certificate the seal relies on is revoked: no seal is made, and retrying cannot help. */
  SEAL_CERTIFICATE_REVOKED: 'SealCertificateRevoked',
  /** A provider refused a notification for good (SMTP 5xx, Twilio 4xx): retrying cannot help. */
  NOTIFICATION_REJECTED: 'NotificationRejected',
} as const;

export type ErrorType = (typeof ERROR_TYPES)[keyof typeof ERROR_TYPES];
