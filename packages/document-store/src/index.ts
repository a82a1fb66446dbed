// Uploaded documents: bytes in S3, metadata and references in Redis, always written and removed in an order that
// never shows a client metadata without its object. Shared by the gateway (HTTP) and document-storage (activities).
export { DocumentStore, type UploadMeta, type ExpireOutcome, type ExpiringUpload } from './store.js';
export { UploadInspector, UploadRejection, type InspectedUpload, type UploadRejectionReason } from './inspector.js';
export { checkPdfTrailer } from './pdf-trailer.js';
export { receiveInspected, type ReceiveOptions } from './receive.js';
export { UPLOAD_CONTENT_TYPES, type UploadContentType } from './content-types.js';
