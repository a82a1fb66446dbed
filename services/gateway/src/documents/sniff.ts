import { Transform, type TransformCallback } from 'node:stream';
import { UploadRejection, type UploadContentType } from '@esign/document-store';

// Clients that derive the Content-Type from a file name (Signicat's .NET SDK does) send a file without an extension
// as application/octet-stream. Such an upload is taken by its bytes: `%PDF-` first is a PDF (its trailer is checked as
// for any PDF), anything else must be strict UTF-8 text throughout, or the upload is refused with 415.

const PDF_MAGIC = Buffer.from('%PDF-');

/**
 * A pass-through that keeps the first bytes of a stream: `head` resolves once it has PDF_MAGIC.length bytes or the
 * stream ended with fewer; it rejects if the stream fails first, or with `stalled` after `idleTimeoutMs` without them.
 */
export class HeadSniffer extends Transform {
  private kept = Buffer.alloc(0);
  private settled = false;
  private resolveHead!: (head: Buffer) => void;
  private rejectHead!: (err: Error) => void;
  readonly head = new Promise<Buffer>((resolve, reject) => {
    this.resolveHead = resolve;
    this.rejectHead = reject;
  });

  private readonly idle: NodeJS.Timeout;

  constructor(idleTimeoutMs: number) {
    super();
    this.head.catch(() => undefined);
    this.idle = setTimeout(() => this.destroy(new UploadRejection('stalled')), idleTimeoutMs);
    this.idle.unref();
  }

  private settle(): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.idle);
    this.resolveHead(this.kept);
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    if (!this.settled) {
      this.kept = Buffer.concat([this.kept, chunk.subarray(0, PDF_MAGIC.length - this.kept.length)]);
      if (this.kept.length >= PDF_MAGIC.length) this.settle();
    }
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    this.settle();
    done();
  }

  override _destroy(err: Error | null, done: (err: Error | null) => void): void {
    clearTimeout(this.idle);
    if (!this.settled) {
      this.settled = true;
      this.rejectHead(err ?? new Error('the upload ended before its first bytes arrived'));
    }
    done(err);
  }
}

/** The type an application/octet-stream upload is stored as, from its first bytes. */
export const sniffedType = (head: Buffer): UploadContentType =>
  head.equals(PDF_MAGIC) ? 'application/pdf' : 'text/plain';
