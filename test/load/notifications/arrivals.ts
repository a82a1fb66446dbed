// What arrived at the benchmark's SMTP sink and URL receiver since a mark, checked: one e-mail and one URL call per
// notification, no duplicates, nothing to anyone else.
import type { ReceivedCall } from '../../support/receiver.js';
import { messageIdOf, type SmtpSink } from '../../support/smtp-sink.js';

const seconds = (ms: number) => ms / 1000;

export function arrivals(sink: SmtpSink, receiver: { calls: ReceivedCall[] }, recipient: string) {
  /** The deliveries that arrived since `from` (indexes into the sinks), checked: `count` of each, all distinct. */
  const deliveries = (from: { mails: number; calls: number }, count: number, what: string) => {
    const mails = sink.mails.slice(from.mails);
    const calls = receiver.calls.slice(from.calls);
    const distinct = <T>(xs: T[]) => new Set(xs).size;
    const messageIds = distinct(mails.map((m) => messageIdOf(m.raw)));
    const problems = [
      mails.length !== count && `${mails.length} e-mails`,
      messageIds !== count && `${messageIds} Message-IDs`,
      mails.some((m) => m.envelopeTo.join() !== recipient) && 'an e-mail to someone else',
      calls.length !== count && `${calls.length} URL calls`,
      distinct(calls.map((c) => c.headers['x-sign-delivery-id'])) !== count &&
        `${distinct(calls.map((c) => c.headers['x-sign-delivery-id']))} distinct X-Sign-Delivery-Ids`,
      calls.some((c) => c.headers['x-sign-delivery-id'] === undefined) && 'a call without X-Sign-Delivery-Id',
    ].filter(Boolean);
    if (problems.length) throw new Error(`${what}: expected ${count} of each, got ${problems.join(', ')}`);
    const times = [...mails.map((m) => m.at), ...calls.map((c) => c.at)];
    const first = Math.min(...times);
    return {
      calls,
      first,
      /** Deliveries per second from the first arrival to the last (no start-up cost in either case). */
      rate: (times.length - 1) / seconds(Math.max(...times) - first),
      mailsDone: Math.max(...mails.map((m) => m.at)) - first,
      callsDone: Math.max(...calls.map((c: ReceivedCall) => c.at)) - first,
    };
  };
  const mark = () => ({ mails: sink.mails.length, calls: receiver.calls.length });
  return { deliveries, mark };
}
