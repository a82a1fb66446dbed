// Builders of the corpus's requests: a valid order around the one hostile field, uploads, notifications.
import type { CorpusContext, CorpusRequest } from './types.js';

const json = (body: string | Buffer, headers: Record<string, string> = {}) => ({
  'content-type': 'application/json',
  ...headers,
  'content-length': String(Buffer.byteLength(body)),
});

/** A valid one-signer order over the context's upload; `task` and `order` fields override. */
export function validOrder(
  ctx: CorpusContext,
  task: Record<string, unknown> = {},
  order: Record<string, unknown> = {},
) {
  return {
    clientReference: 'hostile-input',
    tasks: [
      {
        id: 'signer1',
        documents: [{ id: 'doc1', action: 'SIGN', source: 'SESSION', documentRef: ctx.documentRef }],
        signatureMethods: [{ name: 'nbid-sign', type: 'AUTHENTICATION_BASED' }],
        ...task,
      },
    ],
    ...order,
  };
}

export const postOrder =
  (body: (ctx: CorpusContext) => string | Buffer, headers: Record<string, string> = {}) =>
  (ctx: CorpusContext): CorpusRequest => {
    const b = body(ctx);
    return { method: 'POST', path: `${ctx.basePath}/orders`, headers: json(b, headers), body: b };
  };

export const upload =
  (body: Buffer | string, contentType: string, headers: Record<string, string> = {}) =>
  (ctx: CorpusContext): CorpusRequest => ({
    method: 'POST',
    path: `${ctx.basePath}/documents`,
    headers: { 'content-type': contentType, 'content-length': String(Buffer.byteLength(body)), ...headers },
    body,
  });

/** An order whose task has these notifications. */
export const withNotifications = (...notifications: Array<Record<string, unknown>>) =>
  postOrder((ctx) => JSON.stringify(validOrder(ctx, { notifications })));

export const email = (n: Record<string, unknown>) => ({
  id: 'n1',
  type: 'EMAIL',
  recipient: 'signer@example.test',
  header: 'Please sign',
  message: 'Sign at ${taskUrl}',
  ...n,
});
export const sms = (n: Record<string, unknown>) => ({
  id: 'n1',
  type: 'SMS',
  recipient: '+4791234567',
  message: 'Sign',
  ...n,
});
export const urlTo = (recipient: string) => ({ id: 'n1', type: 'URL', recipient, message: 'hook' });

export const nested = (depth: number, open: string, close: string, leaf: string) =>
  open.repeat(depth) + leaf + close.repeat(depth);
