// Case 3: upload MB/s through the gateway (auth, streaming validation, S3, metadata, expiry timer) vs raw minio
// putObject of the same bytes to the same SeaweedFS bucket, at the same concurrency, in alternating rounds.
import { randomBytes } from 'node:crypto';
import { loadConfig } from '@esign/config';
import { createS3 } from '@esign/service-runtime';
import { newId } from '@esign/temporal-contracts/random';
import { PDFDocument } from 'pdf-lib';
import { benchPost, type BenchStack } from '../bench-stack.js';
import { alternate, timedBatch } from '../measure.js';

export const MiB = 1024 * 1024;

export interface UploadSize {
  label: string;
  /** Bytes of the PDF (about: the PDF around the filler adds a little). */
  size: number;
  /** Uploads per round. */
  count: number;
}

export interface UploadOptions {
  rounds: number;
  concurrency: number;
  sizes: UploadSize[];
}

export const UPLOAD_DEFAULTS: UploadOptions = {
  rounds: 5,
  concurrency: 4,
  sizes: [
    { label: '1 MiB', size: 1 * MiB, count: 40 },
    { label: '20 MiB', size: 20 * MiB, count: 8 },
  ],
};

export async function pdfOfSize(bytes: number): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.addPage();
  // Random bytes: pdf-lib compresses attachments, and the size must be real.
  await doc.attach(randomBytes(bytes - 1200), 'filler.bin', { mimeType: 'application/octet-stream' });
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

/** POST /documents of `body` as a PDF over node:http (as the raw S3 client sends), checked for 201. */
export const gatewayUpload = (bench: BenchStack, body: Buffer) => async () => {
  const res = await benchPost(`${bench.api}/documents`, { ...bench.auth, 'content-type': 'application/pdf' }, body);
  if (res.status !== 201) throw new Error(`upload answered ${res.status}: ${res.body}`);
};

export interface UploadResult extends UploadSize {
  /** The PDF's real size in bytes. */
  bytes: number;
  /** MB/s (MiB/s) per round. */
  gateway: number[];
  raw: number[];
}

export async function uploadThroughput(bench: BenchStack, o: UploadOptions = UPLOAD_DEFAULTS): Promise<UploadResult[]> {
  const config = loadConfig(bench.stack.env);
  const s3 = createS3(config);
  const raw = (body: Buffer) => async () => {
    await s3.putObject(config.s3.buckets.documents, `bench/${newId()}`, body, body.length, {
      'Content-Type': 'application/pdf',
    });
  };
  /** MiB/s of `count` jobs of `size` bytes each. */
  const throughput = async (count: number, size: number, job: () => Promise<void>) =>
    (count * size) / MiB / (await timedBatch(count, o.concurrency, job));

  const out: UploadResult[] = [];
  for (const size of o.sizes) {
    const body = await pdfOfSize(size.size);
    // Warm-up, not counted.
    await timedBatch(o.concurrency, o.concurrency, gatewayUpload(bench, body));
    await timedBatch(o.concurrency, o.concurrency, raw(body));
    const runs = await alternate(o.rounds, {
      gateway: () => throughput(size.count, body.length, gatewayUpload(bench, body)),
      raw: () => throughput(size.count, body.length, raw(body)),
    });
    out.push({ ...size, bytes: body.length, ...runs });
  }
  return out;
}
