export { createNotificationActivities, smtpCheck } from './activities.js';
