// The workflow bundle's entry: every workflow type the orchestrator worker hosts.
export { diagnosticRoundtrip } from './diagnostic-roundtrip.js';
export { signingOrder, confirmCreation, cancelOrder, orderState } from './signing-order.js';
export { signingTask, signerAction, deleteTask } from './signing-task.js';
export { uploadExpiryBucket } from './upload-expiry-bucket.js';
export { notificationDelivery } from './notification-delivery.js';
export { oneTimeCode } from './one-time-code.js';
export { packagingTask } from './packaging-task.js';
export { archiveRenewal, renewArchiveNow, archiveRenewalState } from './archive-renewal.js';
