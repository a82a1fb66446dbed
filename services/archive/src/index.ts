export { createArchiveActivities, type ArchiveActivityDeps } from './activities.js';
