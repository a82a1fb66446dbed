import { fileURLToPath } from 'node:url';
import type { SigningConfiguration } from '@esign/config';
import { Eta } from 'eta';
import type { Response } from 'express';
import { t, type Language, type MessageKey } from './i18n/index.js';

// Templates in services/signing-portal/views (bundled as <out>/views beside <out>/services): escaped by default
// (`<%= %>`); raw output (`<%~ %>`) is only ever the layout's body, which a template rendered.
const eta = new Eta({ views: fileURLToPath(new URL('../views', import.meta.url)), cache: true, autoEscape: true });

/** What every page needs: its language, the merchant's branding and the response's CSP nonce. */
export interface Frame {
  language: Language;
  branding: SigningConfiguration;
  nonce: string;
}

/** A link or button to the next step, shown on message pages (every page says what the signer can do next). */
export type NextStep =
  | { kind: 'link'; href: string; label: MessageKey }
  | { kind: 'form'; action: string; csrf: string; label: MessageKey; fields?: Record<string, string> };

/** The HTML of `view` with the frame, a translation function `t` and `data`. */
export function renderHtml(view: string, frame: Frame, data: object = {}): string {
  const translate = (key: MessageKey, values?: Record<string, string>) => t(frame.language, key, values);
  return eta.render(`./${view}`, { ...frame, t: translate, ...data });
}

/** Renders `view` (see renderHtml) and answers it with `status`. */
export function render(res: Response, status: number, view: string, frame: Frame, data: object = {}): void {
  res
    .status(status)
    .type('html')
    .send(renderHtml(view, frame, data));
}

/** A page that only says something (done, expired, refused, …) and offers the next steps. */
export function renderMessage(
  res: Response,
  status: number,
  frame: Frame,
  message: { title: MessageKey; body: MessageKey; detail?: string; next?: NextStep[] },
): void {
  render(res, status, 'message', frame, { next: [], ...message });
}
