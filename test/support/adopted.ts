import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// Services a test starts to replace one it killed outlive the test file (later files need them); the stack's
// teardown stops them by the pids recorded here.
const file = (dataDir: string) => join(dataDir, 'adopted-pids');

export function adoptProcess(dataDir: string, pid: number): void {
  appendFileSync(file(dataDir), `${pid}\n`);
}

export function stopAdopted(dataDir: string): void {
  if (!existsSync(file(dataDir))) return;
  for (const line of readFileSync(file(dataDir), 'utf8').split('\n')) {
    const pid = Number(line);
    if (!pid) continue;
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
