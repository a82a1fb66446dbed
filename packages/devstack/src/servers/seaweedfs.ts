import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as Minio from 'minio';
import { deathNotice, readyOrStopped, spawnManaged, type ManagedProcess } from '../process.js';
import { tool } from '../tools.js';
import { httpAnswers, waitFor } from '../wait.js';

export interface S3Server {
  process: ManagedProcess;
  endpoint: string;
}

/**
 * SeaweedFS all-in-one (`weed mini`) with S3 credentials required (a static identity file; without one access is
 * open) and the buckets created. Everything binds 127.0.0.1; extra catalogs and UIs are off.
 */
export async function startSeaweedfs(opts: {
  dataDir: string;
  logDir: string;
  port: number;
  accessKey: string;
  secretKey: string;
  buckets: string[];
}): Promise<S3Server> {
  mkdirSync(opts.dataDir, { recursive: true });
  const identities = join(opts.dataDir, 's3-identities.json');
  writeFileSync(
    identities,
    JSON.stringify({
      identities: [
        {
          name: 'esign',
          credentials: [{ accessKey: opts.accessKey, secretKey: opts.secretKey }],
          actions: ['Admin', 'Read', 'Write', 'List', 'Tagging'],
        },
      ],
    }),
    { mode: 0o600 },
  );
  const args = [
    'mini',
    `-dir=${join(opts.dataDir, 'data')}`,
    '-ip=127.0.0.1',
    '-ip.bind=127.0.0.1',
    `-s3.port=${opts.port}`,
    '-s3.port.iceberg=0',
    '-s3.port.lance=0',
    '-webdav=false',
    '-admin.ui=false',
    `-s3.config=${identities}`,
  ];
  const proc = spawnManaged('seaweedfs', tool('weed'), args, { logFile: join(opts.logDir, 'seaweedfs.log') });
  const aborted = deathNotice(proc);
  const endpoint = `http://127.0.0.1:${opts.port}`;
  await readyOrStopped(proc, async () => {
    await waitFor('SeaweedFS S3', () => httpAnswers(`${endpoint}/`), { aborted });
    await ensureBuckets(opts, aborted);
  });
  return { process: proc, endpoint };
}

async function ensureBuckets(
  opts: { port: number; accessKey: string; secretKey: string; buckets: string[] },
  aborted: () => string | undefined,
): Promise<void> {
  const s3 = new Minio.Client({
    endPoint: '127.0.0.1',
    port: opts.port,
    useSSL: false,
    region: 'us-east-1',
    accessKey: opts.accessKey,
    secretKey: opts.secretKey,
  });
  // The S3 port answers before the filer behind it is ready; retry bucket creation until it sticks.
  await waitFor(
    'SeaweedFS buckets',
    async () => {
      for (const bucket of opts.buckets) {
        if (!(await s3.bucketExists(bucket))) await s3.makeBucket(bucket, 'us-east-1');
      }
      return true;
    },
    { aborted, intervalMs: 250 },
  );
}
