import { escapeHtml } from '@esign/service-runtime';
import type { EmailTemplate } from '@esign/temporal-contracts';
import mjml2html from 'mjml';
import { EMAIL_TEXTS } from './email-texts.js';

// The e-mail layout, written in MJML (mjml.io) so that the HTML renders alike in Outlook, Gmail, Apple Mail and the
// rest: tables, inline styles and a mobile breakpoint come from MJML, not from hand-built markup. MJML compiles only
// the layout, once per variant (with or without logo, button, footer) and process; what a mail says goes into the
// compiled HTML as escaped values at marked places, so no merchant or signer text ever reaches the compiler.

const SLOT = (name: string) => `%%esign-${name}%%`;
const SLOTS = /%%esign-([a-z-]+)%%/g;

interface Variant {
  logo: boolean;
  button: boolean;
  footer: boolean;
}

function layout(v: Variant): string {
  const logo = v.logo
    ? `<mj-section padding="24px 0 8px"><mj-column>
        <mj-image src="${SLOT('logo-url')}" alt="" width="160px" align="left" padding="0 24px" />
      </mj-column></mj-section>`
    : '';
  const button = v.button
    ? `<mj-button href="${SLOT('task-url')}" align="left" background-color="#1d4ed8" color="#ffffff"
          font-size="16px" font-weight="bold" inner-padding="12px 24px" border-radius="4px">${SLOT('button')}</mj-button>
        <mj-text font-size="13px" color="#4b5563">${SLOT('link-text')}<br />
          <a href="${SLOT('task-url')}" style="color:#1d4ed8;word-break:break-all">${SLOT('task-url')}</a></mj-text>`
    : '';
  const footer = v.footer ? `<mj-text font-size="12px" color="#4b5563">${SLOT('footer')}</mj-text>` : '';
  return `<mjml lang="${SLOT('lang')}">
  <mj-head>
    <mj-title>${SLOT('subject')}</mj-title>
    <mj-attributes>
      <mj-all font-family="Helvetica, Arial, sans-serif" />
      <mj-text font-size="15px" line-height="22px" color="#111827" />
    </mj-attributes>
  </mj-head>
  <mj-body background-color="#f3f4f6" width="600px">
    ${logo}
    <mj-section background-color="#ffffff" padding="16px 0">
      <mj-column>
        <mj-text>${SLOT('message')}</mj-text>
        ${button}
      </mj-column>
    </mj-section>
    <mj-section padding="8px 0 24px">
      <mj-column>
        ${footer}
        <mj-text font-size="12px" color="#4b5563">${SLOT('notice')}</mj-text>
      </mj-column>
    </mj-section>
  </mj-body>
</mjml>`;
}

const compiled = new Map<string, Promise<string>>();

/** The compiled layout of a variant, compiled on first use and kept for the process's life. */
function compiledLayout(v: Variant): Promise<string> {
  const key = `${+v.logo}${+v.button}${+v.footer}`;
  let html = compiled.get(key);
  if (!html) {
    html = Promise.resolve(mjml2html(layout(v), { validationLevel: 'strict' })).then((out) => {
      if (out.errors.length) throw new Error(`the e-mail layout is not valid MJML: ${out.errors[0]!.formattedMessage}`);
      return out.html;
    });
    compiled.set(key, html);
    html.catch(() => compiled.delete(key));
  }
  return html;
}

export interface TemplateContent {
  subject: string;
  /** The message as HTML (escaped, links made): see `textToHtml`. */
  messageHtml: string;
  /** The signer's task address: the button and the written-out link; none for mails about no task. */
  taskUrl?: string;
  template?: EmailTemplate;
}

/** The mail's HTML part: the layout of its variant with every value escaped into its place. */
export async function renderTemplate(content: TemplateContent): Promise<string> {
  const template = content.template ?? { language: 'en' as const };
  const texts = EMAIL_TEXTS[template.language] ?? EMAIL_TEXTS.en;
  const variant = { logo: !!template.logoUrl, button: !!content.taskUrl, footer: !!template.footer };
  const values: Record<string, string> = {
    lang: escapeHtml(template.language),
    subject: escapeHtml(content.subject),
    message: content.messageHtml,
    'logo-url': escapeHtml(template.logoUrl ?? ''),
    'task-url': escapeHtml(content.taskUrl ?? ''),
    button: escapeHtml(template.button ?? texts.button),
    'link-text': escapeHtml(template.linkText ?? texts.linkText),
    footer: escapeHtml(template.footer ?? '').replace(/\r\n|\r|\n/g, '<br>'),
    notice: escapeHtml(texts.notice),
  };
  // One pass: a value that happens to contain a slot's mark is not filled in again.
  return (await compiledLayout(variant)).replace(SLOTS, (mark, name: string) => values[name] ?? mark);
}

/** The mail's text part: the message, the task's address with its link text, the footer and the notice. */
export function renderTemplateText(content: { text: string; taskUrl?: string; template?: EmailTemplate }): string {
  const template = content.template ?? { language: 'en' as const };
  const texts = EMAIL_TEXTS[template.language] ?? EMAIL_TEXTS.en;
  return [
    content.text,
    ...(content.taskUrl ? [`${template.linkText ?? texts.linkText}\n${content.taskUrl}`] : []),
    ...(template.footer ? [template.footer] : []),
    texts.notice,
  ]
    .filter((part) => part !== '')
    .join('\n\n');
}
