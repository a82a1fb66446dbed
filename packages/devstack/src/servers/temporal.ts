import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SEARCH_ATTRIBUTES, searchAttributeFlags } from '@esign/temporal-contracts';
import { Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { deathNotice, readyOrStopped, spawnManaged, type ManagedProcess } from '../process.js';
import { tool } from '../tools.js';
import { httpAnswers, waitFor } from '../wait.js';

export interface TemporalServer {
  process: ManagedProcess;
  address: string;
  uiUrl?: string;
}

/**
 * Temporal CLI dev server with its state in a SQLite file (history survives restarts), Updates enabled, and the
 * project's search attributes registered (checked and added again on every start, so an older database catches up).
 * With a UI, the UI decodes payloads through `codecEndpoint` (the operators' codec server) for a logged-in operator.
 */
export async function startTemporal(opts: {
  dataDir: string;
  logDir: string;
  port: number;
  uiPort?: number;
  codecEndpoint?: string;
}): Promise<TemporalServer> {
  mkdirSync(opts.dataDir, { recursive: true });
  const address = `127.0.0.1:${opts.port}`;
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(opts.port),
    '--db-filename',
    join(opts.dataDir, 'temporal.db'),
    '--namespace',
    'default',
    '--log-format',
    'json',
    '--log-level',
    'warn',
    // WAL with normal syncs: commits stay durable across a process crash (not a power loss), at a fraction of the
    // latency of a full fsync per workflow transaction. This is the dev server; production runs a real cluster.
    '--sqlite-pragma',
    'journal_mode=wal',
    '--sqlite-pragma',
    'synchronous=normal',
    '--dynamic-config-value',
    'frontend.enableUpdateWorkflowExecution=true',
    '--dynamic-config-value',
    'frontend.enableUpdateWorkflowExecutionAsyncAccepted=true',
    ...searchAttributeFlags(),
    ...(opts.uiPort ? ['--ui-port', String(opts.uiPort), '--ui-disable-news-fetch'] : ['--headless']),
    ...(opts.uiPort && opts.codecEndpoint ? ['--ui-codec-endpoint', opts.codecEndpoint] : []),
  ];
  const proc = spawnManaged('temporal', tool('temporal'), args, { logFile: join(opts.logDir, 'temporal.log') });
  const aborted = deathNotice(proc);
  const uiUrl = opts.uiPort ? `http://127.0.0.1:${opts.uiPort}` : undefined;
  await readyOrStopped(proc, async () => {
    let connection: Connection | undefined;
    try {
      await waitFor(
        'Temporal',
        async () => {
          connection ??= await Connection.connect({ address, connectTimeout: 1000 });
          await connection.workflowService.getSystemInfo({});
          return true;
        },
        { aborted },
      );
      await ensureSearchAttributes(connection!);
    } finally {
      await connection?.close();
    }
    if (uiUrl) await waitFor('Temporal UI', () => httpAnswers(uiUrl, 200), { aborted });
  });
  return { process: proc, address, uiUrl };
}

async function ensureSearchAttributes(connection: Connection): Promise<void> {
  const namespace = 'default';
  const existing = await connection.operatorService.listSearchAttributes({ namespace });
  const missing = Object.values(SEARCH_ATTRIBUTES).filter((name) => !(name in (existing.customAttributes ?? {})));
  if (missing.length === 0) return;
  const keyword = proto.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(missing.map((name) => [name, keyword])),
  });
}
