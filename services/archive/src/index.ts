export { createArchiveActivities } from './activities.js';
