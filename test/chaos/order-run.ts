// One order of the chaos load as planned and as it went: its kind, its unique PDF, and every id and retry seen on
// the way, for the checks afterwards.
import { createHash, randomBytes } from 'node:crypto';
import type { TaskEvent } from '@esign/temporal-contracts';
import type { Client } from '@temporalio/client';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { MerchantApi } from './http.js';
import type { UrlReceiver } from './receiver.js';

/** How an order ends: signed (task and order COMPLETED), rejected (task REJECTED), or deleted by the merchant. */
export type OrderKind = 'sign' | 'reject' | 'cancel';

/** Half signed, a quarter rejected, a quarter cancelled, interleaved. */
export const kindOf = (index: number): OrderKind => (['sign', 'reject', 'sign', 'cancel'] as const)[index % 4]!;

export const TASK_ID = 'signer1';
export const DOCUMENT_ID = 'doc1';

export interface OrderRun {
  index: number;
  kind: OrderKind;
  clientReference: string;
  idempotencyKey: string;
  /** The signer's e-mail address, unique to the order. */
  recipient: string;
  pdf: Buffer;
  sha256: string;
  /** Every upload id answered 201 (more than one when an answer was lost and the upload repeated). */
  uploads: string[];
  documentRef?: string;
  /** The order id of every 201 to the creation and its retries: one id, however often it was answered. */
  createdIds: string[];
  orderId?: string;
  /** Signer Updates repeated after a failure (connection lost, server restarting, worker down). */
  actionRetries: number;
  /** Signer Updates the workflow answered with a failure (not a refusal), each then repeated as a signer would. */
  actionsFailed: string[];
  /** A cancelled order's task events, read just before the deletion (afterwards they are gone). */
  eventsBeforeDelete?: TaskEvent[];
  /** Set when the order could not be driven to its end. */
  error?: string;
  done: boolean;
}

export interface LoadContext {
  api: MerchantApi;
  temporal: Client;
  receiver: UrlReceiver;
  runId: string;
  /** Told about every retry of a step (which step, and why), so the run can say what each fault hit. */
  hit: (what: string, why: string) => void;
  /** How long one step keeps retrying. */
  patienceMs: number;
}

export const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A real PDF with a page of text and random bytes (so every original is unique and a round trip must be exact). */
async function makePdf(label: string): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage().drawText(`Chaos agreement ${label}`, { x: 50, y: 700, font, size: 18 });
  await doc.attach(randomBytes(2048), 'payload.bin', { mimeType: 'application/octet-stream' });
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

export async function planOrder(runId: string, index: number): Promise<OrderRun> {
  const pdf = await makePdf(`${runId}-${index}`);
  return {
    index,
    kind: kindOf(index),
    clientReference: `chaos-${runId}-${index}`,
    idempotencyKey: `chaos-${runId}-${index}`,
    recipient: `signer-${runId}-${index}@example.test`,
    pdf,
    sha256: sha256(pdf),
    uploads: [],
    createdIds: [],
    actionRetries: 0,
    actionsFailed: [],
    done: false,
  };
}
