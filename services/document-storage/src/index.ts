export { createDocumentActivities, type DocumentActivityDeps } from './activities.js';
export { createOrderActivities, type OrderActivityDeps } from './order-activities.js';
