// Oversized, deeply nested, compressed and mislabelled JSON bodies, and prototype pollution.
import { gzipSync } from 'node:zlib';
import { nested, postOrder, validOrder } from './requests.js';
import type { CorpusCase } from './types.js';

const MILLION = `[${Array<string>(1_000_000).fill('0').join(',')}]`;
// As many one-digit items as fit in the 1 MiB limit.
const NEAR_LIMIT_ARRAY = `{"tasks":[${Array<string>(520_000).fill('0').join(',')}]}`;

export const jsonCases: CorpusCase[] = [
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
