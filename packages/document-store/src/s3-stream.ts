import { request as httpRequest, type Agent, type IncomingMessage } from 'node:http';
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
  /** The S3 client's transport (its idle deadline); absent: Node's default agent and a 60 s idle timeout. */
  agent?: Agent,
): Promise<void> {
  const target = new URL(url);
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const answer = new Promise<IncomingMessage>((resolve, reject) => {
    const req = request(target, {
      method: 'PUT',
      headers: { 'content-length': String(size), 'content-type': contentType },
      ...(agent ? { agent } : { timeout: 60_000 }),
    });
    req.on('response', resolve);
    req.on('timeout', () => req.destroy(new Error('S3 PUT timed out')));
    req.on('error', reject);
    pipeline(body, req).catch((err: unknown) => {
      req.destroy();
      reject(err instanceof Error ? err : new Error(String(err)));
    });
  });
  const res = await answer;
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  if (res.statusCode !== 200) {
    const code = /<Code>([^<]+)<\/Code>/.exec(Buffer.concat(chunks).toString())?.[1] ?? 'unknown';
    throw new Error(`S3 PUT answered ${res.statusCode} (${code})`);
  }
}
