// The one table of `npm run bench`, the machine it ran on, and the section of docs/benchmarks.md they go to.
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem, type, arch } from 'node:os';
import { alignedTable } from './measure.js';

export const START_MARKER = '<!-- bench:all:start -->';
export const END_MARKER = '<!-- bench:all:end -->';

export interface Row {
  case: string;
  measured: string;
  raw: string;
  ratio: string;
  target: string;
  met: string;
}

/** Integers as they are, else 3 significant-ish digits: 132, 20.1, 0.67. */
export const num = (v: number) =>
  !Number.isFinite(v) ? '—' : Number.isInteger(v) ? String(v) : v.toFixed(Math.abs(v) >= 100 ? 0 : v >= 10 ? 1 : 2);

/** A row compared with the raw engine: ratio = measured / raw, met when ≥ `min` (or only reported without one). */
export function ratioRow(name: string, measured: number, raw: number, min?: number): Row {
  const ratio = measured / raw;
  // Two decimals, or three where two would round across the target (0.498 is not 0.50 ≥ 0.5).
  const shown = min !== undefined && Number(ratio.toFixed(2)) >= min !== ratio >= min ? 3 : 2;
  return {
    case: name,
    measured: num(measured),
    raw: num(raw),
    ratio: ratio.toFixed(shown),
    target: min === undefined ? '—' : `≥ ${min}`,
    met: min === undefined ? '—' : ratio >= min ? 'yes' : 'NO',
  };
}

/** A row against an absolute limit: met when ≤ `max`. */
export function limitRow(name: string, measured: string, value: number, max: number, unit = ''): Row {
  return {
    case: name,
    measured,
    raw: '—',
    ratio: '—',
    target: `≤ ${max}${unit}`,
    met: value <= max ? 'yes' : 'NO',
  };
}

export function resultTable(rows: Row[]): string {
  return alignedTable(
    ['case', 'measured', 'raw', 'ratio', 'target', 'met?'],
    rows.map((r) => [r.case, r.measured, r.raw, r.ratio, r.target, r.met]),
  );
}

export interface Machine {
  cpu: string;
  memory: string;
  os: string;
  node: string;
  loadStart: string;
  loadEnd?: string;
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');

function distro(): string {
  try {
    return /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? '';
  } catch {
    return '';
  }
}

/** The machine as this process sees it; call `atEnd` once the run is over for the load average then. */
export function describeMachine(): Machine & { atEnd(): Machine } {
  const all = cpus();
  const models = [...new Set(all.map((c) => c.model.trim()))].join(', ');
  const mhz = all[0]?.speed ? `, ${all[0].speed} MHz` : '';
  const machine: Machine = {
    cpu: `${all.length} × ${models}${mhz}`,
    memory: `${(totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    os: [distro(), `${type()} ${release()} ${arch()}`].filter(Boolean).join(', '),
    node: process.version,
    loadStart: load(),
  };
  return { ...machine, atEnd: () => ({ ...machine, loadEnd: load() }) };
}

export function machineLines(m: Machine): string[] {
  return [
    `- CPU: ${m.cpu} (os.cpus())`,
    `- Memory: ${m.memory}`,
    `- OS: ${m.os}`,
    `- Node: ${m.node}`,
    `- Load average (1 / 5 / 15 min): ${m.loadStart} at the start, ${m.loadEnd ?? '?'} at the end`,
  ];
}

/**
 * Replaces what is between the markers in `file` with `body`; without markers, inserts a section with them before
 * the file's first second-level heading.
 */
export function writeSection(file: string, body: string): void {
  const text = readFileSync(file, 'utf8');
  const block = `${START_MARKER}\n\n${body.trim()}\n\n${END_MARKER}`;
  const start = text.indexOf(START_MARKER);
  const end = text.indexOf(END_MARKER);
  let out: string;
  if (start >= 0 && end > start) {
    out = text.slice(0, start) + block + text.slice(end + END_MARKER.length);
  } else {
    const at = text.indexOf('\n## ');
    const section = `## All cases in one run — \`npm run bench\`\n\n${block}\n`;
    out =
      at < 0
        ? `${text.trimEnd()}\n\n${section}`
        : `${text.slice(0, at).trimEnd()}\n\n${section}\n${text.slice(at + 1)}`;
  }
  writeFileSync(file, out);
}

/** Words wrapped at `width` columns (Markdown paragraphs as the rest of the docs are written). */
export function wrap(text: string, width = 120): string {
  const lines: string[] = [];
  let line = '';
  // A line must not start with what Markdown reads as a list item, heading or quote.
  const startsBlock = (word: string) => /^(\d+[.)]|[-+*#>])$/.test(word);
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width && !startsBlock(word)) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.join('\n');
}
