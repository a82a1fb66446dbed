import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { deathNotice, readyOrStopped, spawnManaged, type ManagedProcess } from '../process.js';
import { httpAnswers, waitFor } from '../wait.js';

export interface MailServer {
  process: ManagedProcess;
  smtpPort: number;
  webUrl: string;
}

// maildev's exports map names only its ESM entry, so its CLI is found on the module search path by hand.
function maildevBin(): string {
  const searchPaths = createRequire(import.meta.url).resolve.paths('maildev') ?? [];
  for (const dir of searchPaths) {
    const bin = join(dir, 'maildev', 'dist', 'bin', 'maildev.js');
    if (existsSync(bin)) return bin;
  }
  throw new Error('maildev is not installed: run node scripts/bootstrap.mjs');
}

/** MailDev: an SMTP server that keeps every message, with a web inbox and a REST API (`/api/email`). */
export async function startMaildev(opts: {
  dataDir: string;
  logDir: string;
  smtpPort: number;
  webPort: number;
}): Promise<MailServer> {
  mkdirSync(opts.dataDir, { recursive: true });
  const args = [
    maildevBin(),
    '--smtp',
    String(opts.smtpPort),
    '--web',
    String(opts.webPort),
    '--ip',
    '127.0.0.1',
    '--web-ip',
    '127.0.0.1',
    '--mail-directory',
    opts.dataDir,
    '--silent',
  ];
  const proc = spawnManaged('maildev', process.execPath, args, { logFile: join(opts.logDir, 'maildev.log') });
  const webUrl = `http://127.0.0.1:${opts.webPort}`;
  await readyOrStopped(proc, () =>
    waitFor('MailDev', () => httpAnswers(`${webUrl}/api/healthz`, 200), { aborted: deathNotice(proc) }),
  );
  return { process: proc, smtpPort: opts.smtpPort, webUrl };
}
