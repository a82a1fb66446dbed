// The orders' read model in Redis: written only by the document-storage activities the order workflows call, read by
// the gateway and the portal, so status reads keep working (a few seconds stale at most) while workflow workers are
// down. Beside it, the creation's reservations (a key family of their own, written only by the creation saga), which
// reads fall back to between a creation's 201 and the order's first activity (`OrderReader`).
export { OrderStore } from './store.js';
export {
  shownDocument,
  signingUrlOf,
  taskSpec,
  type FilledDocument,
  type ForwardRecord,
  type OrderRecord,
  type OrderTaskRecord,
  type TaskDocumentRecord,
} from './record.js';
export { newOrderRecord, signCodeOf, type DocumentsAt, type FilledForms } from './creation.js';
export { creationEvents, type FirstEvent } from './creation-events.js';
export { CreationReservations } from './reservations.js';
export { OrderReader } from './reader.js';
export { portalLinks } from './portal-links.js';
export { Artifacts, type ArtifactTarget } from './artifacts.js';
