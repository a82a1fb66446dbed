import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { DocumentBytes, DocumentKind } from '@esign/service-runtime';
import type { Response } from 'express';

/**
 * Streams stored document bytes with their type, length and SHA-256 ETag (uploads and order documents alike); the
 * bytes streamed (also those of an interrupted transfer) are counted as `out` of the given kind.
 */
export async function sendStoredDocument(
  res: Response,
  document: { contentType: string; size: number; sha256: string },
  body: Readable,
  counted?: { documentBytes?: DocumentBytes; kind: DocumentKind },
): Promise<void> {
  res.status(200).set({
    'Content-Type': document.contentType === 'text/plain' ? 'text/plain; charset=utf-8' : document.contentType,
    'Content-Length': String(document.size),
    ETag: `"${document.sha256}"`,
    'Cache-Control': 'private, no-store',
  });
  const documentBytes = counted?.documentBytes;
  if (!documentBytes) {
    await pipeline(body, res);
    return;
  }
  let sent = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      sent += chunk.length;
      callback(null, chunk);
    },
  });
  try {
    await pipeline(body, meter, res);
  } finally {
    documentBytes('out', counted.kind, sent);
  }
}
