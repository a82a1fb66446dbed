/** Where a command writes: stdout for results, stderr for what went wrong. */
export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Standard input (a secret given on stdin instead of on the command line). */
  stdin?: () => Promise<string>;
}

/** A command's answer: what `--json` prints, how it reads as text, and whether it succeeded (the exit code). */
export interface Outcome<T = unknown> {
  ok: boolean;
  json: T;
  text: string;
}

/** A failure with a message for the operator (exit 1, no stack trace). */
export class OpsError extends Error {
  constructor(
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'OpsError';
  }
}

/** Columns padded to their widest cell. */
export function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(head), ...rows.map(line)].join('\n');
}
