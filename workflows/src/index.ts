// The workflow bundle's entry: every workflow type the orchestrator worker hosts.
export { diagnosticRoundtrip } from './diagnostic-roundtrip.js';
export { uploadExpiry, uploadDiscarded } from './upload-expiry.js';
