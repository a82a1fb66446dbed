import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { TextDecoder } from 'node:util';
import type { UploadContentType } from './content-types.js';

export type UploadRejectionReason = 'empty' | 'too-large' | 'not-pdf' | 'not-utf8' | 'stalled';

/** Why the bytes of an upload are not acceptable; raised while streaming, as early as it is known. */
export class UploadRejection extends Error {
  constructor(readonly reason: UploadRejectionReason) {
    super(`upload rejected: ${reason}`);
    this.name = 'UploadRejection';
  }
}

export interface InspectedUpload {
  size: number;
  sha256: string;
  /** The last bytes, where a PDF keeps its trailer. */
  tail: Buffer;
}

const PDF_MAGIC = Buffer.from('%PDF-');
// Enough for the cross-reference table of most PDFs, so their trailer check needs no second read.
const TAIL_BYTES = 64 * 1024;

/**
 * A pass-through that checks an upload while it streams, in constant memory: size limit, PDF magic at the start or
 * strict UTF-8 throughout, SHA-256 of the bytes, the tail for the PDF trailer check, and an idle timeout for
 * stalled clients. It fails the stream as soon as a check fails, so a bad upload is cut off early.
 */
export class UploadInspector extends Transform {
  private size = 0;
  private readonly hash = createHash('sha256');
  private head = Buffer.alloc(0);
  private tailChunks: Buffer[] = [];
  private tailLength = 0;
  private readonly utf8?: TextDecoder;
  private idle?: NodeJS.Timeout;

  constructor(private readonly opts: { contentType: UploadContentType; maxBytes: number; idleTimeoutMs: number }) {
    super();
    if (opts.contentType === 'text/plain') this.utf8 = new TextDecoder('utf-8', { fatal: true });
    this.armIdleTimer();
  }

  private armIdleTimer(): void {
    clearTimeout(this.idle);
    this.idle = setTimeout(() => this.destroy(new UploadRejection('stalled')), this.opts.idleTimeoutMs);
    this.idle.unref();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.armIdleTimer();
    this.size += chunk.length;
    if (this.size > this.opts.maxBytes) return done(new UploadRejection('too-large'));
    if (this.opts.contentType === 'application/pdf' && this.head.length < PDF_MAGIC.length) {
      this.head = Buffer.concat([this.head, chunk.subarray(0, PDF_MAGIC.length - this.head.length)]);
      if (!PDF_MAGIC.subarray(0, this.head.length).equals(this.head)) return done(new UploadRejection('not-pdf'));
    }
    if (this.utf8) {
      try {
        this.utf8.decode(chunk, { stream: true });
      } catch {
        return done(new UploadRejection('not-utf8'));
      }
    }
    this.hash.update(chunk);
    this.keepTail(chunk);
    done(null, chunk);
  }

  /** Keeps the last TAIL_BYTES without copying every chunk: whole chunks are kept until enough, then trimmed. */
  private keepTail(chunk: Buffer): void {
    this.tailChunks.push(chunk);
    this.tailLength += chunk.length;
    while (this.tailChunks.length > 1 && this.tailLength - this.tailChunks[0]!.length >= TAIL_BYTES) {
      this.tailLength -= this.tailChunks.shift()!.length;
    }
  }

  override _flush(done: TransformCallback): void {
    clearTimeout(this.idle);
    if (this.size === 0) return done(new UploadRejection('empty'));
    if (this.opts.contentType === 'application/pdf' && this.head.length < PDF_MAGIC.length) {
      return done(new UploadRejection('not-pdf'));
    }
    if (this.utf8) {
      try {
        this.utf8.decode();
      } catch {
        return done(new UploadRejection('not-utf8'));
      }
    }
    done();
  }

  override _destroy(err: Error | null, done: (err: Error | null) => void): void {
    clearTimeout(this.idle);
    done(err);
  }

  /** What was inspected; call after the stream has finished. */
  result(): InspectedUpload {
    return {
      size: this.size,
      sha256: this.hash.digest('hex'),
      tail: Buffer.concat(this.tailChunks).subarray(-TAIL_BYTES),
    };
  }
}
