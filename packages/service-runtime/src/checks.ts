import type { Client } from '@temporalio/client';
import type { NativeConnection } from '@temporalio/worker';
import type { Redis } from 'ioredis';
import type * as Minio from 'minio';

/** A readiness check: resolves when the dependency answers, rejects otherwise. */
export type Check = () => Promise<void>;

export interface CheckReport {
  ready: boolean;
  checks: Record<string, { ok: boolean; error?: string }>;
}

const CHECK_TIMEOUT_MS = 2000;

function withTimeout(check: Check): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
  });
  return Promise.race([check(), timeout]).finally(() => clearTimeout(timer));
}

/** Runs every check concurrently; the report names each dependency and why it failed. */
export async function runChecks(checks: Record<string, Check>): Promise<CheckReport> {
  const names = Object.keys(checks);
  const results = await Promise.allSettled(names.map((n) => withTimeout(checks[n]!)));
  const report: CheckReport = { ready: true, checks: {} };
  results.forEach((r, i) => {
    const name = names[i]!;
    if (r.status === 'fulfilled') report.checks[name] = { ok: true };
    else {
      report.ready = false;
      report.checks[name] = { ok: false, error: r.reason instanceof Error ? r.reason.message : String(r.reason) };
    }
  });
  return report;
}

export const redisCheck =
  (redis: Redis): Check =>
  async () => {
    const pong = await redis.ping();
    if (pong !== 'PONG') throw new Error(`unexpected PING answer ${pong}`);
  };

export const s3BucketsCheck =
  (s3: Minio.Client, buckets: string[]): Check =>
  async () => {
    for (const bucket of buckets) {
      if (!(await s3.bucketExists(bucket))) throw new Error(`bucket ${bucket} does not exist`);
    }
  };

/** Temporal reachable: a client's or a worker's connection answers GetSystemInfo. */
export const temporalCheck =
  (connection: Client['connection'] | NativeConnection): Check =>
  async () => {
    await connection.workflowService.getSystemInfo({});
  };
