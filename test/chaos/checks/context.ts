// What every check of the chaos run reads, and the figures they fill in.
import type { Config } from '@esign/config';
import type { Client } from '@temporalio/client';
import type { Redis } from 'ioredis';
import type * as Minio from 'minio';
import type { FaultKind } from '../faults.js';
import type { MerchantApi } from '../http.js';
import type { Mailbox } from '../mailbox.js';
import type { OrderRun } from '../order-run.js';
import type { UrlReceiver } from '../receiver.js';
import type { NotificationFigures } from './notifications.js';

export const MERCHANT_ID = 'demo-merchant';

export interface VerifyContext {
  api: MerchantApi;
  temporal: Client;
  receiver: UrlReceiver;
  mailbox: Mailbox;
  redis: Redis;
  s3: Minio.Client;
  config: Config;
  runs: OrderRun[];
  /**
   * The fault that explains a URL delivery repeated after its first 200 at `deliveredAt` (epoch ms), if one does:
   * the sender died, or could not record the 200, before it knew. Unexplained repeats are duplicates.
   */
  explainRepeat: (deliveredAt: number) => FaultKind | undefined;
}

export interface Verification {
  ordersChecked: number;
  originalsChecked: number;
  resultsChecked: number;
  notifications: NotificationFigures;
  redisKeys: { total: number; live: number; ttlBounded: number; timers: number };
  s3Objects: { total: number; live: number; awaitingExpiry: number };
  /** Everything that failed, in words. Empty means the run passed. */
  problems: string[];
  /** Lost documents (originals or results missing or changed). */
  documentsLost: number;
  /** Orders that exist more than once for one Idempotency-Key. */
  duplicateOrders: number;
  orphans: number;
}
