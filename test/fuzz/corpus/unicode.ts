// Unicode edge cases: lone surrogates, bytes that are not UTF-8, control and bidirectional characters.
import { email, postOrder, upload, validOrder, withNotifications } from './requests.js';
import type { CorpusCase } from './types.js';

export const unicodeCases: CorpusCase[] = [
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
