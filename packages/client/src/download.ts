import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeWebStream } from 'node:stream/web';
import { errorFrom } from './errors.js';
import type { AuthorizedFetch } from './transport.js';

export interface Downloaded {
  file: string;
  bytes: number;
  contentType: string;
}

/**
 * GETs `url` and streams the body into `file`: written as `<file>.part` and renamed when complete, so a failed or
 * interrupted download never leaves a truncated file under the final name. Redirects are followed.
 */
export async function downloadTo(send: AuthorizedFetch, url: string, file: string): Promise<Downloaded> {
  const response = await send(new Request(url));
  if (response.status !== 200 || !response.body) throw await errorFrom(response);
  const part = `${file}.part`;
  let bytes = 0;
  const counted = Readable.fromWeb(response.body as NodeWebStream<Uint8Array>).on('data', (chunk: Buffer) => {
    bytes += chunk.length;
  });
  try {
    await pipeline(counted, createWriteStream(part));
    await rename(part, file);
  } catch (err) {
    await rm(part, { force: true });
    throw err;
  }
  return { file, bytes, contentType: response.headers.get('content-type') ?? 'application/octet-stream' };
}
