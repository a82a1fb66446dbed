import { escapeHtml } from '@esign/service-runtime';
// Turning a merchant's notification text into what is sent: placeholders filled in, and for e-mail a subject that
// cannot inject headers and an HTML part in which nothing the merchant or a placeholder value wrote is markup.
import type { NotificationSpec, PlaceholderValues } from '@esign/temporal-contracts';
import { renderTemplate, renderTemplateText } from './email-template.js';

const PLACEHOLDERS: ReadonlySet<string> = new Set<keyof PlaceholderValues>([
  'orderId',
  'clientRef',
  'taskUrl',
  'signCode',
  'signCodeUrl',
]);

export const DEFAULT_SUBJECT = 'Message about your signing task';

/**
 * Replaces `${orderId} ${clientRef} ${taskUrl} ${signCode} ${signCodeUrl}`; any other `${…}` stays as written.
 * Without values (packaging notifications) the text is sent verbatim.
 */
export function substitute(text: string, values: PlaceholderValues | undefined): string {
  if (!values) return text;
  return text.replace(/\$\{([A-Za-z]+)\}/g, (match, name: string) =>
    PLACEHOLDERS.has(name) ? values[name as keyof PlaceholderValues] : match,
  );
}

/** The e-mail subject: the rendered header on one line (CR/LF would start a new header), or a default. */
export function renderSubject(header: string | undefined, values: PlaceholderValues | undefined): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed here
  const subject = substitute(header ?? '', values).replace(/[\r\n\u0000-\u001f\u007f]+/g, ' ');
  return subject.trim() || DEFAULT_SUBJECT;
}

/** The rendered message: the e-mail's text part, the SMS body and the URL notification's `message`. */
export function renderText(message: string | undefined, values: PlaceholderValues | undefined): string {
  return substitute(message ?? '', values);
}

// An http(s) URL up to whitespace or a character that cannot be part of one; trailing punctuation that usually
// ends the sentence rather than the URL is left outside the link.
const URL_PATTERN = /\bhttps?:\/\/[^\s<>"'`]+/g;
const TRAILING_PUNCTUATION = /[.,;:!?)\]}]+$/;

function escapeLines(text: string): string {
  return escapeHtml(text).replace(/\r\n|\r|\n/g, '<br>\n');
}

/**
 * The HTML body of a rendered message: everything escaped, line breaks as `<br>`, http(s) URLs as links. The input
 * is the text after substitution, so merchant text and placeholder values are escaped alike.
 */
export function textToHtml(text: string): string {
  let html = '';
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const url = match[0].replace(TRAILING_PUNCTUATION, '');
    html += escapeLines(text.slice(last, match.index));
    const href = escapeHtml(url);
    html += `<a href="${href}">${href}</a>`;
    last = match.index + url.length;
  }
  html += escapeLines(text.slice(last));
  return html;
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/**
 * The whole mail: subject, a plain-text part and an HTML part in the order's template (logo, button to the task,
 * link text, footer from `notificationTemplateParams`; fixed words in the task's language).
 */
export async function renderEmail(
  notification: Pick<NotificationSpec, 'header' | 'message' | 'template'>,
  values: PlaceholderValues | undefined,
): Promise<RenderedEmail> {
  const message = renderText(notification.message, values);
  const subject = renderSubject(notification.header, values);
  const taskUrl = values?.taskUrl || undefined;
  const { template } = notification;
  const html = await renderTemplate({ subject, messageHtml: textToHtml(message), taskUrl, template });
  return { subject, text: renderTemplateText({ text: message, taskUrl, template }), html };
}
