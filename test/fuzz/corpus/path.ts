// Path traversal, encoded separators and overlong ids in every path parameter of the contract.
import { OPERATIONS, pathParameters } from '@esign/contracts';
import type { CorpusCase, CorpusContext } from './types.js';

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
export const pathCases: CorpusCase[] = OPERATIONS.filter((op) => pathParameters(op.path).length > 0).flatMap((op) =>
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
