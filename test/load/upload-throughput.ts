// Benchmark (not a test): upload MB/s through the gateway (auth, streaming validation, S3, metadata, expiry timer)
// vs raw minio putObject of the same bytes to the same SeaweedFS, side by side in one run; then the gateway's RSS
// during 16 concurrent 20 MiB uploads. Starts its own stack in a temp dir and stops it. The case lives in
// cases/upload.ts (`npm run bench` runs it with the others in one stack).
// Run: node --import tsx test/load/upload-throughput.ts
import { startBenchStack } from './bench-stack.js';
import { gatewayUpload, MiB, pdfOfSize, UPLOAD_DEFAULTS, uploadThroughput } from './cases/upload.js';
import { median, peakRss, rssMiB, table } from './measure.js';

const { rounds, concurrency } = UPLOAD_DEFAULTS;

const bench = await startBenchStack('upload', ['identity', 'document-storage', 'orchestrator', 'gateway']);
const { stack } = bench;
try {
  const results = await uploadThroughput(bench);
  const rows = results.map((u) => {
    const g = median(u.gateway);
    const r = median(u.raw);
    return {
      'PDF size': `${u.label} (${(u.bytes / MiB).toFixed(2)} MiB)`,
      uploads: String(u.count),
      'gateway MB/s': g,
      'raw minio MB/s': r,
      ratio: g / r,
    };
  });

  const gatewayPid = stack.services.find((s) => s.name === 'gateway')!.process.pid;
  const big = await pdfOfSize(20 * MiB);
  const idle = rssMiB(gatewayPid);
  const { peak } = await peakRss(gatewayPid, () =>
    Promise.all(Array.from({ length: 16 }, () => gatewayUpload(bench, big)())),
  );
  process.stdout.write(
    `\nUpload throughput: ${rounds} alternating rounds, ${concurrency} concurrent uploads, medians\n\n${table(rows)}\n\n` +
      `${table([
        { 'gateway RSS': 'idle (MiB)', value: idle },
        { 'gateway RSS': 'peak during 16 concurrent 20 MiB uploads (MiB)', value: peak },
      ])}\n`,
  );
} finally {
  await bench.stop();
}
