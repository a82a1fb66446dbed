// A merchant's view of a gateway for the fuzz run and the corpus: a token from the token endpoint and raw requests
// against the API, whatever the stack (the integration tests' own, or the fuzz run's).

import { requestToken } from '../support/token.js';

export interface RawResponse {
  status: number;
  contentType: string;
  headers: Headers;
  body: Buffer;
  text: string;
}

export interface Merchant {
  /** The gateway's origin, e.g. http://127.0.0.1:PORT. */
  origin: string;
  /** The API base URL (origin + base path). */
  api: string;
  token: string;
  /** A request to a path under the API base path, with this merchant's token unless `authorization` is given. */
  send(
    method: string,
    path: string,
    init?: { headers?: Record<string, string>; body?: Buffer | string },
  ): Promise<RawResponse>;
}

export async function fetchToken(origin: string, clientId: string, secret: string): Promise<string> {
  return (await requestToken(origin, clientId, secret)).access_token;
}

export function merchant(origin: string, token: string, basePath = '/enterprise/sign'): Merchant {
  const api = `${origin}${basePath}`;
  return {
    origin,
    api,
    token,
    async send(method, path, init = {}) {
      const res = await fetch(`${api}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...init.headers },
        body: init.body,
      });
      const body = Buffer.from(await res.arrayBuffer());
      return {
        status: res.status,
        contentType: res.headers.get('content-type') ?? '',
        headers: res.headers,
        body,
        text: body.toString('utf8'),
      };
    },
  };
}

/**
 * Live resources of the merchant for the fuzzer to reach past 404: an upload, and an order (one signer, a text
 * document, a packaging task) over another upload.
 */
export async function seedResources(m: Merchant): Promise<Record<string, string[]>> {
  const upload = async (text: string) => {
    const res = await m.send('POST', '/documents', { headers: { 'content-type': 'text/plain' }, body: text });
    if (res.status !== 201) throw new Error(`seed upload answered ${res.status}: ${res.text}`);
    return (JSON.parse(res.text) as { documentId: string }).documentId;
  };
  const documentId = await upload('A document for the fuzzer.');
  const documentRef = await upload('An agreement for the fuzzer.');
  const order = {
    clientReference: 'fuzz-seed',
    tasks: [
      {
        id: 'signer1',
        documents: [{ id: 'doc1', action: 'SIGN', source: 'SESSION', documentRef }],
        signatureMethods: [{ name: 'nbid-sign', type: 'AUTHENTICATION_BASED' }],
      },
    ],
    packagingTasks: [{ id: 'pkg1', method: 'pades', documents: [{ taskId: 'signer1', documentIds: ['doc1'] }] }],
  };
  const res = await m.send('POST', '/orders', {
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(order),
  });
  if (res.status !== 201) throw new Error(`seed order answered ${res.status}: ${res.text}`);
  const orderId = (JSON.parse(res.text) as { id: string }).id;
  return {
    documentId: [documentId, 'doc1'],
    orderId: [orderId],
    taskId: ['signer1'],
    packagingTaskId: ['pkg1'],
  };
}
