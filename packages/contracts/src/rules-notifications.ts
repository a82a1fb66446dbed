import { isE164, isEmail, isEmailSender, isHttpUrl, isSmsSender } from './formats.js';
import { LIMITS } from './limits.js';
import { arrayAt, stringAt, type Path, type Report } from './loose.js';

// What recipient, sender and message must be depends on the notification type (contract §5).

const PHONE = "must be an E.164 phone number: '+', country code and number, no spaces (e.g. +4791234567)";

function checkNotification(notification: unknown, path: Path, report: Report): void {
  const type = stringAt(notification, 'type');
  const recipient = stringAt(notification, 'recipient');
  const sender = stringAt(notification, 'sender');
  const message = stringAt(notification, 'message');
  const at = (key: string): Path => [...path, key];
  if (type === 'EMAIL' || type === 'SMS') {
    if (message === undefined || message.trim() === '') report(at('message'), `is required for ${type} notifications`);
  }
  if (type === 'EMAIL') {
    if (recipient !== undefined && !isEmail(recipient)) report(at('recipient'), 'must be an e-mail address');
    if (sender !== undefined && !isEmailSender(sender)) {
      report(at('sender'), 'must be an e-mail address, optionally with a display name (Name <address>)');
    }
  } else if (type === 'SMS') {
    if (recipient !== undefined && !isE164(recipient)) report(at('recipient'), PHONE);
    if (sender !== undefined && !isSmsSender(sender)) {
      report(
        at('sender'),
        'must be an E.164 phone number or 1 to 11 letters and digits, at least one of them a letter',
      );
    }
    if (message !== undefined && message.length > LIMITS.smsMessage) {
      report(at('message'), `must be at most ${LIMITS.smsMessage} characters for SMS notifications`);
    }
  } else if (type === 'URL') {
    if (recipient !== undefined && !isHttpUrl(recipient)) {
      report(at('recipient'), `must be an absolute http or https URL of at most ${LIMITS.url} characters`);
    }
  }
}

export function checkNotifications(order: unknown, report: Report): void {
  const each = (list: unknown[], base: Path) => list.forEach((n, i) => checkNotification(n, [...base, i], report));
  each(arrayAt(order, 'notifications'), ['notifications']);
  arrayAt(order, 'tasks').forEach((task, t) => each(arrayAt(task, 'notifications'), ['tasks', t, 'notifications']));
  arrayAt(order, 'packagingTasks').forEach((pkg, p) => {
    each(arrayAt(pkg, 'notifications'), ['packagingTasks', p, 'notifications']);
  });
}
