export { createNotificationActivities, smtpCheck, type NotificationActivityDeps } from './activities.js';
export { DELIVERY_TTL_SECONDS, DeliveryLedger, sha256Hex, type DeliveryState } from './delivery-state.js';
export { createMailTransport, messageIdFor } from './email.js';
export {
  counted,
  deliveryOutcome,
  notificationMetrics,
  type DeliveryOutcome,
  type NotificationMetrics,
  type NotificationType,
} from './metrics.js';
export { DEFAULT_SUBJECT, renderEmail, renderSubject, renderText, substitute, textToHtml } from './render.js';
export { createSmsClient, TWILIO_API_ORIGIN, type SmsClient } from './sms.js';
export { callbackUrl, merchantCallbackSecret, signCallback } from './url-call.js';
