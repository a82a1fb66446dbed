/** Workflow type names, so clients start workflows by name without importing workflow code. */
export const WORKFLOW_TYPES = {
  DIAGNOSTIC_ROUNDTRIP: 'diagnosticRoundtrip',
  UPLOAD_EXPIRY_BUCKET: 'uploadExpiryBucket',
  SIGNING_ORDER: 'signingOrder',
  SIGNING_TASK: 'signingTask',
  NOTIFICATION_DELIVERY: 'notificationDelivery',
  ONE_TIME_CODE: 'oneTimeCode',
  PACKAGING_TASK: 'packagingTask',
  ARCHIVE_RENEWAL: 'archiveRenewal',
} as const;
