import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * PUTs a stream of known length to a presigned S3 URL. The bytes flow straight through: no part buffered in memory
 * and no payload hashing for the signature (a presigned URL signs `UNSIGNED-PAYLOAD`), which is what a SDK's
 * signed PutObject costs on plain HTTP.
 */
export async function putToPresignedUrl(
  url: string,
  body: Readable,
  size: number,
  contentType: string,
  /** How long S3 may hold bytes it was given, or the answer, without progress (unset: only the 60 s socket idle). */
  stallMs?: number,
): Promise<void> {
  const target = new URL(url);
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  let unwatch = () => undefined as void;
  const answer = new Promise<IncomingMessage>((resolve, reject) => {
    const req = request(target, {
      method: 'PUT',
      headers: { 'content-length': String(size), 'content-type': contentType },
      timeout: 60_000,
    });
    req.on('response', resolve);
    req.on('timeout', () => req.destroy(new Error('S3 PUT timed out')));
    req.on('error', reject);
    if (stallMs) unwatch = watchStall(req, stallMs);
    pipeline(body, req).catch((err: unknown) => {
      req.destroy();
      reject(err instanceof Error ? err : new Error(String(err)));
    });
  });
  try {
    await answer;
  } finally {
    unwatch();
  }
  const res = await answer;
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  if (res.statusCode !== 200) {
    const code = /<Code>([^<]+)<\/Code>/.exec(Buffer.concat(chunks).toString())?.[1] ?? 'unknown';
    throw new Error(`S3 PUT answered ${res.statusCode} (${code})`);
  }
}

/**
 * Fails the PUT when S3 stops taking bytes it was given, or stops before answering, for `stallMs`; a client that is
 * slow to send is not S3's stall (the upload's own idle timeout covers it). Bytes still buffered in this process,
 * or the body sent and no answer yet, is S3 owing progress; a drain is progress.
 */
function watchStall(req: ClientRequest, stallMs: number): () => void {
  let last = Date.now();
  req.on('drain', () => (last = Date.now()));
  const timer = setInterval(
    () => {
      const owed = req.writableLength > 0 || req.writableFinished;
      if (!owed) last = Date.now();
      else if (Date.now() - last > stallMs) {
        req.destroy(Object.assign(new Error(`S3 made no progress for ${stallMs} ms`), { code: 'ETIMEDOUT' }));
      }
    },
    Math.max(10, Math.min(250, stallMs / 4)),
  );
  timer.unref();
  return () => clearInterval(timer);
}
