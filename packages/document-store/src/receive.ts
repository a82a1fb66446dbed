import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { UploadContentType } from './content-types.js';
import { UploadInspector, UploadRejection, type InspectedUpload } from './inspector.js';
import { checkPdfTrailer } from './pdf-trailer.js';
import type { DocumentStore } from './store.js';

export interface ReceiveOptions {
  objectKey: string;
  contentType: UploadContentType;
  maxBytes: number;
  idleTimeoutMs: number;
  /** The body's declared length (Content-Length), when known: the bytes then go to S3 in one streamed PUT. */
  declared?: number;
  /** Work that must succeed together with the transfer (e.g. starting the upload's expiry timer). */
  alongside?: Promise<unknown>;
}

/**
 * Streams a request body into S3 through the inspector (size, type, UTF-8, SHA-256, stall timeout), in constant
 * memory, then checks a PDF's trailer. On any failure the stored object is removed and the error rethrown: an
 * `UploadRejection` for bytes that are not acceptable.
 */
export async function receiveInspected(
  store: DocumentStore,
  body: Readable,
  o: ReceiveOptions,
): Promise<InspectedUpload> {
  try {
    const inspector = new UploadInspector({
      contentType: o.contentType,
      maxBytes: o.maxBytes,
      idleTimeoutMs: o.idleTimeoutMs,
    });
    const through = new PassThrough();
    await Promise.all([
      o.alongside,
      pipeline(body, inspector, through),
      store.putObject(o.objectKey, through, o.contentType, o.declared),
    ]);
    const inspected = inspector.result();
    const readRange = (offset: number, length: number) => store.readRange(o.objectKey, offset, length);
    if (o.contentType === 'application/pdf' && !(await checkPdfTrailer(inspected.tail, inspected.size, readRange))) {
      throw new UploadRejection('not-pdf');
    }
    return inspected;
  } catch (err) {
    await store.removeObject(o.objectKey).catch(() => undefined);
    throw err;
  }
}
