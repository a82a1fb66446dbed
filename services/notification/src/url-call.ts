// URL notifications (contract §5): one GET to the merchant's URL per attempt, signed so the receiver can
// authenticate it, through a connection that refuses SSRF targets at connect time.
import { createHmac } from 'node:crypto';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { CallUrlInput, UrlCallResult } from '@esign/temporal-contracts';
import type { WithLinks } from './signer-links.js';
import {
  checkNotificationUrlSyntax,
  guardedLookup,
  isForbiddenTargetError,
  type LookupFn,
  type UrlPolicy,
} from '@esign/url-guard';
import type { DeliveryLedger } from './delivery-state.js';
import { renderText } from './render.js';

/**
 * The HMAC key of one merchant's callbacks: lowercase hex of HMAC-SHA256(master secret, merchant id), used as an
 * ASCII string. Derived, so each merchant can be given its own key without storing one.
 */
export function merchantCallbackSecret(master: string, merchantId: string): string {
  return createHmac('sha256', master).update(merchantId).digest('hex');
}

/**
 * The `X-Sign-Signature` value of a callback: `v1=` + hex HMAC-SHA256(secret, "<timestamp>.<METHOD>.<full URL>"),
 * where the timestamp is `X-Sign-Timestamp` (unix seconds) and the URL is exactly the one requested, query included.
 */
export function signCallback(opts: { secret: string; timestamp: number; method: string; url: string }): string {
  const payload = `${opts.timestamp}.${opts.method.toUpperCase()}.${opts.url}`;
  return `v1=${createHmac('sha256', opts.secret).update(payload).digest('hex')}`;
}

/** The URL called: the recipient with `requestId`, `taskId`/`packagingTaskId` and `message` added to its query. */
export function callbackUrl(input: Pick<WithLinks<CallUrlInput>, 'notification' | 'about' | 'placeholders'>): URL {
  const url = new URL(input.notification.recipient);
  const { requestId, taskId, packagingTaskId } = input.about;
  url.searchParams.append('requestId', requestId);
  if (taskId !== undefined) url.searchParams.append('taskId', taskId);
  if (packagingTaskId !== undefined) url.searchParams.append('packagingTaskId', packagingTaskId);
  if (input.notification.message !== undefined) {
    url.searchParams.append('message', renderText(input.notification.message, input.placeholders));
  }
  return url;
}

export interface UrlCallDeps {
  ledger: DeliveryLedger;
  policy: UrlPolicy;
  timeoutMs: number;
  signingSecret: string;
  now: () => Date;
  /** Resolves host names before connecting (default: the system resolver). */
  lookup?: LookupFn;
}

type Outcome = { status: number } | { error: NodeJS.ErrnoException };

/** One GET without redirects; the body is not read. Resolves with the status, or the error that ended it. */
function get(url: URL, headers: Record<string, string>, deps: UrlCallDeps): Promise<Outcome> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const req = request(
      url,
      {
        method: 'GET',
        headers,
        // A fresh connection for every call, resolved and checked by the guard: never a pooled socket.
        agent: false,
        lookup: guardedLookup(deps.policy, deps.lookup),
        signal: AbortSignal.timeout(deps.timeoutMs),
      },
      (res: IncomingMessage) => {
        resolve({ status: res.statusCode ?? 0 });
        // Nothing of the answer is used: stop reading and close the connection.
        res.destroy();
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ error }));
    req.end();
  });
}

const ERROR_REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found (temporary DNS failure)',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  HPE_INVALID_CONSTANT: 'invalid HTTP response',
};

/** Why a request failed, in words that name neither the URL nor anything personal. */
function failureReason(error: NodeJS.ErrnoException, timeoutMs: number): string {
  if (error.name === 'AbortError' || error.name === 'TimeoutError') return `timeout after ${timeoutMs / 1000} s`;
  if (error.code && ERROR_REASONS[error.code]) return ERROR_REASONS[error.code]!;
  if (error.code?.startsWith('ERR_TLS') || /CERT|SSL/.test(error.code ?? '')) return `TLS error (${error.code})`;
  return `connection error${error.code ? ` (${error.code})` : ''}`;
}

/**
 * One attempt of a URL notification. DELIVERED only on HTTP 200; after that the delivery is recorded, so a later
 * attempt with the same delivery id answers DELIVERED (repeated) without calling again. A target the SSRF rules
 * refuse is FAILED and not retryable; every other failure is FAILED and retryable.
 */
export async function callUrl(deps: UrlCallDeps, input: WithLinks<CallUrlInput>): Promise<UrlCallResult> {
  const { merchantId, deliveryId } = input;
  const done = await deps.ledger.get(merchantId, deliveryId);
  if (done?.state === 'sent') return { outcome: 'DELIVERED', at: done.at, repeated: true };

  const failed = (reason: string, retryable: boolean): UrlCallResult => ({
    outcome: 'FAILED',
    at: deps.now().toISOString(),
    reason,
    retryable,
  });
  const refusal = checkNotificationUrlSyntax(input.notification.recipient, deps.policy);
  if (refusal) return failed(`target ${refusal}`, false);

  const url = callbackUrl(input);
  const timestamp = Math.floor(deps.now().getTime() / 1000);
  const secret = merchantCallbackSecret(deps.signingSecret, merchantId);
  const headers = {
    'User-Agent': 'esign-notifications/1',
    'X-Sign-Delivery-Id': deliveryId,
    'X-Sign-Timestamp': String(timestamp),
    'X-Sign-Signature': signCallback({ secret, timestamp, method: 'GET', url: url.href }),
    // An operator's redrive carries a delivery id of its own; this names the one it sends again.
    ...(input.redriveOf ? { 'X-Sign-Redrive-Of': input.redriveOf } : {}),
  };
  const outcome = await get(url, headers, deps);
  if ('error' in outcome) {
    if (isForbiddenTargetError(outcome.error)) return failed(outcome.error.message, false);
    return failed(failureReason(outcome.error, deps.timeoutMs), true);
  }
  if (outcome.status !== 200) return failed(`HTTP ${outcome.status}`, true);
  const at = deps.now();
  await deps.ledger.markSent(merchantId, deliveryId, at);
  return { outcome: 'DELIVERED', at: at.toISOString(), repeated: false };
}
