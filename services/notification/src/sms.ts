import type { Config } from '@esign/config';
import { ERROR_TYPES, type DeliverNotificationInput, type SendResult } from '@esign/temporal-contracts';
import type { WithLinks } from './signer-links.js';
import { ApplicationFailure } from '@temporalio/activity';
import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient.js';
import { sendAtMostOnce, type DeliveryLedger } from './delivery-state.js';
import { renderText } from './render.js';

/** The part of the Twilio client the notification service uses (a real `twilio()` client satisfies it). */
export interface SmsClient {
  messages: {
    create(params: { to: string; from: string; body: string }): Promise<{ sid: string }>;
  };
}

/** Where the Twilio library sends every request; config.twilio.apiUrl replaces it (the dev SMS sink). */
export const TWILIO_API_ORIGIN = 'https://api.twilio.com';

/** Twilio's HTTP client with the api.twilio.com origin of each request swapped for another base URL. */
class RedirectingRequestClient extends twilio.RequestClient {
  constructor(
    private readonly apiUrl: string,
    opts: RequestClient.RequestClientOptions,
  ) {
    super(opts);
  }

  override request<TData>(opts: RequestClient.RequestOptions<TData>) {
    const uri = opts.uri.startsWith(TWILIO_API_ORIGIN)
      ? this.apiUrl + opts.uri.slice(TWILIO_API_ORIGIN.length)
      : opts.uri;
    return super.request<TData>({ ...opts, uri });
  }
}

/**
 * The real Twilio client for config.twilio, talking to `apiUrl` when that is not Twilio itself; each request is
 * given up after `deadlineMs` (TWILIO_DEADLINE_SECONDS).
 */
export function createSmsClient(config: Config['twilio'], deadlineMs = 10_000): SmsClient {
  const apiUrl = config.apiUrl.replace(/\/+$/, '');
  const httpClient =
    apiUrl === TWILIO_API_ORIGIN
      ? new twilio.RequestClient({ timeout: deadlineMs })
      : new RedirectingRequestClient(apiUrl, { timeout: deadlineMs });
  return twilio(config.accountSid, config.authToken, { httpClient });
}

interface TwilioError {
  /** HTTP status of a RestException (Twilio answered). */
  status?: number;
  /** Twilio error code of a RestException, or a Node/axios error code when the request failed. */
  code?: number | string;
}

const CONNECT_ERRORS = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

function isRejected(e: TwilioError): boolean {
  return typeof e.status === 'number' && e.status >= 400 && e.status < 500 && e.status !== 429;
}

/**
 * Whether Twilio surely did not create the message: it answered 4xx (refused, or 429 too many requests) or 503,
 * or the connection was never made. Other 5xx answers and timeouts leave it open.
 */
export function twilioNotSent(err: unknown): boolean {
  const e = (err ?? {}) as TwilioError;
  if (typeof e.status === 'number') return (e.status >= 400 && e.status < 500) || e.status === 503;
  return typeof e.code === 'string' && CONNECT_ERRORS.has(e.code);
}

/**
 * A Twilio failure as an activity failure, without Twilio's message (it may quote the phone number): a 4xx other
 * than 429 is a non-retryable NotificationRejected, anything else is retryable.
 */
export function twilioFailure(err: unknown): ApplicationFailure {
  const e = (err ?? {}) as TwilioError;
  if (isRejected(e)) {
    return ApplicationFailure.create({
      type: ERROR_TYPES.NOTIFICATION_REJECTED,
      message: `Twilio refused the message (HTTP ${e.status}${e.code ? `, error ${e.code}` : ''})`,
      nonRetryable: true,
    });
  }
  const what = typeof e.status === 'number' ? `HTTP ${e.status}` : String(e.code ?? 'unknown error');
  return ApplicationFailure.create({
    type: ERROR_TYPES.DEPENDENCY_UNAVAILABLE,
    message: `Twilio did not take the message (${what})`,
    nonRetryable: false,
  });
}

export async function sendSms(
  deps: { sms: SmsClient; ledger: DeliveryLedger; from: string; now: () => Date },
  input: WithLinks<DeliverNotificationInput>,
): Promise<SendResult> {
  const { notification } = input;
  // The message is the SMS; a notification with only a header sends that.
  const body = renderText(notification.message ?? notification.header, input.placeholders);
  return sendAtMostOnce({
    ledger: deps.ledger,
    merchantId: input.merchantId,
    deliveryId: input.deliveryId,
    now: deps.now,
    notSent: twilioNotSent,
    failure: twilioFailure,
    send: async () => {
      const message = await deps.sms.messages.create({
        to: notification.recipient,
        from: notification.sender ?? deps.from,
        body,
      });
      return { providerId: message.sid };
    },
  });
}
