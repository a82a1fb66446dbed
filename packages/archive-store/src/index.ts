// The long-term archive (contract §8): write-once copies per merchant that outlive their order. Bytes in the archive
// bucket, records in Redis. Shared by the archive service (archiving) and the gateway (download, delete).
export { ArchiveStore, ArchiveFailure, type ArchiveFailureReason, type ArchiveRequest } from './store.js';
export type { ArchiveStoreDeps, ArchivedDocument } from './store.js';
export { archiveIdKey, archiveIdOf } from './archive-id.js';
