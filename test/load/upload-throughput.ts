// Benchmark (not a test): upload MB/s through the gateway (auth, streaming validation, S3, metadata, expiry timer)
// vs raw minio putObject of the same bytes to the same SeaweedFS, side by side in one run; then the gateway's RSS
// during 16 concurrent 20 MiB uploads. Starts its own stack in a temp dir and stops it.
// Run: node --import tsx test/load/upload-throughput.ts
import { randomBytes } from 'node:crypto';
import { loadConfig } from '@esign/config';
import { createS3 } from '@esign/service-runtime';
import { newId } from '@esign/temporal-contracts/random';
import { PDFDocument } from 'pdf-lib';
import { startBenchStack } from './bench-stack.js';
import { alternate, median, peakRss, rssMiB, table, timedBatch } from './measure.js';

const MiB = 1024 * 1024;
const ROUNDS = 3;
const CONCURRENCY = 4;

async function pdfOfSize(bytes: number): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.addPage();
  // Random bytes: pdf-lib compresses attachments, and the size must be real.
  await doc.attach(randomBytes(bytes - 1200), 'filler.bin', { mimeType: 'application/octet-stream' });
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

/** MB/s of `count` jobs of `size` bytes each, `concurrency` at a time. */
async function throughput(count: number, concurrency: number, size: number, job: () => Promise<void>) {
  return (count * size) / MiB / (await timedBatch(count, concurrency, job));
}

const bench = await startBenchStack('upload', ['identity', 'document-storage', 'orchestrator', 'gateway']);
const { stack } = bench;
try {
  const config = loadConfig(stack.env);
  const s3 = createS3(config);
  const viaGateway = (body: Buffer) => async () => {
    const res = await fetch(`${bench.api}/documents`, {
      method: 'POST',
      headers: { ...bench.auth, 'content-type': 'application/pdf' },
      body,
    });
    if (res.status !== 201) throw new Error(`upload answered ${res.status}: ${await res.text()}`);
    await res.arrayBuffer();
  };
  const raw = (body: Buffer) => async () => {
    await s3.putObject(config.s3.buckets.documents, `bench/${newId()}`, body, body.length, {
      'Content-Type': 'application/pdf',
    });
  };

  const rows: Array<Record<string, string | number>> = [];
  for (const [label, size, count] of [
    ['1 MiB', 1 * MiB, 40],
    ['20 MiB', 20 * MiB, 8],
  ] as const) {
    const body = await pdfOfSize(size);
    const runs = await alternate(ROUNDS, {
      gateway: () => throughput(count, CONCURRENCY, body.length, viaGateway(body)),
      raw: () => throughput(count, CONCURRENCY, body.length, raw(body)),
    });
    const g = median(runs.gateway);
    const r = median(runs.raw);
    rows.push({
      'PDF size': `${label} (${(body.length / MiB).toFixed(2)} MiB)`,
      uploads: String(count),
      'gateway MB/s': g,
      'raw minio MB/s': r,
      ratio: g / r,
    });
  }

  const gatewayPid = stack.services.find((s) => s.name === 'gateway')!.process.pid;
  const big = await pdfOfSize(20 * MiB);
  const idle = rssMiB(gatewayPid);
  const { peak } = await peakRss(gatewayPid, () => Promise.all(Array.from({ length: 16 }, () => viaGateway(big)())));
  process.stdout.write(
    `\nUpload throughput: ${ROUNDS} alternating rounds, ${CONCURRENCY} concurrent uploads, medians\n\n${table(rows)}\n\n` +
      `${table([
        { 'gateway RSS': 'idle (MiB)', value: idle },
        { 'gateway RSS': 'peak during 16 concurrent 20 MiB uploads (MiB)', value: peak },
      ])}\n`,
  );
} finally {
  await bench.stop();
}
