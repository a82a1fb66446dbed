export { createDocumentActivities, type DocumentActivityDeps } from './activities.js';
