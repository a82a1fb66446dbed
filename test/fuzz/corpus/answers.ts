// Sending a corpus case byte for byte, and judging its answer against what the case asks for.
import { request } from 'node:http';
import type { CorpusAnswer, CorpusCase, CorpusRequest } from './types.js';

/** Sends a corpus request over plain HTTP, byte for byte as written (fetch would resolve `..` and re-escape). */
export function sendRaw(origin: string, r: CorpusRequest, token: string): Promise<CorpusAnswer> {
  const url = new URL(origin);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method: r.method,
        path: r.path,
        agent: false,
        headers: { authorization: `Bearer ${token}`, ...r.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType: res.headers['content-type'] ?? '',
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    // A server may answer (413, say) and close before it has read the whole body: the answer is what counts.
    let answered = false;
    req.on('response', () => (answered = true));
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
    req.end(r.body);
  });
}

/** Why an answer is not what the case asks for, or null when it is. */
export function judge(c: CorpusCase, answer: CorpusAnswer): string | null {
  if (answer.status !== c.status)
    return `answered ${answer.status}, expected ${c.status}: ${answer.body.slice(0, 300)}`;
  if (answer.status < 400) return null;
  if (!answer.contentType.startsWith('application/problem+json')) return `answered ${answer.contentType}`;
  let problem: { status?: number; detail?: string; violations?: Array<{ propertyPath: string; message: string }> };
  try {
    problem = JSON.parse(answer.body) as typeof problem;
  } catch {
    return `problem body is not JSON: ${answer.body.slice(0, 200)}`;
  }
  if (problem.status !== answer.status) return `problem status ${problem.status} differs from ${answer.status}`;
  if (!problem.detail || problem.detail.length < 10) return `problem detail too short: ${problem.detail}`;
  const violation = c.violationAt ? problem.violations?.find((v) => v.propertyPath === c.violationAt) : undefined;
  if (c.violationAt && !violation) {
    return `no violation at ${c.violationAt}: ${JSON.stringify(problem.violations)}`;
  }
  const messages = violation ? [violation.message] : (problem.violations ?? []).map((v) => v.message);
  const said = [problem.detail, ...messages].join(' | ');
  if (c.says && !c.says.test(said)) return `says "${said}", expected ${c.says}`;
  return null;
}
