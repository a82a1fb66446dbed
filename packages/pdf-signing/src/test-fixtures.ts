// Shared by this package's tests: temp dirs, a PNG "drawing", poppler/openssl probes. Not exported by the package.
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { run } from './run.js';

/** Hook timeout for starting a test PKI: certomancer (and SoftHSM2) take seconds on a busy machine. */
export const PKI_START_MS = 60_000;

export async function tempDir(prefix: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `esign-pdf-${prefix}-`));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Runs a command on a PDF written to a temp file; fails the test when it exits non-zero. */
export async function onPdf(pdf: Buffer, cmd: string, args: (file: string) => string[]): Promise<string> {
  const { dir, cleanup } = await tempDir('probe');
  try {
    const file = join(dir, 'document.pdf');
    await writeFile(file, pdf);
    const r = await run(cmd, args(file), { cwd: dir });
    if (r.code !== 0) throw new Error(`${cmd} exited ${r.code}: ${r.stderr}`);
    return r.stdout;
  } finally {
    await cleanup();
  }
}

/** `openssl cms -cmsout -print` of every signature's CMS (`pdfsig -dump`), in order. */
export async function printCms(pdf: Buffer): Promise<string[]> {
  const { dir, cleanup } = await tempDir('cms');
  try {
    const file = join(dir, 'document.pdf');
    await writeFile(file, pdf);
    await run('pdfsig', ['-dump', '-nocert', file], { cwd: dir });
    const dumps = (await readdir(dir)).filter((n) => /\.sig\d+$/.test(n)).sort();
    const out: string[] = [];
    for (const dump of dumps) {
      const r = await run('openssl', ['cms', '-cmsout', '-print', '-inform', 'DER', '-in', join(dir, dump)]);
      if (r.code !== 0) throw new Error(`openssl cms -print: ${r.stderr}`);
      out.push(r.stdout);
    }
    return out;
  } finally {
    await cleanup();
  }
}

/** The attachment names `pdfdetach -list` prints. */
export async function attachmentNames(pdf: Buffer): Promise<string[]> {
  const out = await onPdf(pdf, 'pdfdetach', (f) => ['-list', '-enc', 'UTF-8', f]);
  return out
    .split('\n')
    .map((line) => /^\d+: (.*)$/.exec(line)?.[1])
    .filter((name): name is string => name !== undefined);
}

/** One attachment's bytes, saved by `pdfdetach -savefile`. */
export async function attachment(pdf: Buffer, name: string): Promise<Buffer> {
  const { dir, cleanup } = await tempDir('detach');
  try {
    const file = join(dir, 'document.pdf');
    const out = join(dir, 'out.bin');
    await writeFile(file, pdf);
    const r = await run('pdfdetach', ['-savefile', name, '-o', out, file]);
    if (r.code !== 0) throw new Error(`pdfdetach -savefile ${name}: ${r.stderr}`);
    return await readFile(out);
  } finally {
    await cleanup();
  }
}

/** The number of pages (pdfinfo). */
export async function pageCount(pdf: Buffer): Promise<number> {
  return Number(/^Pages:\s+(\d+)/m.exec(await onPdf(pdf, 'pdfinfo', (f) => [f]))?.[1]);
}

/** The last page rendered to PNG by pdftoppm (72 dpi). */
export async function renderLastPage(pdf: Buffer): Promise<Buffer> {
  const last = String(await pageCount(pdf));
  const { dir, cleanup } = await tempDir('render');
  try {
    const file = join(dir, 'document.pdf');
    await writeFile(file, pdf);
    const r = await run('pdftoppm', [
      '-r',
      '72',
      '-png',
      '-singlefile',
      '-f',
      last,
      '-l',
      last,
      file,
      join(dir, 'page'),
    ]);
    if (r.code !== 0) throw new Error(`pdftoppm: ${r.stderr}`);
    return await readFile(join(dir, 'page.png'));
  } finally {
    await cleanup();
  }
}

/** A w×h RGBA PNG with a dark blue diagonal stroke on a transparent background: a stand-in for a drawn signature. */
export function signaturePng(w = 240, h = 80): Buffer {
  const raw = Buffer.alloc(h * (1 + w * 4));
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const wave = h / 2 + (h / 3) * Math.sin((x / w) * 4 * Math.PI);
      if (Math.abs(y - wave) < 2.5) raw.set([10, 20, 140, 255], y * (1 + w * 4) + 1 + x * 4);
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}
