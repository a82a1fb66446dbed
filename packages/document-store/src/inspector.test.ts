import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { UploadInspector, UploadRejection } from './inspector.js';

async function inspect(chunks: Buffer[], opts: Partial<ConstructorParameters<typeof UploadInspector>[0]> = {}) {
  const inspector = new UploadInspector({ contentType: 'text/plain', maxBytes: 1024, idleTimeoutMs: 1000, ...opts });
  const out: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _e, cb) {
      out.push(chunk);
      cb();
    },
  });
  await pipeline(Readable.from(chunks), inspector, sink);
  return { ...inspector.result(), out: Buffer.concat(out) };
}

async function rejection(promise: Promise<unknown>): Promise<string> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UploadRejection);
  return (err as UploadRejection).reason;
}

describe('UploadInspector', () => {
  it('passes the bytes through unchanged and hashes them', async () => {
    const text = Buffer.from('Hei på deg – ✓ ünïcödé 😀', 'utf8');
    // split inside multi-byte characters on purpose
    const r = await inspect([text.subarray(0, 7), text.subarray(7, 20), text.subarray(20)]);
    expect(r.out.equals(text)).toBe(true);
    expect(r.size).toBe(text.length);
    expect(r.sha256).toBe(createHash('sha256').update(text).digest('hex'));
  });

  it('rejects invalid UTF-8, an empty body and a body over the limit', async () => {
    expect(await rejection(inspect([Buffer.from([0x68, 0xc3, 0x28])]))).toBe('not-utf8');
    expect(await rejection(inspect([Buffer.from([0x68, 0xe2, 0x82])]))).toBe('not-utf8'); // truncated at the end
    expect(await rejection(inspect([]))).toBe('empty');
    expect(await rejection(inspect([Buffer.alloc(600, 97), Buffer.alloc(600, 97)]))).toBe('too-large');
  });

  it('checks the PDF magic as soon as the first bytes arrive', async () => {
    const ok = await inspect([Buffer.from('%P'), Buffer.from('DF-1.7\n...')], { contentType: 'application/pdf' });
    expect(ok.out.toString()).toBe('%PDF-1.7\n...');
    expect(await rejection(inspect([Buffer.from('<html>')], { contentType: 'application/pdf' }))).toBe('not-pdf');
    expect(await rejection(inspect([Buffer.from('%PD')], { contentType: 'application/pdf' }))).toBe('not-pdf');
  });

  it('keeps only the tail of a large body', async () => {
    const r = await inspect([Buffer.alloc(3000, 97), Buffer.from('END')], { maxBytes: 100_000 });
    expect(r.size).toBe(3003);
    const big = await inspect([Buffer.alloc(70_000, 97), Buffer.from('END')], { maxBytes: 100_000 });
    expect(big.tail.length).toBe(64 * 1024);
    expect(big.tail.subarray(-3).toString()).toBe('END');
    expect(r.tail.length).toBe(3003);
    expect(r.tail.subarray(-3).toString()).toBe('END');
  });

  it('gives up on a stalled upload', async () => {
    const inspector = new UploadInspector({ contentType: 'text/plain', maxBytes: 100, idleTimeoutMs: 50 });
    const source = new Readable({ read() {} });
    source.push('partial');
    const done = pipeline(source, inspector, new Writable({ write: (_c, _e, cb) => cb() }));
    expect(await rejection(done)).toBe('stalled');
  });
});
