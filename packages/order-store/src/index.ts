// The orders' read model in Redis: written only by the document-storage activities the order workflows call,
// read by the gateway, so status reads keep working (a few seconds stale at most) while workflow workers are down.
export {
  OrderStore,
  signingUrlOf,
  taskDefinition,
  type TaskDefinition,
  type OrderRecord,
  type OrderTaskRecord,
  type TaskDocumentRecord,
} from './store.js';
export { claimAndRecord, newOrderRecord, signCodeOf, type UploadClaims } from './creation.js';
