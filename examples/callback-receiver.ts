// A merchant's receiver of URL notifications: it checks each call's X-Sign-Signature, ignores a delivery it has
// seen (X-Sign-Delivery-Id), answers 200 (anything else is retried for 24 hours), and reads the task's status.
//   CALLBACK_SECRET=<from your operator> npm run example:callback-receiver
// then put `http://127.0.0.1:3000/sign-callbacks` as the `recipient` of a `URL` notification.
import { fileURLToPath } from 'node:url';
import { callbackParams, verifyCallback } from '@esign/client';
import express from 'express';
import { z } from 'zod';
import { loadExample } from './config.js';

export interface Callback {
  deliveryId: string;
  requestId?: string;
  taskId?: string;
  packagingTaskId?: string;
  message?: string;
}

export interface CallbackAppOptions {
  /** Your callback secret: the operator derives it from the server's NOTIFICATION_SIGNING_SECRET. */
  secret: string;
  /** This receiver's public origin: the signature covers the full URL the platform called. */
  publicUrl: string;
  onCallback: (callback: Callback) => void | Promise<void>;
}

export function callbackApp(o: CallbackAppOptions): express.Express {
  // In memory for the example; a real receiver keeps delivery ids in its database, next to what it did about them.
  const seen = new Set<string>();
  const app = express();
  app.get('/sign-callbacks', async (req, res) => {
    const url = `${o.publicUrl}${req.originalUrl}`;
    const verdict = verifyCallback({
      secret: o.secret,
      url,
      method: req.method,
      timestamp: req.get('x-sign-timestamp'),
      signature: req.get('x-sign-signature'),
    });
    if (!verdict.ok) return void res.status(401).type('text').send(verdict.reason);
    const deliveryId = req.get('x-sign-delivery-id') ?? '';
    if (!seen.has(deliveryId)) {
      await o.onCallback({ deliveryId, ...callbackParams(url) });
      seen.add(deliveryId);
    }
    res.status(200).type('text').send('ok');
  });
  return app;
}

async function main(): Promise<void> {
  const { env: e, client } = loadExample(
    z.object({
      CALLBACK_SECRET: z.string().min(16, 'CALLBACK_SECRET: your callback secret (ask your operator)'),
      PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    }),
  );
  const app = callbackApp({
    secret: e.CALLBACK_SECRET,
    publicUrl: `http://127.0.0.1:${e.PORT}`,
    async onCallback({ requestId, taskId }) {
      if (!requestId || !taskId) return console.log(`callback about order ${requestId}`);
      const status = await client.taskStatus(requestId, taskId);
      console.log(`order ${requestId}, task ${taskId}: ${status.taskStatus}`);
    },
  });
  app.listen(e.PORT, '127.0.0.1', () =>
    console.log(`receiving callbacks at http://127.0.0.1:${e.PORT}/sign-callbacks`),
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
