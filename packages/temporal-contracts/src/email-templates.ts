import type { SigningOrder } from '@esign/contracts';
import type { EmailTemplate, NotificationLanguage } from './notifications.js';

/**
 * The template of one e-mail notification: the `notificationTemplateParams` entry with the notification's id, else
 * the entry without an id (the order's default branding), else none; the language is the task's (for order and
 * packaging notifications the first task's). Other notification types have no template.
 */
export function emailTemplateFor(
  order: SigningOrder,
  notification: { id: string; type: string },
  language: NotificationLanguage,
): EmailTemplate | undefined {
  if (notification.type !== 'EMAIL') return undefined;
  const list = order.notificationTemplateParams ?? [];
  const params = list.find((p) => p.id === notification.id) ?? list.find((p) => p.id === undefined);
  const { id: _id, ...branding } = params ?? {};
  return { language, ...branding };
}

/** `notification` with its template, when it has one. */
export function withTemplate<N extends { id: string; type: string }>(
  order: SigningOrder,
  notification: N,
  language: NotificationLanguage,
): N & { template?: EmailTemplate } {
  const template = emailTemplateFor(order, notification, language);
  return template ? { ...notification, template } : notification;
}

/** The language of notifications that belong to no single task. */
export const orderLanguage = (order: SigningOrder): NotificationLanguage => order.tasks[0]?.language ?? 'en';
