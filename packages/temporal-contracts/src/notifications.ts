// Notifications (contract §5): what the workflows plan, what the notification worker sends, and what it answers.
// Plain data only.
import type { LANGUAGES } from '@esign/contracts';

export type NotificationType = 'EMAIL' | 'SMS' | 'URL';
/** Task states that trigger a task notification; STARTED = the signer first opened the task. */
export type TaskTrigger = 'CREATED' | 'STARTED' | 'COMPLETED' | 'REJECTED' | 'EXPIRED' | 'FORWARDED';
export type PackagingTrigger = 'CREATED' | 'COMPLETED';

/** A notification as the merchant defined it; `header` and `message` may hold placeholders. */
export interface NotificationSpec {
  id: string;
  type: NotificationType;
  recipient: string;
  sender?: string;
  header?: string;
  message?: string;
  /** E-mail: the template's branding and language, fixed at creation (absent before: English, no branding). */
  template?: EmailTemplate;
}

/** A language of the contract (§6): the e-mail template's own words are in it. */
export type NotificationLanguage = (typeof LANGUAGES)[number];

/** The order's `notificationTemplateParams` entry for one e-mail notification, and the language of its task. */
export interface EmailTemplate {
  language: NotificationLanguage;
  logoUrl?: string;
  footer?: string;
  button?: string;
  linkText?: string;
}

/** A task notification with its schedule (delays in milliseconds; 0 = at once). */
export interface TaskNotificationPlan extends NotificationSpec {
  schedule: Array<{ triggerStatus: TaskTrigger; delayMs: number }>;
}

/** How URL notifications are retried, fixed per order when it is created (config, so tests run in seconds). */
export interface NotifySettings {
  urlRetryIntervalMs: number;
  urlRetryWindowMs: number;
}

/** Values of `${orderId} ${clientRef} ${taskUrl} ${signCode} ${signCodeUrl}` (empty where they do not apply). */
export interface PlaceholderValues {
  orderId: string;
  clientRef: string;
  taskUrl: string;
  signCode: string;
  signCodeUrl: string;
}

/**
 * The placeholder values a workflow carries: the signer's links (`taskUrl`, `signCode`, `signCodeUrl`) are bearer
 * links, so the notification worker reads them from the order when it sends, and no workflow or activity payload
 * holds them. (Deliveries begun before this carry them; the worker reads them anew all the same.)
 */
export type CarriedPlaceholders = Pick<PlaceholderValues, 'orderId' | 'clientRef'> &
  Partial<Pick<PlaceholderValues, 'taskUrl' | 'signCode' | 'signCodeUrl'>>;

/** What a notification is about: a URL notification's query parameters (`requestId` = order id). */
export interface NotificationAbout {
  requestId: string;
  taskId?: string;
  packagingTaskId?: string;
}

/** One delivery of one notification for one trigger, as the notification worker receives it. */
export interface DeliverNotificationInput {
  /** Stable across activity retries and worker crashes: the idempotency key at the provider boundary. */
  deliveryId: string;
  merchantId: string;
  notification: NotificationSpec;
  about: NotificationAbout;
  /** Placeholder values (the signer's links read at send time); absent for packaging notifications, sent verbatim. */
  placeholders?: CarriedPlaceholders;
  /** An operator's redrive of a failed delivery: the original delivery id (URL callbacks say so in a header). */
  redriveOf?: string;
  /** The task's forward count the notification was meant for (`NotificationDeliveryInput.holder`). */
  holder?: number;
}

/**
 * An e-mail or SMS handed to its provider. `repeated`: an earlier attempt had sent it already and nothing was sent
 * again. UNCERTAIN: an earlier attempt died between claiming the delivery and hearing back from the provider; it
 * is not sent again (at most once), and the workflow records an ERROR event saying so.
 */
export type SendResult =
  { outcome: 'SENT'; at: string; repeated: boolean; providerId?: string } | { outcome: 'UNCERTAIN'; since: string };

/**
 * One attempt of a URL notification. Only HTTP 200 counts as DELIVERED. FAILED with `retryable: false` is a target
 * the SSRF rules refuse at send time (it resolved to a forbidden address): retrying cannot help.
 */
export type UrlCallResult =
  | { outcome: 'DELIVERED'; at: string; repeated: boolean }
  | { outcome: 'FAILED'; at: string; reason: string; retryable: boolean };

export interface CallUrlInput extends DeliverNotificationInput {
  /** 1 for the first attempt. */
  attempt: number;
}

/** Input of the `notificationDelivery` workflow: one notification, one trigger, from delay to recorded outcome. */
export interface NotificationDeliveryInput {
  merchantId: string;
  orderId: string;
  /** The task the notification is about (task notifications), read for placeholders and the trigger check. */
  taskId?: string;
  packagingTaskId?: string;
  notification: NotificationSpec;
  /** Task notifications: sent only if the task is still in this state after `delayMs`. */
  trigger?: { status: TaskTrigger; delayMs: number };
  /**
   * True for deliveries that ask their task (its `taskState` query, through the `taskState` activity) whether a
   * delayed one still applies. Absent in deliveries started before, which read the task's state from the read model.
   */
  asksTask?: boolean;
  /**
   * How often the task had been forwarded when the trigger fired (tasks that can be forwarded). An e-mail or SMS to
   * a signer is not sent once the task was forwarded since: the link it would carry is the new signer's.
   */
  holder?: number;
  /** false for packaging notifications (sent verbatim). */
  substitute: boolean;
  /** Tasks whose event lists record NOTIFICATION_SENT or ERROR (an order notification: every task). */
  eventTaskIds: string[];
  settings: NotifySettings;
  /**
   * Set when an operator sends a failed delivery again (`npm run ops -- redrive`): the original delivery id. The
   * redrive is a delivery of its own (its own workflow and delivery id) and its event names the original.
   */
  redriveOf?: string;
}

export type NotificationDeliveryOutcome =
  | { outcome: 'SENT' | 'DELIVERED'; attempts: number }
  | { outcome: 'SKIPPED'; reason: 'order-gone' | 'order-deleted' | 'left-trigger-status' | 'forwarded-since' }
  | { outcome: 'FAILED'; attempts: number; reason: string };

export interface NotificationContextInput {
  merchantId: string;
  orderId: string;
  taskId?: string;
}

/** What a notification needs from the read model; `exists: false` once the order (or task) is deleted. */
export type NotificationContext =
  | { exists: false }
  | {
      exists: true;
      /** The task's status (task notifications), and whether its signer has opened it. */
      task?: { status: string; started: boolean };
      placeholders: CarriedPlaceholders;
    };

/** Redis record of a sign code: the (merchant, order, task) it stands for. */
export interface SignCodeTarget {
  merchantId: string;
  orderId: string;
  taskId: string;
  /** A code the task had before it was forwarded: it opens nothing any more, and says so. */
  forwarded?: true;
}
