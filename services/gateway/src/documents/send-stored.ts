import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Response } from 'express';

/** Streams stored document bytes with their type, length and SHA-256 ETag (uploads and order documents alike). */
export async function sendStoredDocument(
  res: Response,
  document: { contentType: string; size: number; sha256: string },
  body: Readable,
): Promise<void> {
  res.status(200).set({
    'Content-Type': document.contentType === 'text/plain' ? 'text/plain; charset=utf-8' : document.contentType,
    'Content-Length': String(document.size),
    ETag: `"${document.sha256}"`,
    'Cache-Control': 'private, no-store',
  });
  await pipeline(body, res);
}
