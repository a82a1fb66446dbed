// HTTP itself: methods a path does not allow, traversal out of static assets, an oversized token request.
import type { CorpusCase } from './types.js';

export const protocolCases: CorpusCase[] = [
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
