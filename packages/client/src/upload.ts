import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { Readable } from 'node:stream';
import { errorFrom } from './errors.js';
import type { components } from './generated/api.js';
import type { AuthorizedFetch } from './transport.js';

/** What can be uploaded: a file path, bytes, or a stream (Node or web) of bytes. */
export type UploadSource = string | Uint8Array | Readable | ReadableStream<Uint8Array>;

export type UploadContentType = 'application/pdf' | 'text/plain; charset=utf-8' | 'text/plain';

export interface UploadOptions {
  /** Required for streams and bytes; for a file path, derived from `.pdf` / `.txt` when absent. */
  contentType?: UploadContentType;
  /** The body's length in bytes, when a stream's is known: the server then stores it in one piece. */
  contentLength?: number;
}

const BY_EXTENSION: Record<string, UploadContentType> = { '.pdf': 'application/pdf', '.txt': 'text/plain' };

async function bodyOf(source: UploadSource, options: UploadOptions) {
  if (typeof source === 'string') {
    const contentType = options.contentType ?? BY_EXTENSION[extname(source).toLowerCase()];
    if (!contentType) throw new Error(`cannot tell the content type of ${source}: pass contentType`);
    const { size } = await stat(source);
    const stream = Readable.toWeb(createReadStream(source)) as ReadableStream<Uint8Array>;
    return { body: stream, contentType, contentLength: size };
  }
  if (!options.contentType) throw new Error('uploading bytes or a stream needs contentType');
  if (source instanceof Uint8Array) {
    return { body: source, contentType: options.contentType, contentLength: source.byteLength };
  }
  const stream = source instanceof Readable ? (Readable.toWeb(source) as ReadableStream<Uint8Array>) : source;
  return { body: stream, contentType: options.contentType, contentLength: options.contentLength };
}

/**
 * `POST /documents` with the bytes streamed from `source` (never read whole into memory); answers the new
 * document id. Uploads are kept 30 minutes unless an order references them.
 */
export async function uploadDocument(
  send: AuthorizedFetch,
  baseUrl: string,
  source: UploadSource,
  options: UploadOptions = {},
): Promise<components['schemas']['DocumentUploadResponse']> {
  const { body, contentType, contentLength } = await bodyOf(source, options);
  const headers: Record<string, string> = { 'content-type': contentType };
  if (contentLength !== undefined) headers['content-length'] = String(contentLength);
  const request = new Request(`${baseUrl}/documents`, {
    method: 'POST',
    headers,
    body,
    // Node's fetch needs this to send a stream as the request body.
    duplex: 'half',
  } as RequestInit);
  const response = await send(request, { replayable: body instanceof Uint8Array });
  if (response.status !== 201) throw await errorFrom(response);
  return (await response.json()) as components['schemas']['DocumentUploadResponse'];
}
