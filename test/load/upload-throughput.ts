// Benchmark (not a test): upload MB/s through the gateway (auth, streaming validation, S3, metadata, expiry timer)
// vs raw minio putObject of the same bytes to the same SeaweedFS, side by side in one run; then the gateway's RSS
// during 16 concurrent 20 MiB uploads. Starts its own stack in a temp dir and stops it.
// Run: node --import tsx test/load/upload-throughput.ts
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEV_DEFAULTS, loadConfig } from '@esign/config';
import { freeStackPorts, startStack } from '@esign/devstack';
import { createS3 } from '@esign/service-runtime';
import { newId } from '@esign/temporal-contracts/random';
import { PDFDocument } from 'pdf-lib';
import { alternate, median, peakRss, rssMiB, table } from './measure.js';

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

/** Runs `count` jobs with `concurrency` workers; returns MB/s over the whole batch. */
async function throughput(count: number, concurrency: number, size: number, job: () => Promise<void>) {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < count) await job();
    }),
  );
  return (count * size) / MiB / ((performance.now() - started) / 1000);
}

const dataDir = mkdtempSync(join(tmpdir(), 'esign-bench-upload-'));
const stack = await startStack({
  dataDir,
  ports: await freeStackPorts(),
  s3: { ...DEV_DEFAULTS.s3, buckets: { documents: 'esign-documents', archive: 'esign-archive' } },
  persistentRedis: false,
  services: ['identity', 'document-storage', 'orchestrator', 'gateway'],
});
try {
  const config = loadConfig(stack.env);
  const s3 = createS3(config);
  const tokenRes = await fetch(`${stack.urls.api}/auth/open/connect/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from('demo-merchant:demo-secret').toString('base64')}` },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'signicat-api' }),
  });
  const { access_token: token } = (await tokenRes.json()) as { access_token: string };
  const viaGateway = (body: Buffer) => async () => {
    const res = await fetch(`${stack.urls.api}/enterprise/sign/documents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/pdf' },
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
  await stack.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
