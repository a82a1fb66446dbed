import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface SunkMail {
  /** When the message arrived (epoch ms). */
  at: number;
  envelopeFrom: string;
  envelopeTo: string[];
  raw: string;
}

export type SmtpSink = Awaited<ReturnType<typeof startSmtpSink>>;

/**
 * An in-process SMTP server keeping every message with when it arrived; recipients reject-550@ and busy-451@ are
 * refused (permanently and for now), and it counts the connections open at once.
 */
export async function startSmtpSink() {
  const mails: SunkMail[] = [];
  let open = 0;
  let maxOpen = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onConnect(_session, callback) {
      maxOpen = Math.max(maxOpen, ++open);
      callback();
    },
    onClose() {
      open--;
    },
    onRcptTo(address, _session, callback) {
      const code = /^(reject-550|busy-451)@/.exec(address.address)?.[1];
      if (!code) return callback();
      const responseCode = code === 'reject-550' ? 550 : 451;
      callback(Object.assign(new Error(`mailbox ${address.address} unavailable`), { responseCode }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (d: Buffer) => chunks.push(d));
      stream.on('end', () => {
        const from = session.envelope.mailFrom;
        mails.push({
          at: Date.now(),
          envelopeFrom: from ? from.address : '',
          envelopeTo: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback(null, 'OK');
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.server.address() as AddressInfo).port,
    mails,
    /** The most SMTP connections open at once since the last call. */
    takeMaxOpen: () => {
      const max = maxOpen;
      maxOpen = open;
      return max;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A message's Message-ID, as its header says. */
export function messageIdOf(raw: string): string {
  const head = raw.slice(0, raw.indexOf('\r\n\r\n'));
  return /^message-id:\s*(\S+)/im.exec(head)?.[1] ?? '';
}
