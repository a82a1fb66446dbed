// The hostile-input corpus: malformed and malicious PDFs, oversized and deeply nested JSON, Unicode edge cases, path
// traversal and overlong ids in every path parameter, header injection in notification fields, SSRF targets. Each
// case says which answer the contract asks for. `npm run fuzz` sends every case to its own stack and counts the
// answers; test/integration/hostile-input.test.ts sends them to the test stack and also checks that each refused
// one left nothing behind.
import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { OPERATIONS, pathParameters } from '@esign/contracts';
import { brokenXrefPdf, javascriptPdf, plainPdf, truncatedPdf, xrefPastEndPdf } from './pdfs.js';

export interface CorpusRequest {
  method: string;
  /** Sent as is (no normalisation of `..` or escapes), under the gateway's origin. */
  path: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
}

export interface CorpusContext {
  /** The API base path, e.g. /enterprise/sign. */
  basePath: string;
  /** A live text upload of the merchant, for orders that are valid but for the one hostile field. */
  documentRef: string;
}

export type CorpusGroup = 'pdf' | 'json' | 'unicode' | 'path' | 'header-injection' | 'ssrf' | 'protocol';

export interface CorpusCase {
  name: string;
  group: CorpusGroup;
  request(ctx: CorpusContext): CorpusRequest;
  /** The answer the contract asks for. */
  status: number;
  /** For a refusal: the problem's `violations` include this property path. */
  violationAt?: string;
  /** For a refusal: the problem's `detail` or that violation's message matches. */
  says?: RegExp;
}

export interface CorpusAnswer {
  status: number;
  contentType: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

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

const json = (body: string | Buffer, headers: Record<string, string> = {}) => ({
  'content-type': 'application/json',
  ...headers,
  'content-length': String(Buffer.byteLength(body)),
});

/** A valid one-signer order over the context's upload; `task` and `order` fields override. */
export function validOrder(
  ctx: CorpusContext,
  task: Record<string, unknown> = {},
  order: Record<string, unknown> = {},
) {
  return {
    clientReference: 'hostile-input',
    tasks: [
      {
        id: 'signer1',
        documents: [{ id: 'doc1', action: 'SIGN', source: 'SESSION', documentRef: ctx.documentRef }],
        signatureMethods: [{ name: 'nbid-sign', type: 'AUTHENTICATION_BASED' }],
        ...task,
      },
    ],
    ...order,
  };
}

const postOrder =
  (body: (ctx: CorpusContext) => string | Buffer, headers: Record<string, string> = {}) =>
  (ctx: CorpusContext): CorpusRequest => {
    const b = body(ctx);
    return { method: 'POST', path: `${ctx.basePath}/orders`, headers: json(b, headers), body: b };
  };

const upload =
  (body: Buffer | string, contentType: string, headers: Record<string, string> = {}) =>
  (ctx: CorpusContext): CorpusRequest => ({
    method: 'POST',
    path: `${ctx.basePath}/documents`,
    headers: { 'content-type': contentType, 'content-length': String(Buffer.byteLength(body)), ...headers },
    body,
  });

/** An order whose task has these notifications. */
const withNotifications = (...notifications: Array<Record<string, unknown>>) =>
  postOrder((ctx) => JSON.stringify(validOrder(ctx, { notifications })));

const email = (n: Record<string, unknown>) => ({
  id: 'n1',
  type: 'EMAIL',
  recipient: 'signer@example.test',
  header: 'Please sign',
  message: 'Sign at ${taskUrl}',
  ...n,
});
const sms = (n: Record<string, unknown>) => ({
  id: 'n1',
  type: 'SMS',
  recipient: '+4791234567',
  message: 'Sign',
  ...n,
});
const urlTo = (recipient: string) => ({ id: 'n1', type: 'URL', recipient, message: 'hook' });

const nested = (depth: number, open: string, close: string, leaf: string) =>
  open.repeat(depth) + leaf + close.repeat(depth);

const pdfCases: CorpusCase[] = [
  {
    name: 'a PDF whose startxref points where no cross-reference section starts',
    group: 'pdf',
    request: upload(brokenXrefPdf(), 'application/pdf'),
    status: 400,
    violationAt: 'body',
    says: /not a valid PDF/,
  },
  {
    name: 'a PDF whose startxref points past the end of the file',
    group: 'pdf',
    request: upload(xrefPastEndPdf(), 'application/pdf'),
    status: 400,
    violationAt: 'body',
  },
  {
    name: 'a truncated PDF (the first half: no xref, no trailer)',
    group: 'pdf',
    request: upload(truncatedPdf(), 'application/pdf'),
    status: 400,
    violationAt: 'body',
  },
  {
    name: 'a PDF header and nothing else',
    group: 'pdf',
    request: upload('%PDF-1.7\n', 'application/pdf'),
    status: 400,
    violationAt: 'body',
  },
  {
    name: 'an HTML page with a script, declared as a PDF',
    group: 'pdf',
    request: upload('<html><script>alert(1)</script></html>', 'application/pdf'),
    status: 400,
    violationAt: 'body',
  },
  {
    name: 'a PDF/HTML polyglot (PDF header, then a page, no PDF structure)',
    group: 'pdf',
    request: upload('%PDF-1.7\n<html><body onload="alert(1)"></body></html>\n%%EOF\n', 'application/pdf'),
    status: 400,
    violationAt: 'body',
  },
  {
    name: 'a PDF sent as text/plain (binary is not UTF-8 text)',
    group: 'pdf',
    request: upload(plainPdf(), 'text/plain'),
    status: 400,
    violationAt: 'body',
    says: /UTF-8/,
  },
  {
    name: 'a gzip-compressed PDF upload (Content-Encoding: gzip)',
    group: 'pdf',
    request: upload(gzipSync(javascriptPdf()), 'application/pdf', { 'content-encoding': 'gzip' }),
    status: 415,
    says: /Content-Encoding/,
  },
];

const MILLION = `[${Array<string>(1_000_000).fill('0').join(',')}]`;
// As many one-digit items as fit in the 1 MiB limit.
const NEAR_LIMIT_ARRAY = `{"tasks":[${Array<string>(520_000).fill('0').join(',')}]}`;

const jsonCases: CorpusCase[] = [
  {
    name: 'a 10^6-element JSON array as the order (2 MB, over the body limit)',
    group: 'json',
    request: postOrder(() => MILLION),
    status: 413,
    says: /larger than/,
  },
  {
    name: 'a 520,000-element array as tasks (inside the body limit)',
    group: 'json',
    request: postOrder(() => NEAR_LIMIT_ARRAY),
    status: 400,
    violationAt: 'tasks',
    says: /at most 100 items/,
  },
  {
    name: 'arrays nested 500,000 levels deep as the whole body',
    group: 'json',
    request: postOrder(() => nested(500_000, '[', ']', '0')),
    status: 400,
    says: /JSON object/,
  },
  {
    name: 'objects nested 100,000 levels deep in a task subject',
    group: 'json',
    request: postOrder((ctx) =>
      JSON.stringify(validOrder(ctx, { subject: 'NESTED' })).replace('"NESTED"', nested(100_000, '{"a":', '}', '1')),
    ),
    status: 400,
    says: /nested too deeply/,
  },
  {
    name: 'a gzip bomb as the order body (1 KB inflating to 100 MB)',
    group: 'json',
    request: postOrder(() => gzipSync(Buffer.alloc(100 * 2 ** 20, 0x20)), { 'content-encoding': 'gzip' }),
    status: 413,
  },
  {
    name: 'a body that does not decompress with its Content-Encoding (br)',
    group: 'json',
    request: postOrder(() => Buffer.from('{"not":"brotli"}'), { 'content-encoding': 'br' }),
    status: 400,
    says: /could not be read/,
  },
  {
    name: 'an unknown Content-Encoding',
    group: 'json',
    request: postOrder(() => '{}', { 'content-encoding': 'compress' }),
    status: 415,
    says: /Content-Encoding/,
  },
  {
    name: 'an order in UTF-16 (charset=utf-16le)',
    group: 'json',
    request: postOrder((ctx) => Buffer.from(JSON.stringify(validOrder(ctx)), 'utf16le'), {
      'content-type': 'application/json; charset=utf-16le',
    }),
    status: 415,
    says: /UTF-8/,
  },
  {
    name: 'an order sent as text/plain',
    group: 'json',
    request: postOrder((ctx) => JSON.stringify(validOrder(ctx)), { 'content-type': 'text/plain' }),
    status: 415,
    says: /application\/json/,
  },
  {
    // Unknown fields are accepted and reported (X-Sign-Ignored-Fields), so an invalid field keeps this a refusal:
    // the walk over the hostile keys must still find it, pollute nothing and answer 400, not 500.
    name: 'a __proto__ and a constructor.prototype key (prototype pollution)',
    group: 'json',
    request: postOrder((ctx) =>
      JSON.stringify(validOrder(ctx)).replace(
        '{',
        '{"__proto__":{"isAdmin":true},"constructor":{"prototype":{"isAdmin":true}},"daysUntilDeletion":99,',
      ),
    ),
    status: 400,
    violationAt: 'daysUntilDeletion',
    says: /1 to 30/,
  },
];

const unicodeCases: CorpusCase[] = [
  {
    name: 'a lone high surrogate (\\ud800) in clientReference',
    group: 'unicode',
    request: postOrder((ctx) =>
      JSON.stringify(validOrder(ctx, {}, { clientReference: 'LONE' })).replace('LONE', 'ref\\ud800'),
    ),
    status: 400,
    violationAt: 'clientReference',
    says: /surrogate/,
  },
  {
    name: 'a lone low surrogate (\\udfff) in a key',
    group: 'unicode',
    request: postOrder((ctx) => JSON.stringify(validOrder(ctx)).replace('{', '{"x\\udfff":1,')),
    status: 400,
    violationAt: '["x\\udfff"]',
    says: /surrogate/,
  },
  {
    name: 'bytes that are not UTF-8 (0xC0 0xAF, an overlong "/") inside a JSON string',
    group: 'unicode',
    request: postOrder((ctx) => {
      const [head, tail] = JSON.stringify(validOrder(ctx, {}, { clientReference: 'BAD' })).split('BAD');
      return Buffer.concat([Buffer.from(head!), Buffer.from([0xc0, 0xaf]), Buffer.from(tail!)]);
    }),
    status: 400,
    violationAt: 'body',
    says: /UTF-8/,
  },
  {
    name: 'U+0000 in clientReference',
    group: 'unicode',
    request: postOrder((ctx) => JSON.stringify(validOrder(ctx, {}, { clientReference: 'a\u0000b' }))),
    status: 400,
    violationAt: 'clientReference',
    says: /control characters/,
  },
  {
    name: 'U+0000 in a (multi-line) notification message',
    group: 'unicode',
    request: withNotifications(email({ message: 'line one\nline\u0000two' })),
    status: 400,
    violationAt: 'tasks[0].notifications[0].message',
    says: /control characters/,
  },
  {
    name: 'a right-to-left override (U+202E) in a task id',
    group: 'unicode',
    request: postOrder((ctx) => JSON.stringify(validOrder(ctx, { id: 'signer\u202e1' }))),
    status: 400,
    violationAt: 'tasks[0].id',
  },
  {
    name: 'a line separator (U+2028) in an e-mail subject',
    group: 'unicode',
    request: withNotifications(email({ header: 'Please sign\u2028Bcc: victim@example.test' })),
    status: 400,
    violationAt: 'tasks[0].notifications[0].header',
    says: /single line/,
  },
  {
    name: 'overlong UTF-8 (0xC0 0xAF for "/") in a text/plain upload',
    group: 'unicode',
    request: upload(Buffer.from([0x2e, 0x2e, 0xc0, 0xaf, 0x65, 0x74, 0x63]), 'text/plain; charset=utf-8'),
    status: 400,
    violationAt: 'body',
    says: /UTF-8/,
  },
  {
    name: 'a UTF-8-encoded surrogate (0xED 0xA0 0x80, CESU-8) in a text/plain upload',
    group: 'unicode',
    request: upload(Buffer.from([0x41, 0xed, 0xa0, 0x80, 0x42]), 'text/plain'),
    status: 400,
    violationAt: 'body',
  },
  {
    name: 'a code point beyond U+10FFFF (0xF4 0x90 0x80 0x80) in a text/plain upload',
    group: 'unicode',
    request: upload(Buffer.from([0x41, 0xf4, 0x90, 0x80, 0x80]), 'text/plain'),
    status: 400,
    violationAt: 'body',
  },
  {
    name: 'a text upload cut in the middle of a multi-byte character',
    group: 'unicode',
    request: upload(Buffer.from([0x41, 0xe2, 0x82]), 'text/plain'),
    status: 400,
    violationAt: 'body',
  },
];

/** Values for every path parameter: traversal, encoded separators, NUL, CR/LF, malformed escapes, overlong. */
export const HOSTILE_IDS: Array<{ name: string; value: string; status: number }> = [
  { name: 'dot-dot', value: '..', status: 404 },
  { name: 'encoded ../../etc/passwd', value: '%2e%2e%2f%2e%2e%2fetc%2fpasswd', status: 404 },
  { name: 'dot-dot with encoded slashes', value: '..%2f..%2f..%2fopenapi.json', status: 404 },
  { name: 'backslash traversal', value: '..%5c..%5cwindows', status: 404 },
  { name: 'double-encoded traversal', value: '%252e%252e%252f', status: 404 },
  { name: 'an encoded storage key', value: 'uploads%2fdemo-merchant%2fAAAAAAAAAAAAAAAAAAAAAA', status: 404 },
  { name: 'a NUL byte', value: 'AAAA%00AAAA', status: 404 },
  { name: 'encoded CR LF with a header', value: 'x%0d%0aSet-Cookie:%20injected=1', status: 404 },
  { name: 'an encoded right-to-left override', value: 'doc%E2%80%AE1', status: 404 },
  { name: 'a malformed escape (%zz)', value: '%zz', status: 400 },
  { name: 'an escape of invalid UTF-8 (%ff%fe)', value: '%ff%fe', status: 400 },
  { name: 'an overlong UTF-8 escape (%c0%ae)', value: '%c0%ae%c0%ae', status: 400 },
  { name: 'a lone %', value: '%', status: 400 },
  { name: 'a 2,000-character id', value: 'A'.repeat(2000), status: 404 },
];

/** Every operation of the contract that names a resource, with each hostile value in every path parameter. */
const pathCases: CorpusCase[] = OPERATIONS.filter((op) => pathParameters(op.path).length > 0).flatMap((op) =>
  HOSTILE_IDS.map(({ name, value, status }) => ({
    name: `${op.method.toUpperCase()} ${op.path} with ${name} in every path parameter`,
    group: 'path' as const,
    request: (ctx: CorpusContext) => ({
      method: op.method.toUpperCase(),
      path: ctx.basePath + pathParameters(op.path).reduce((p, param) => p.replace(`{${param}}`, value), op.path),
    }),
    status,
    says: status === 400 ? /percent-encoded UTF-8/ : /^No /,
  })),
);

const headerInjectionCases: CorpusCase[] = [
  {
    name: 'CR LF and a Bcc header in an e-mail subject',
    group: 'header-injection',
    request: withNotifications(email({ header: 'Please sign\r\nBcc: victim@example.test' })),
    status: 400,
    violationAt: 'tasks[0].notifications[0].header',
  },
  {
    name: 'a bare LF in an e-mail subject',
    group: 'header-injection',
    request: withNotifications(email({ header: 'Please sign\nX-Injected: 1' })),
    status: 400,
    violationAt: 'tasks[0].notifications[0].header',
  },
  {
    name: 'a bare CR in an e-mail subject',
    group: 'header-injection',
    request: withNotifications(email({ header: 'Please sign\rX-Injected: 1' })),
    status: 400,
    violationAt: 'tasks[0].notifications[0].header',
  },
  {
    name: 'CR LF and a Bcc header after the e-mail recipient',
    group: 'header-injection',
    request: withNotifications(email({ recipient: 'signer@example.test\r\nBcc: victim@example.test' })),
    status: 400,
    violationAt: 'tasks[0].notifications[0].recipient',
  },
  {
    name: 'a second address in the e-mail recipient',
    group: 'header-injection',
    request: withNotifications(email({ recipient: 'signer@example.test, victim@example.test' })),
    status: 400,
    violationAt: 'tasks[0].notifications[0].recipient',
  },
  {
    name: 'CR LF in the e-mail sender display name',
    group: 'header-injection',
    request: withNotifications(email({ sender: 'Acme\r\nBcc: victim@example.test <noreply@example.test>' })),
    status: 400,
    violationAt: 'tasks[0].notifications[0].sender',
  },
  {
    name: 'CR LF in an SMS recipient',
    group: 'header-injection',
    request: withNotifications(sms({ recipient: '+4791234567\r\nTo: +4790000000' })),
    status: 400,
    violationAt: 'tasks[0].notifications[0].recipient',
  },
  {
    name: 'CR LF in an SMS sender',
    group: 'header-injection',
    request: withNotifications(sms({ sender: 'Acme\r\nX' })),
    status: 400,
    violationAt: 'tasks[0].notifications[0].sender',
  },
  {
    name: 'CR LF and a header in a URL notification target',
    group: 'header-injection',
    request: withNotifications(urlTo('http://127.0.0.1:9/hook\r\nX-Injected: 1')),
    status: 400,
    violationAt: 'tasks[0].notifications[0].recipient',
  },
  {
    name: 'a non-ASCII Idempotency-Key',
    group: 'header-injection',
    request: postOrder((ctx) => JSON.stringify(validOrder(ctx)), { 'idempotency-key': 'key-\u00e9' }),
    status: 400,
    violationAt: 'Idempotency-Key',
  },
];

const SSRF_TARGETS: Array<[string, string, RegExp]> = [
  ['IPv4-mapped IPv6 metadata address', 'http://[::ffff:169.254.169.254]/latest/meta-data/', /metadata/],
  ['hex IPv4-mapped IPv6 metadata address', 'http://[::ffff:a9fe:a9fe]/', /metadata/],
  ['NAT64 metadata address', 'http://[64:ff9b::a9fe:a9fe]/', /metadata/],
  ['decimal metadata address', 'http://2852039166/', /metadata/],
  ['octal metadata address', 'http://0251.0376.0251.0376/', /metadata/],
  ['hex metadata address', 'http://0xa9.0xfe.0xa9.0xfe/', /metadata/],
  ['metadata host name with a trailing dot', 'http://metadata.google.internal./computeMetadata/v1/', /metadata/],
  ['metadata host name in capitals', 'http://METADATA.GOOGLE.INTERNAL/', /metadata/],
  ['metadata host name in full-width letters', 'http://ｍｅｔａｄａｔａ.google.internal/', /metadata/],
  ['AWS IPv6 metadata address', 'http://[fd00:ec2::254]/', /metadata/],
  ['Alibaba Cloud metadata address', 'http://100.100.100.200/latest/meta-data/', /metadata/],
  ['link-local address', 'http://169.254.1.1/', /link-local/],
  ['unspecified address 0.0.0.0', 'http://0.0.0.0/', /unspecified/],
  ['unspecified IPv6 address', 'http://[::]/', /unspecified/],
  ['multicast address', 'http://224.0.0.1/', /multicast/],
  ['user info hiding the metadata host', 'http://example.test@169.254.169.254/', /user name/],
  ['gopher URL to Redis', 'gopher://127.0.0.1:6379/_FLUSHALL', /http/],
  ['file URL', 'file:///etc/passwd', /http/],
];

const ssrfCases: CorpusCase[] = [
  ...SSRF_TARGETS.map(([name, target, says]) => ({
    name: `URL notification to a ${name}`,
    group: 'ssrf' as const,
    request: withNotifications(urlTo(target)),
    status: 400,
    violationAt: 'tasks[0].notifications[0].recipient',
    says,
  })),
  {
    name: 'a javascript: redirect after signing',
    group: 'ssrf',
    request: postOrder((ctx) =>
      JSON.stringify(validOrder(ctx, { onTaskComplete: 'javascript:alert(document.domain)' })),
    ),
    status: 400,
    violationAt: 'tasks[0].onTaskComplete',
  },
];

const protocolCases: CorpusCase[] = [
  {
    name: 'TRACE on a path of the API (405, Allow)',
    group: 'protocol',
    request: (ctx) => ({ method: 'TRACE', path: `${ctx.basePath}/orders` }),
    status: 405,
    says: /allows POST/,
  },
  {
    name: 'PUT on a document (405, Allow)',
    group: 'protocol',
    request: (ctx) => ({
      method: 'PUT',
      path: `${ctx.basePath}/documents/AAAAAAAAAAAAAAAAAAAAAA`,
      headers: { 'content-type': 'text/plain' },
      body: 'overwrite',
    }),
    status: 405,
    says: /allows GET, HEAD, DELETE/,
  },
  {
    name: 'traversal out of the docs assets',
    group: 'protocol',
    request: (ctx) => ({ method: 'GET', path: `${ctx.basePath}/assets/..%2f..%2f..%2fpackage.json` }),
    status: 403,
  },
  {
    name: 'a 3 MB token request body',
    group: 'protocol',
    request: () => {
      const body = `grant_type=client_credentials&client_id=${'a'.repeat(3_000_000)}`;
      return {
        method: 'POST',
        path: '/auth/open/connect/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(body.length) },
        body,
      };
    },
    status: 413,
  },
];

export const CORPUS: CorpusCase[] = [
  ...pdfCases,
  ...jsonCases,
  ...unicodeCases,
  ...pathCases,
  ...headerInjectionCases,
  ...ssrfCases,
  ...protocolCases,
];

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
