import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface ManagedProcess {
  name: string;
  pid: number;
  logFile: string;
  /** Why the process ended, or undefined while it runs. */
  exited(): string | undefined;
  /** SIGTERM by pid, then SIGKILL if it has not exited within the grace period. */
  stop(graceMs?: number): Promise<void>;
  /** Sends `sig` by pid (default SIGKILL, as `kill -9` does) and resolves once the process has exited. */
  kill(sig?: NodeJS.Signals): Promise<void>;
  /** The end of its log, for error messages. */
  logTail(lines?: number): string;
  /** Lets it outlive this process (no kill on exit): whoever takes it over must stop it by pid. */
  disown(): void;
}

const running = new Set<ManagedProcess>();

function killAll(): void {
  for (const p of running) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

// Last resort: whatever is still running when this process exits is killed, so no child outlives its parent.
process.on('exit', killAll);
// A signal ends a Node process without 'exit' handlers: where nobody else handles it (a benchmark script, say),
// kill the children first. The dev stack's CLI has its own handlers, which stop them gracefully instead.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    if (process.listenerCount(signal) > 1) return;
    killAll();
    process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1));
  });
}

/**
 * Spawns a server in its own process group (so a terminal's Ctrl-C reaches only the supervisor, which then stops
 * the children in order), with stdout and stderr appended to a log file.
 */
export function spawnManaged(
  name: string,
  command: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; cwd?: string; logFile: string },
): ManagedProcess {
  mkdirSync(dirname(opts.logFile), { recursive: true });
  const fd = openSync(opts.logFile, 'a');
  const child = spawn(command, args, {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    stdio: ['ignore', fd, fd],
    detached: true,
  });
  closeSync(fd);
  let exitReason: string | undefined;
  const exitedPromise = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exitReason = signal ? `exited on ${signal}` : `exited with code ${code}`;
      running.delete(managed);
      resolve();
    });
    child.once('error', (err) => {
      exitReason = `could not start: ${err.message}`;
      running.delete(managed);
      resolve();
    });
  });
  const managed: ManagedProcess = {
    name,
    pid: child.pid ?? -1,
    logFile: opts.logFile,
    exited: () => exitReason,
    logTail: (lines = 15) => {
      try {
        return readFileSync(opts.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
      } catch {
        return '';
      }
    },
    disown: () => running.delete(managed),
    async stop(graceMs = 10_000) {
      if (exitReason) return;
      signal(managed.pid, 'SIGTERM');
      const killer = setTimeout(() => signal(managed.pid, 'SIGKILL'), graceMs);
      await exitedPromise;
      clearTimeout(killer);
    },
    async kill(sig = 'SIGKILL') {
      if (exitReason) return;
      signal(managed.pid, sig);
      await exitedPromise;
    },
  };
  running.add(managed);
  return managed;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

/** Waits for a freshly spawned process to become ready; if it never does, stops it before rethrowing. */
export async function readyOrStopped<T>(proc: ManagedProcess, ready: () => Promise<T>): Promise<T> {
  try {
    return await ready();
  } catch (err) {
    await proc.stop(2000);
    throw err;
  }
}

/** Why a process is not worth waiting for any more (it exited), with the end of its log. */
export function deathNotice(proc: ManagedProcess): () => string | undefined {
  return () => {
    const reason = proc.exited();
    return reason ? `${reason}\n${proc.logTail()}` : undefined;
  };
}
